"""Schede obiettivo loaded and prepared for print: one function for one scheda or a book.

``carica_schede`` loads any number of schede in a fixed number of queries (one per
relation, whatever the count) and attaches to each what the PDF templates print:
scores with their explanation, weight sums, resource totals, the Gantt. The templates
then issue no query.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.safestring import mark_safe

from indicators.models import Indicatore
from indicators.scoring import INTERMEDIO, Sistema, punteggio_obiettivo
from objectives.access import BOZZE
from objectives.models import AmbitoPerformance, Obiettivo, RisorsaStrumentale, RisorsaUmana
from objectives.risorse import totali_risorse
from objectives.weights import verifica_pesi
from valutazione.models import PunteggioValidato, Validazione

from . import gantt as gantt_svg

# Past these states the scheda has actual values: print it as a rendicontazione.
STATI_RENDICONTAZIONE = (Obiettivo.Stato.RENDICONTATO, Obiettivo.Stato.VALIDATO)


def queryset_schede(obiettivi):
    """The prefetches every printed scheda needs; constant queries for any count."""
    return obiettivi.select_related(
        "piano__comune", "settore", "missione", "programma"
    ).prefetch_related(
        "ambiti",
        "nodi_dup__padre__padre",
        Prefetch(
            "indicatori",
            queryset=Indicatore.objects.prefetch_related("rilevazioni", "storico"),
        ),
        "fasi",
        "risorse_finanziarie",
        Prefetch("risorse_umane", queryset=RisorsaUmana.objects.select_related("persona")),
        "risorse_strumentali",
        Prefetch(
            "validazioni",
            queryset=Validazione.objects.filter(attiva=True).select_related("utente"),
            to_attr="validazioni_attive",
        ),
        Prefetch(
            "punteggi_validati",
            queryset=PunteggioValidato.objects.select_related("indicatore"),
        ),
    )


def carica_schede(obiettivi, rendicontazione: bool | None = None) -> list[Obiettivo]:
    """The schede of a queryset, prepared for print, in its order.

    ``rendicontazione``: True/False forces the layout; None chooses per scheda
    (rendicontato and validato print as rendicontazione)."""
    schede = list(queryset_schede(obiettivi))
    ambiti = list(AmbitoPerformance.objects.all())
    sistemi: dict = {}
    for obiettivo in schede:
        piano = obiettivo.piano
        if piano.pk not in sistemi:
            sistemi[piano.pk] = Sistema.del_piano(piano)
        prepara(obiettivo, sistemi[piano.pk], ambiti, rendicontazione)
    return schede


def prepara(obiettivo, sistema, ambiti, rendicontazione: bool | None = None) -> None:
    o = obiettivo
    o.in_bozza = o.stato in BOZZE
    o.rendicontazione = (
        o.stato in STATI_RENDICONTAZIONE if rendicontazione is None else rendicontazione
    )
    o.lista_indicatori = list(o.indicatori.all())
    o.lista_fasi = list(o.fasi.all())
    o.lista_risorse = list(o.risorse_finanziarie.all())
    o.lista_risorse_umane = list(o.risorse_umane.all())
    strumentali = {tipo: [] for tipo in RisorsaStrumentale.Tipo}
    for r in o.risorse_strumentali.all():
        strumentali[RisorsaStrumentale.Tipo(r.tipo)].append(r)
    o.strumentali = [(tipo.label, righe) for tipo, righe in strumentali.items()]
    o.totali = totali_risorse(o.lista_risorse)
    o.pesi_indicatori = verifica_pesi(i.peso for i in o.lista_indicatori)
    o.pesi_fasi = verifica_pesi(f.peso for f in o.lista_fasi)
    scelti = {a.numero for a in o.ambiti.all()}
    o.ambiti_stampa = [(a, a.numero in scelti) for a in ambiti]
    o.nodi = [_catena(n) for n in o.nodi_dup.all()]

    o.esito, dettagli = punteggio_obiettivo(o, sistema)
    o.esito_intermedio, intermedi = punteggio_obiettivo(o, sistema, INTERMEDIO)
    anni = sorted({s.anno for i in o.lista_indicatori for s in i.storico.all()}, reverse=True)
    o.anni_storico = anni
    for i in o.lista_indicatori:
        i.esito = dettagli["indicatori"][i.pk]
        i.esito_intermedio = intermedi["indicatori"][i.pk]
        i.per_tipo = {r.tipo: r for r in i.rilevazioni.all()}
        storico = {s.anno: s for s in i.storico.all()}
        i.storico_colonne = [storico.get(anno) for anno in anni]
    for f in o.lista_fasi:
        f.esito = dettagli["fasi"][f.pk]

    o.validazione = (o.validazioni_attive or [None])[0] if o.stato == "validato" else None
    o.rettifiche = (
        [r for r in o.punteggi_validati.all() if r.attivo and r.validazione_id == o.validazione.pk]
        if o.validazione
        else []
    )
    o.gantt = ""
    if any(_con_date(f) for f in o.lista_fasi):
        # Fixed SVG ids: the same scheda prints the same bytes.
        svg = gantt_svg.gantt(
            o.lista_fasi, anni=[o.anno], oggi=timezone.localdate(), ident=f"gantt{o.pk}"
        )
        o.gantt = mark_safe(svg)  # noqa: S308 - every text escaped by reporting.svg


def _con_date(fase) -> bool:
    return any(
        (
            fase.data_inizio_prevista,
            fase.data_fine_prevista,
            fase.data_inizio_effettiva,
            fase.data_fine_effettiva,
        )
    )


def _catena(nodo) -> list:
    """The DUP node with its ancestors, top first (prefetched two levels up)."""
    catena = [nodo]
    while catena[0].padre_id and len(catena) < 3:
        catena.insert(0, catena[0].padre)
    return catena
