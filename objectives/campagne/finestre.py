"""When the values of a momento may be entered for a settore.

A round (``Campagna``) is open for a settore on a day when ``apertura <= oggi <=
scadenza`` and the segreteria has not closed it, or when a ``RiaperturaSettore`` for
that settore runs until ``fino_al >= oggi`` — also after the round closed: that is
what a reopening is for.

A piano with *no* campagna for a year leaves the entry free (every momento open):
comuni that do not use rounds keep working as before. Once the segreteria creates a
round for a year, values of that year are entered only inside an open round, so a
momento with no round yet is closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch
from django.utils import timezone

from indicators.engine.formatting import data_lunga

from ..models import Campagna, Obiettivo, RiaperturaSettore
from ..workflow import integrazione_richiesta

M = Campagna.Momento
MOMENTI = tuple(M.values)  # ("intermedia", "finale")
ETICHETTE = dict(M.choices)


def in_finestra(campagna: Campagna, oggi: date) -> bool:
    """Open for every settore: inside its dates and not closed by the segreteria."""
    return campagna.chiusa_il is None and campagna.apertura <= oggi <= campagna.scadenza


def riapertura(campagna: Campagna, settore_id: int, oggi: date) -> RiaperturaSettore | None:
    """The running reopening for the settore that lasts longest (riaperture prefetched)."""
    attive = [
        r for r in campagna.riaperture.all() if r.settore_id == settore_id and r.fino_al >= oggi
    ]
    return max(attive, key=lambda r: r.fino_al, default=None)


def aperta(campagna: Campagna, settore_id: int, oggi: date) -> bool:
    return in_finestra(campagna, oggi) or riapertura(campagna, settore_id, oggi) is not None


def stato_generale(campagna: Campagna, oggi: date) -> str:
    """«aperta fino al 31 agosto 2019», «chiusa il …», «apre il …»."""
    if campagna.chiusa_il is not None:
        return f"chiusa il {data_lunga(timezone.localdate(campagna.chiusa_il))}"
    if oggi < campagna.apertura:
        return f"programmata: apre il {data_lunga(campagna.apertura)}"
    if oggi > campagna.scadenza:
        return f"chiusa (scaduta il {data_lunga(campagna.scadenza)})"
    return f"aperta fino al {data_lunga(campagna.scadenza)}"


def stato_settore(campagna: Campagna, settore_id: int, oggi: date) -> str:
    if in_finestra(campagna, oggi):
        return stato_generale(campagna, oggi)
    if r := riapertura(campagna, settore_id, oggi):
        return f"riaperta per il settore fino al {data_lunga(r.fino_al)}"
    return stato_generale(campagna, oggi)


@dataclass
class StatoMomento:
    """One momento of a scheda's year, as the rendicontazione shows and enforces it."""

    momento: str
    etichetta: str
    aperto: bool
    testo: str  # «aperta fino al 31 agosto 2019»
    motivo: str = ""  # why it is closed, for the form error and the field note


def _motivo(etichetta: str, campagna: Campagna | None, anno: int, oggi: date) -> str:
    if campagna is None:
        return f"{etichetta}: per il {anno} la segreteria non ha ancora aperto questa campagna."
    riapri = "chiedi alla segreteria di riaprirla per il tuo settore."
    if campagna.chiusa_il is not None:
        chiusa = data_lunga(timezone.localdate(campagna.chiusa_il))
        return f"{etichetta}: la campagna è stata chiusa il {chiusa}; {riapri}"
    if oggi < campagna.apertura:
        return f"{etichetta}: la campagna apre il {data_lunga(campagna.apertura)}."
    return f"{etichetta}: la campagna è chiusa (scadenza {data_lunga(campagna.scadenza)}); {riapri}"


def stato_momenti(
    obiettivo: Obiettivo, oggi: date, leggi_integrazione=integrazione_richiesta
) -> dict[str, StatoMomento] | None:
    """Per momento, whether values may be entered now for this scheda's settore;
    None when the piano has no round for the year (free entry). One query; with rounds
    also their reopenings, and the OIV's request when the finale is closed, read by
    ``leggi_integrazione`` (``workflow.integrazione_richiesta``, or a caller's that
    reads it once for the page)."""
    campagne = {
        c.momento: c
        for c in Campagna.objects.filter(
            piano_id=obiettivo.piano_id, anno=obiettivo.anno
        ).prefetch_related(
            Prefetch(
                "riaperture",
                queryset=RiaperturaSettore.objects.filter(settore_id=obiettivo.settore_id),
            )
        )
    }
    if not campagne:
        return None
    stati = {}
    for momento in MOMENTI:
        etichetta, campagna = ETICHETTE[momento], campagne.get(momento)
        if campagna is not None and aperta(campagna, obiettivo.settore_id, oggi):
            testo = stato_settore(campagna, obiettivo.settore_id, oggi)
            stati[momento] = StatoMomento(momento, etichetta, True, testo)
        # The OIV asked this scheda for an integration: its final values may be completed
        # even after the round closed (the request is the reopening). Read only then.
        elif momento == "finale" and (integrazione := leggi_integrazione(obiettivo)):
            testo = f"riaperta per l'integrazione chiesta dall'OIV il {data_lunga(timezone.localdate(integrazione.quando))}"
            stati[momento] = StatoMomento(momento, etichetta, True, testo)
        else:
            testo = stato_generale(campagna, oggi) if campagna else "non ancora aperta"
            motivo = _motivo(etichetta, campagna, obiettivo.anno, oggi)
            stati[momento] = StatoMomento(momento, etichetta, False, testo, motivo)
    return stati


def momenti_aperti(obiettivo: Obiettivo, oggi: date) -> set[str]:
    """The momenti whose values may be entered today for this scheda."""
    stati = stato_momenti(obiettivo, oggi)
    return set(MOMENTI) if stati is None else {m for m, s in stati.items() if s.aperto}


def momenti_chiusi(obiettivo: Obiettivo, oggi: date) -> dict[str, str]:
    """The closed momenti with why (the Italian message the form shows)."""
    stati = stato_momenti(obiettivo, oggi) or {}
    return {m: s.motivo for m, s in stati.items() if not s.aperto}
