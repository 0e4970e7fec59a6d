"""What a round still misses, per settore and scheda, and the rounds on each home page."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import CharField, Count, Exists, OuterRef, Q, Value

from indicators.engine.formatting import breve
from indicators.models import Indicatore, Rilevazione
from peg.access import ruoli
from peg.models import Settore

from ..models import Campagna, Fase, Obiettivo
from .finestre import M, aperta, in_finestra, riapertura, stato_generale, stato_settore


@dataclass
class Mancante:
    obiettivo: Obiettivo
    voci: list[str]  # «indicatore 2: Numero di incontri»


@dataclass
class Ritardo:
    """A settore in a round: its schede in monitoraggio and what they still miss."""

    settore_id: int
    schede: int = 0
    obiettivi: list[Mancante] = field(default_factory=list)

    @property
    def n(self) -> int:
        return sum(len(m.voci) for m in self.obiettivi)


def settori_della_campagna(campagna: Campagna):
    """The settori of the round's comune with schede of its piano and year."""
    return (
        Settore.objects.filter(comune_id=campagna.piano.comune_id)
        .annotate(
            n_schede=Count(
                "obiettivi",
                filter=Q(obiettivi__piano_id=campagna.piano_id, obiettivi__anno=campagna.anno),
            )
        )
        .filter(n_schede__gt=0)
        .order_by("codice", "nome")
    )


# What a round asks, read by the queries of ``mancanti`` and, on a responsabile's home,
# on the rows already loaded (``mancanti_delle_schede``): of each indicatore a
# rilevazione of the round's momento carrying one of these (days-late indicatori are
# measured by the date); for the finale, of each fase anything but these empty values.
CAMPI_VALORE = ("valore", "data")
FASE_VUOTA = {"avanzamento": None, "raggiunto": "", "data_fine_effettiva": None}


def _ha_valore(rilevazione) -> bool:
    return any(getattr(rilevazione, campo) is not None for campo in CAMPI_VALORE)


def _fase_vuota(fase) -> bool:
    return all(getattr(fase, campo) == vuoto for campo, vuoto in FASE_VUOTA.items())


def _q_valore() -> Q:
    q = Q()
    for campo in CAMPI_VALORE:
        q |= Q(**{f"{campo}__isnull": False})
    return q


def _filtro_fase_vuota() -> dict:
    return {
        f"{campo}__isnull" if vuoto is None else campo: True if vuoto is None else vuoto
        for campo, vuoto in FASE_VUOTA.items()
    }


def _voce_indicatore(numero, denominazione) -> str:
    return f"indicatore {numero}: {breve(denominazione, 90)}"


def _voce_fase(numero, descrizione) -> str:
    return f"fase {numero}: {breve(descrizione, 90)}"


def nel_giro(campagna: Campagna) -> dict:
    """The schede a round asks values of, as field → value: a queryset filter and a
    test on schede already read (``mancanti_delle_schede``) from the same rule."""
    return {
        "piano_id": campagna.piano_id,
        "anno": campagna.anno,
        "stato": Obiettivo.Stato.IN_MONITORAGGIO,
    }


def mancanti(campagna: Campagna, settori=None) -> dict[int, Ritardo]:
    """Per settore id, the values still missing for the round, in four queries whatever
    the size of the piano.

    Missing: an indicatore of a scheda in monitoraggio with no rilevazione of the
    round's momento carrying a value or a date (days-late indicatori are measured by
    the date); for the finale also a fase with neither avanzamento nor result."""
    schede = Obiettivo.objects.filter(**nel_giro(campagna))
    if settori is not None:
        schede = schede.filter(settore_id__in=[getattr(s, "pk", s) for s in settori])
    obiettivi = list(
        schede.only("id", "codice", "anno", "denominazione", "settore_id", "piano_id").order_by(
            "settore_id", "codice_ordinabile", "id"
        )
    )
    indicatori: dict[int, list] = {}
    for i in (
        Indicatore.objects.filter(obiettivo__in=schede)
        .only("id", "obiettivo_id", "numero", "denominazione")
        .order_by("obiettivo_id", "numero")
    ):
        indicatori.setdefault(i.obiettivo_id, []).append(i)
    rilevati = set(
        Rilevazione.objects.filter(indicatore__obiettivo__in=schede, tipo=campagna.momento)
        .filter(_q_valore())
        .values_list("indicatore_id", flat=True)
    )
    fasi: dict[int, list] = {}
    if campagna.momento == M.FINALE:
        for f in (
            Fase.objects.filter(obiettivo__in=schede, **_filtro_fase_vuota())
            .only("id", "obiettivo_id", "numero", "descrizione")
            .order_by("obiettivo_id", "numero")
        ):
            fasi.setdefault(f.obiettivo_id, []).append(f)
    risultato: dict[int, Ritardo] = {}
    for obiettivo in obiettivi:
        ritardo = risultato.setdefault(obiettivo.settore_id, Ritardo(obiettivo.settore_id))
        ritardo.schede += 1
        voci = [
            _voce_indicatore(i.numero, i.denominazione)
            for i in indicatori.get(obiettivo.pk, [])
            if i.pk not in rilevati
        ]
        voci += [_voce_fase(f.numero, f.descrizione) for f in fasi.get(obiettivo.pk, [])]
        if voci:
            ritardo.obiettivi.append(Mancante(obiettivo, voci))
    return risultato


