"""The scheda as it is read: one loader for the scheda page, the PDF and the OIV review
(``leggi_schede``), and the schede of a piano as its page lists them (``leggi_piano``).

``leggi_schede`` loads any number of schede in a fixed number of queries (one per
relation, whatever the count) and attaches to each what every reader shows: its rows
in order, scores (final and intermediate, with the OIV's validated figures in force)
with their explanation, weight sums, resource totals, the ambiti, the DUP chain, the
historical values' columns. The readers add only what is theirs (the page its buttons,
the PDF its layout, the review its thread) and their templates issue no query.
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass

from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, prefetch_related_objects
from django.http import Http404

from indicators.caricamento import CAMPI_OBIETTIVO, carica_figli, rettifiche_di
from indicators.engine.scoring import INTERMEDIO, Sistema, calcola, punteggio_obiettivo
from indicators.engine.weights import verifica_pesi
from indicators.models import Indicatore, Rilevazione, ValoreStorico
from peg.compilate import Compilata
from peg.models import NodoDUP
from peg.organigramma_piano import come_nel_piano

from .models import (
    AmbitoPerformance,
    Fase,
    Obiettivo,
    RisorsaFinanziaria,
    RisorsaStrumentale,
    RisorsaUmana,
)
from .risorse import totali_risorse

# What every reader of a scheda needs: constant queries for any number of schede.
PREFETCH = (
    "ambiti",
    # The DUP links with two levels of ancestors in one query (joins, not three prefetches).
    Prefetch("nodi_dup", queryset=NodoDUP.objects.select_related("padre__padre")),
    Prefetch("indicatori", queryset=Indicatore.objects.prefetch_related("rilevazioni", "storico")),
    "fasi",
    "risorse_finanziarie",
    Prefetch("risorse_umane", queryset=RisorsaUmana.objects.select_related("persona")),
    "risorse_strumentali",
)


def leggi_schede(obiettivi) -> list[Obiettivo]:
    """The schede of a queryset, read, in its order."""
    schede = list(
        obiettivi.select_related(
            "piano__comune", "settore", "missione", "programma"
        ).prefetch_related(*PREFETCH)
    )
    # The same filter as a subquery (no list of ids), unless the queryset is sliced.
    ids = [o.pk for o in schede] if obiettivi.query.is_sliced else obiettivi.order_by().values("pk")
    return _prepara_tutte(schede, ids)


def leggi_scheda(obiettivo: Obiettivo) -> Obiettivo:
    """One scheda already loaded (with piano, comune and settore), read in place: the
    caller has checked that the user may see it, and keeps its object.

    One query first says which of the scheda's often empty relations have rows
    (``obiettivo.presenti``, name → bool, see ``PRESENZE``) and brings missione and
    programma: the empty ones are not read (their prefetched values are empty), and the
    page asks nothing of those it shows apart (variazioni, allegati...)."""
    obiettivo.presenti = _presenze(obiettivo)
    presenti = obiettivo.presenti
    # Every ambito, those of the scheda marked, in one query (not the list and the choice).
    ambiti = _AMBITI.istanze({SEGNAPOSTO: obiettivo.pk}, connection.alias)
    scelti = AmbitoPerformance.objects.filter(pk__in=[a.pk for a in ambiti if a.scelto])
    scelti._result_cache, scelti._prefetch_done = [a for a in ambiti if a.scelto], True
    obiettivo.__dict__.setdefault("_prefetched_objects_cache", {})["ambiti"] = scelti
    _leggi_figli(obiettivo, presenti)
    # Those with joins, through the ORM (when they have rows).
    da_leggere = []
    for relazione in PREFETCH:
        nome = getattr(relazione, "prefetch_to", relazione)
        if nome not in ("nodi_dup", "risorse_umane"):
            continue
        if presenti[nome]:
            da_leggere.append(relazione)
        else:
            _vuota(obiettivo, nome)
    prefetch_related_objects([obiettivo], *da_leggere)
    rettifiche = None if presenti["punteggi_validati"] else {}
    (scheda,) = _prepara_tutte([obiettivo], [obiettivo.pk], ambiti, rettifiche)
    return scheda


# The relations of a scheda that are often empty, whose rows ``leggi_scheda`` and the
# scheda's page read only if there are some; "storico": the indicatori's past values,
# "altre_schede": schede of other years with the same codice in the piano.
PRESENZE = (
    "nodi_dup",
    "risorse_finanziarie",
    "risorse_umane",
    "risorse_strumentali",
    "punteggi_validati",
    "allegati",
    "richieste_variazione",
    "variazioni",
    "cambi_stato",
)


def _presenze(obiettivo: Obiettivo) -> dict[str, bool]:
    """Which relations of ``PRESENZE`` have rows, with missione and programma attached,
    in one query (compiled once: building its subqueries cost more than running it)."""
    righe = _PRESENZE.righe(
        {
            SEGNAPOSTO: obiettivo.pk,
            SEGNAPOSTO - 1: obiettivo.piano_id,
            CODICE_SEGNAPOSTO: obiettivo.codice,
        },
        connection.alias,
    )
    if not righe:  # deleted since the access check read it
        raise Http404("Scheda non trovata.")
    riga = righe[0]
    _queryset, nomi, collegati = _struttura_presenze()
    presenti = {nome: bool(valore) for nome, valore in zip(nomi, riga, strict=False)}
    inizio = len(nomi)
    for nome, modello, campi in collegati:
        valori = riga[inizio : inizio + len(campi)]
        inizio += len(campi)
        if getattr(obiettivo, f"{nome}_id") is not None and valori[0] is not None:
            setattr(obiettivo, nome, modello.from_db(connection.alias, campi, valori))
    return presenti


# The scheda's id, piano and codice in the compiled queries, put back at each call.
SEGNAPOSTO = -7_310_101
CODICE_SEGNAPOSTO = "\x00codice-segnaposto"


@functools.cache
def _struttura_presenze() -> tuple:
    """(queryset with the placeholders, the relations' names, [(missione/programma,
    model, fields)]): what ``_presenze`` runs and how it reads the row back."""
    esiste = {}
    for nome in PRESENZE:
        campo = Obiettivo._meta.get_field(nome)
        if campo.many_to_many:  # nodi_dup: the rows of its link table
            righe = campo.remote_field.through.objects.filter(
                **{campo.m2m_field_name(): SEGNAPOSTO}
            )
        else:
            righe = campo.related_model._base_manager.filter(**{campo.field.attname: SEGNAPOSTO})
        esiste[nome] = Exists(righe)
    esiste["storico"] = Exists(ValoreStorico.objects.filter(indicatore__obiettivo_id=SEGNAPOSTO))
    esiste["altre_schede"] = Exists(
        Obiettivo.objects.filter(piano_id=SEGNAPOSTO - 1, codice=CODICE_SEGNAPOSTO).exclude(
            pk=SEGNAPOSTO
        )
    )
    collegati = []
    colonne = []
    for nome in ("missione", "programma"):
        modello = Obiettivo._meta.get_field(nome).related_model
        campi = [f.attname for f in modello._meta.concrete_fields]
        collegati.append((nome, modello, campi))
        colonne += [f"{nome}__{c}" for c in campi]
    nomi = [f"_ha_{n}" for n in esiste]
    queryset = (
        Obiettivo.objects.filter(pk=SEGNAPOSTO)
        .annotate(**dict(zip(nomi, esiste.values(), strict=True)))
        .values_list(*nomi, *colonne)
    )
    return queryset, list(esiste), collegati


# Built anew (from the cached structure) for each database it is compiled for.
_PRESENZE = Compilata(lambda: _struttura_presenze()[0].all())


# The scheda's rows without joins, each table in one compiled query (``peg.compilate.Compilata``).
_FIGLI = {
    "indicatori": Compilata(lambda: Indicatore.objects.filter(obiettivo_id=SEGNAPOSTO)),
    "rilevazioni": Compilata(
        lambda: Rilevazione.objects.filter(indicatore__obiettivo_id=SEGNAPOSTO)
    ),
    "storico": Compilata(lambda: ValoreStorico.objects.filter(indicatore__obiettivo_id=SEGNAPOSTO)),
    "fasi": Compilata(lambda: Fase.objects.filter(obiettivo_id=SEGNAPOSTO)),
    "risorse_finanziarie": Compilata(
        lambda: RisorsaFinanziaria.objects.filter(obiettivo_id=SEGNAPOSTO)
    ),
    "risorse_strumentali": Compilata(
        lambda: RisorsaStrumentale.objects.filter(obiettivo_id=SEGNAPOSTO)
    ),
}


# Every ambito, those of the scheda marked (``scelto``), in one query (as ``con_scelti``).
_AMBITI = Compilata(
    lambda: AmbitoPerformance.objects.annotate(
        scelto=Exists(
            Obiettivo.ambiti.through.objects.filter(
                obiettivo_id=SEGNAPOSTO, ambitoperformance_id=OuterRef("pk")
            )
        )
    )
)


def _leggi_figli(obiettivo: Obiettivo, presenti: dict) -> None:
    """The scheda's indicatori (with rilevazioni and storico), fasi and risorse without
    joins, attached as ``prefetch_related`` attaches them; none read of those without rows."""
    for nome in ("indicatori", "fasi", "risorse_finanziarie", "risorse_strumentali"):
        figli = _righe_di(nome, obiettivo) if presenti.get(nome, True) else []
        _attacca(obiettivo, nome, figli)
    indicatori = obiettivo._prefetched_objects_cache["indicatori"]
    for nome in ("rilevazioni", "storico"):
        per_indicatore: dict = {}
        if presenti.get(nome, True) and indicatori:
            for riga in _righe_di(nome, obiettivo):
                per_indicatore.setdefault(riga.indicatore_id, []).append(riga)
        for indicatore in indicatori:
            _attacca(indicatore, nome, per_indicatore.get(indicatore.pk, []))


def _righe_di(nome: str, obiettivo: Obiettivo) -> list:
    return _FIGLI[nome].istanze({SEGNAPOSTO: obiettivo.pk}, connection.alias)


def _attacca(oggetto, nome: str, figli: list) -> None:
    """``figli`` as the prefetched rows of the reverse relation ``nome`` of ``oggetto``
    (each with its link back to ``oggetto``), as ``prefetch_related_objects`` does."""
    manager = getattr(oggetto, nome)
    campo = manager.field
    for figlio in figli:
        campo.set_cached_value(figlio, oggetto)
    queryset = manager.get_queryset()
    queryset._result_cache, queryset._prefetch_done = figli, True
    oggetto.__dict__.setdefault("_prefetched_objects_cache", {})[nome] = queryset


def _vuota(oggetto, nome: str) -> None:
    """The relation ``nome`` of ``oggetto`` known empty: its ``.all()`` queries no more
    (an evaluated empty queryset; ``.none()`` would compile its SQL at each reading)."""
    queryset = getattr(oggetto, nome).get_queryset()
    queryset._result_cache, queryset._prefetch_done = [], True
    oggetto.__dict__.setdefault("_prefetched_objects_cache", {})[nome] = queryset


def con_scelti(obiettivo: Obiettivo, nome: str, queryset) -> list:
    """The objects of ``queryset`` (the choices of the many-to-many field ``nome``), each
    with ``scelto`` if the scheda has it, in one query. Those chosen become the scheda's
    prefetched values of the field: ``obiettivo.<nome>.all()`` queries no more."""
    campo = Obiettivo._meta.get_field(nome)
    della_scheda = campo.remote_field.through.objects.filter(
        **{campo.m2m_field_name(): obiettivo.pk, campo.m2m_reverse_field_name(): OuterRef("pk")}
    )
    oggetti = list(queryset.annotate(scelto=Exists(della_scheda)))
    if obiettivo.pk is not None:
        scelti = [o for o in oggetti if o.scelto]
        valori = queryset.filter(pk__in=[o.pk for o in scelti])
        valori._result_cache, valori._prefetch_done = scelti, True
        obiettivo.__dict__.setdefault("_prefetched_objects_cache", {})[nome] = valori
    return oggetti


def _prepara_tutte(schede: list[Obiettivo], ids, ambiti=None, rettifiche=None) -> list[Obiettivo]:
    if not schede:
        return []
    rettifiche = rettifiche_di(ids) if rettifiche is None else rettifiche
    ambiti = list(AmbitoPerformance.objects.all()) if ambiti is None else ambiti
    sistemi: dict = {}
    for obiettivo in schede:
        piano = obiettivo.piano
        if piano.pk not in sistemi:
            sistemi[piano.pk] = Sistema.del_piano(piano)
        _prepara(obiettivo, sistemi[piano.pk], ambiti, rettifiche.get(obiettivo.pk, []))
    return schede


def _prepara(o: Obiettivo, sistema: Sistema, ambiti: list, rettifiche: list) -> None:
    o.lista_indicatori = list(o.indicatori.all())
    o.lista_fasi = list(o.fasi.all())
    o.figli = {"indicatori": o.lista_indicatori, "fasi": o.lista_fasi, "rettifiche": rettifiche}
    o.lista_risorse = list(o.risorse_finanziarie.all())
    o.lista_risorse_umane = list(o.risorse_umane.all())
    strumentali = {tipo: [] for tipo in RisorsaStrumentale.Tipo}
    for r in o.risorse_strumentali.all():
        strumentali[RisorsaStrumentale.Tipo(r.tipo)].append(r)
    o.strumentali = [(tipo.label, righe) for tipo, righe in strumentali.items()]
    o.totali = totali_risorse(o.lista_risorse)
    o.pesi_indicatori = verifica_pesi(i.peso for i in o.lista_indicatori)
    o.pesi_fasi = verifica_pesi(f.peso for f in o.lista_fasi)
    o.ambiti_scelti = {a.numero for a in o.ambiti.all()}
    o.ambiti_stampa = [(a, a.numero in o.ambiti_scelti) for a in ambiti]
    o.nodi = [_catena(n) for n in o.nodi_dup.all()]

    for i in o.lista_indicatori:
        i.figli = {"rilevazioni": list(i.rilevazioni.all())}
    o.esito, dettagli = punteggio_obiettivo(o, sistema)
    o.esito_intermedio, intermedi = punteggio_obiettivo(o, sistema, INTERMEDIO)
    anni = sorted({s.anno for i in o.lista_indicatori for s in i.storico.all()}, reverse=True)
    o.anni_storico = anni
    for i in o.lista_indicatori:
        i.esito = dettagli["indicatori"][i.pk]
        i.esito_intermedio = intermedi["indicatori"][i.pk]
        i.per_tipo = {r.tipo: r for r in i.figli["rilevazioni"]}
        storico = {s.anno: s for s in i.storico.all()}
        i.storico_colonne = [storico.get(anno) for anno in anni]
        i.storico_per_anno = storico
        i.storico_lista = sorted(storico.values(), key=lambda s: s.anno)
    for f in o.lista_fasi:
        f.esito = dettagli["fasi"][f.pk]


@dataclass
class PianoLetto:
    """The schede of a piano as its page lists them."""

    per_settore: dict  # settore → [obiettivo] with pesi and esito attached
    punteggi: dict  # anno → PunteggiPiano (a pluriennale piano scores each year apart)
    per_stato: list  # [(stato, label, how many)] in workflow order, only those present


def leggi_piano(piano, visibili) -> PianoLetto:
    """The visible schede of the piano by settore, each with its weight sums and score,
    and the scores of settori and ente per year, in a fixed number of queries (scored
    without explanations: the page does not show them; children as light rows: it reads
    only their number and weights)."""
    obiettivi = carica_figli(
        visibili.filter(piano=piano)
        .select_related("settore")
        .only(*CAMPI_OBIETTIVO, "denominazione")
        .order_by("settore__codice", "settore__nome", "anno", "codice_ordinabile", "id"),
        leggeri=True,
    )
    # The settori as the piano approved them (``peg.organigramma_piano``): one query,
    # none for a bozza.
    come_nel_piano(piano, [o.settore for o in obiettivi])
    per_settore: dict = {}
    per_anno: dict[int, list] = {}
    for obiettivo in obiettivi:
        obiettivo.pesi_indicatori = verifica_pesi(i.peso for i in obiettivo.figli["indicatori"])
        obiettivo.pesi_fasi = verifica_pesi(f.peso for f in obiettivo.figli["fasi"])
        per_settore.setdefault(obiettivo.settore, []).append(obiettivo)
        per_anno.setdefault(obiettivo.anno, []).append(obiettivo)
    sistema = Sistema.del_piano(piano)
    punteggi = {
        anno: calcola(lista, sistema, etichetta_ente=str(piano.comune), spiega=False)
        for anno, lista in sorted(per_anno.items())
    }
    esiti = {pk: e for p in punteggi.values() for pk, e in p.obiettivi.items()}
    for obiettivo in obiettivi:
        obiettivo.esito = esiti[obiettivo.pk]
    conta = Counter(o.stato for o in obiettivi)
    per_stato = [(s.value, s.label, conta[s.value]) for s in Obiettivo.Stato if conta[s.value]]
    return PianoLetto(per_settore, punteggi, per_stato)


def _catena(nodo) -> list:
    """The DUP node with its ancestors, top first (prefetched two levels up)."""
    catena = [nodo]
    while catena[0].padre_id and len(catena) < 3:
        catena.insert(0, catena[0].padre)
    return catena
