"""What a round still misses, per settore and scheda, and the rounds on each home page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q

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


def mancanti(campagna: Campagna, settori=None) -> dict[int, Ritardo]:
    """Per settore id, the values still missing for the round, in four queries whatever
    the size of the piano.

    Missing: an indicatore of a scheda in monitoraggio with no rilevazione of the
    round's momento carrying a value or a date (days-late indicatori are measured by
    the date); for the finale also a fase with neither avanzamento nor result."""
    schede = Obiettivo.objects.filter(
        piano_id=campagna.piano_id, anno=campagna.anno, stato=Obiettivo.Stato.IN_MONITORAGGIO
    )
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
        .filter(Q(valore__isnull=False) | Q(data__isnull=False))
        .values_list("indicatore_id", flat=True)
    )
    fasi: dict[int, list] = {}
    if campagna.momento == M.FINALE:
        for f in (
            Fase.objects.filter(
                obiettivo__in=schede,
                avanzamento__isnull=True,
                raggiunto="",
                data_fine_effettiva__isnull=True,
            )
            .only("id", "obiettivo_id", "numero", "descrizione")
            .order_by("obiettivo_id", "numero")
        ):
            fasi.setdefault(f.obiettivo_id, []).append(f)
    risultato: dict[int, Ritardo] = {}
    for obiettivo in obiettivi:
        ritardo = risultato.setdefault(obiettivo.settore_id, Ritardo(obiettivo.settore_id))
        ritardo.schede += 1
        voci = [
            f"indicatore {i.numero}: {breve(i.denominazione, 90)}"
            for i in indicatori.get(obiettivo.pk, [])
            if i.pk not in rilevati
        ]
        voci += [f"fase {f.numero}: {breve(f.descrizione, 90)}" for f in fasi.get(obiettivo.pk, [])]
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
    """The comune's open rounds with how many settori are behind (segreteria's home)."""
    risultato = []
    for campagna in (
        Campagna.objects.filter(
            piano__comune=comune, chiusa_il__isnull=True, apertura__lte=oggi, scadenza__gte=oggi
        )
        .select_related("piano")
        .order_by("scadenza", "id")
    ):
        ritardi = mancanti(campagna).values()
        risultato.append(
            InCorso(
                campagna,
                stato_generale(campagna, oggi),
                settori_in_ritardo=sum(1 for r in ritardi if r.n),
                mancanti=sum(r.n for r in ritardi),
            )
        )
    return risultato


RECENTI = 30  # days a closed round stays on a responsabile's home


def del_responsabile(comune, utente, oggi: date, settori=None) -> list[InCorso]:
    """Rounds that concern a responsabile: open for one of his settori (``settori`` if
    the caller read them already), or closed in the last days (so he sees that it
    closed), with what his settori still miss."""
    settori = sorted(ruoli(utente, comune).settori if settori is None else settori)
    if not settori:
        return []
    campagne = (
        Campagna.objects.filter(piano__comune=comune, apertura__lte=oggi)
        .filter(
            Q(scadenza__gte=oggi - timedelta(days=RECENTI))
            | Q(riaperture__settore_id__in=settori, riaperture__fino_al__gte=oggi)
        )
        .distinct()
        .select_related("piano")
        .prefetch_related("riaperture")
        .order_by("scadenza", "id")
    )
    risultato = []
    for campagna in campagne:
        stati = {stato_settore(campagna, s, oggi) for s in settori}
        aperta_ = any(aperta(campagna, s, oggi) for s in settori)
        ritardi = mancanti(campagna, settori).values() if aperta_ else []
        risultato.append(
            InCorso(
                campagna,
                "; ".join(sorted(stati)),
                aperta=aperta_,
                mancanti=sum(r.n for r in ritardi),
                obiettivi=[m for r in ritardi for m in r.obiettivi],
                scadenza=_scadenza(campagna, settori, oggi) if aperta_ else None,
            )
        )
    return risultato


def _scadenza(campagna: Campagna, settori, oggi: date) -> date | None:
    """The last day values may be entered: the round's deadline, or a reopening's."""
    fino_al = [r.fino_al for s in settori if (r := riapertura(campagna, s, oggi))]
    if in_finestra(campagna, oggi):
        fino_al.append(campagna.scadenza)
    return max(fino_al, default=None)