@dataclass
class InCorso:
    """A round on the home page: the segreteria's settori behind, a responsabile's gaps."""

    campagna: Campagna
    stato: str
    aperta: bool = True
    settori_in_ritardo: int = 0
    mancanti: int = 0
    # A responsabile's: his schede with what they miss, and until when he may enter them.
    obiettivi: list[Mancante] = field(default_factory=list)
    scadenza: date | None = None


def in_corso(comune, oggi: date) -> list[InCorso]:
    """The comune's open rounds with how many settori are behind (segreteria's home;
    the comune's piani from ``comune.piani``, prefetched by the home)."""
    piani = {p.pk: p for p in comune.piani.all()}
    risultato = []
    for campagna in Campagna.objects.filter(
        piano_id__in=list(piani), chiusa_il__isnull=True, apertura__lte=oggi, scadenza__gte=oggi
    ).order_by("scadenza", "id"):
        campagna.piano = piani[campagna.piano_id]
        per_settore = _quanti_mancano(campagna)
        risultato.append(
            InCorso(
                campagna,
                stato_generale(campagna, oggi),
                settori_in_ritardo=sum(1 for n in per_settore.values() if n),
                mancanti=sum(per_settore.values()),
            )
        )
    return risultato


def _quanti_mancano(campagna: Campagna) -> Counter:
    """Per settore id, how many values ``mancanti`` would list, counted by the database:
    one query, two for the finale (the segreteria's home shows only the counts)."""
    schede = Obiettivo.objects.filter(**nel_giro(campagna))
    con_valore = Rilevazione.objects.filter(indicatore=OuterRef("pk"), tipo=campagna.momento)
    quanti = Counter()
    righe = (
        Indicatore.objects.filter(obiettivo__in=schede)
        .filter(~Exists(con_valore.filter(_q_valore())))
        .values_list("obiettivo__settore_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    if campagna.momento == M.FINALE:
        righe = righe.union(
            Fase.objects.filter(obiettivo__in=schede, **_filtro_fase_vuota())
            .values_list("obiettivo__settore_id")
            .annotate(n=Count("id"))
            .order_by(),
            all=True,
        )
    for settore_id, n in righe:
        quanti[settore_id] += n
    return quanti


RECENTI = 30  # days a closed round stays on a responsabile's home


def del_responsabile(comune, utente, oggi: date, settori=None, schede=None) -> list[InCorso]:
    """Rounds that concern a responsabile: open for one of his settori (``settori`` if
    the caller read them already), or closed in the last days (so he sees that it
    closed), with what his settori still miss: read from ``schede`` if the caller loaded
    them (every scheda of those settori, with ``figli``, see ``mancanti_delle_schede``).
    The comune's piani come from ``comune.piani`` (prefetched by the home)."""
    settori = sorted(ruoli(utente, comune).settori if settori is None else settori)
    if not settori:
        return []
    piani = {p.pk: p for p in comune.piani.all()}
    campagne = list(
        Campagna.objects.filter(piano_id__in=list(piani), apertura__lte=oggi)
        .filter(
            Q(scadenza__gte=oggi - timedelta(days=RECENTI))
            | Q(riaperture__settore_id__in=settori, riaperture__fino_al__gte=oggi)
        )
        .distinct()
        .prefetch_related("riaperture")
        .order_by("scadenza", "id")
    )
    aperte = []
    for campagna in campagne:
        campagna.piano = piani[campagna.piano_id]
        if any(aperta(campagna, s, oggi) for s in settori):
            aperte.append(campagna)
    if schede is None:
        ritardi = {c.pk: mancanti(c, settori).values() for c in aperte}
    else:
        ritardi = mancanti_delle_schede(aperte, schede)
    risultato = []
    for campagna in campagne:
        stati = {stato_settore(campagna, s, oggi) for s in settori}
        r = ritardi.get(campagna.pk, [])
        risultato.append(
            InCorso(
                campagna,
                "; ".join(sorted(stati)),
                aperta=campagna in aperte,
                mancanti=sum(x.n for x in r),
                obiettivi=[m for x in r for m in x.obiettivi],
                scadenza=_scadenza(campagna, settori, oggi) if campagna in aperte else None,
            )
        )
    return risultato


def mancanti_delle_schede(campagne, schede) -> dict[int, list[Ritardo]]:
    """Per round, ``mancanti(campagna, settori).values()`` read from ``schede``: every
    scheda of those settori in the order ``objectives.da_fare.schede_del_responsabile``
    gives them, with ``figli`` (``carica_figli``: light rows or not). Only the texts of
    what is missing are read: one query for the indicatori, one for the fasi, none when
    nothing is missing."""
    trovati: dict[int, list[tuple]] = {}  # campagna → [(scheda, [indicatori], [fasi])]
    for campagna in campagne:
        giro = nel_giro(campagna)
        del_giro = [o for o in schede if all(getattr(o, k) == v for k, v in giro.items())]
        # The queries' order: settore id, then codice (as the schede come) within it.
        for o in sorted(del_giro, key=lambda o: o.settore_id):
            indicatori = [
                i.pk
                for i in o.figli["indicatori"]
                if not any(
                    r.tipo == campagna.momento and _ha_valore(r) for r in i.figli["rilevazioni"]
                )
            ]
            fasi = []
            if campagna.momento == M.FINALE:
                fasi = [f.pk for f in o.figli["fasi"] if _fase_vuota(f)]
            trovati.setdefault(campagna.pk, []).append((o, indicatori, fasi))
    testi_i, testi_f = _testi(
        {pk for righe in trovati.values() for _, ii, _ in righe for pk in ii},
        {pk for righe in trovati.values() for _, _, ff in righe for pk in ff},
    )
    risultato = {}
    for campagna_id, righe in trovati.items():
        ritardi: dict[int, Ritardo] = {}
        for o, indicatori, fasi in righe:
            ritardo = ritardi.setdefault(o.settore_id, Ritardo(o.settore_id))
            ritardo.schede += 1
            # A row deleted since the schede were read has no text: it is no longer missing.
            voci = [_voce_indicatore(*testi_i[pk]) for pk in indicatori if pk in testi_i]
            voci += [_voce_fase(*testi_f[pk]) for pk in fasi if pk in testi_f]
            if voci:
                ritardo.obiettivi.append(Mancante(o, voci))
        risultato[campagna_id] = list(ritardi.values())
    return risultato


def _testi(indicatori: set, fasi: set) -> tuple[dict, dict]:
    """{pk: (numero, text)} of these indicatori and of these fasi: one query, none when
    there are none."""
    righe = [
        modello.objects.filter(pk__in=ids)
        .values_list("pk", "numero", campo, Value(tipo, output_field=CharField()))
        .order_by()
        for modello, campo, ids, tipo in (
            (Indicatore, "denominazione", indicatori, "i"),
            (Fase, "descrizione", fasi, "f"),
        )
        if ids
    ]
    testi: dict[str, dict] = {"i": {}, "f": {}}
    if righe:
        for pk, numero, testo, tipo in righe[0].union(*righe[1:], all=True):
            testi[tipo][pk] = (numero, testo)
    return testi["i"], testi["f"]


def _scadenza(campagna: Campagna, settori, oggi: date) -> date | None:
    """The last day values may be entered: the round's deadline, or a reopening's."""
    fino_al = [r.fino_al for s in settori if (r := riapertura(campagna, s, oggi))]
    if in_finestra(campagna, oggi):
        fino_al.append(campagna.scadenza)
    return max(fino_al, default=None)
