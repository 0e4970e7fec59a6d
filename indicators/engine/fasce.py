"""Bands of achievement (fasce di raggiungimento) and how a score reads when validated.

Pure: shared by the dashboards, the OIV's queue and the prints; one definition of the bands.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple


class Fascia(NamedTuple):
    chiave: str  # stable, for query strings and CSS
    etichetta: str
    minimo: Decimal | None  # lowest score in the band; None for "not computed"


FASCE = (
    Fascia("piena", "100%", Decimal(100)),
    Fascia("alta", "90–99,99%", Decimal(90)),
    Fascia("media", "60–89,99%", Decimal(60)),
    Fascia("bassa", "sotto il 60%", Decimal("-Infinity")),
    Fascia("non_calcolato", "non calcolato/incompleto", None),
)
NON_CALCOLATO = FASCE[-1]
PER_CHIAVE = {f.chiave: f for f in FASCE}


def fascia(esito) -> Fascia:
    """The band of an Esito, by the score that counts (the OIV's when validated)."""
    punteggio = esito.punteggio
    if punteggio is None:
        return NON_CALCOLATO
    return next(f for f in FASCE if f.minimo is not None and punteggio >= f.minimo)


def punteggio_calcolato(esito) -> Decimal | None:
    """The engine's figure when the OIV validated a different one, else None."""
    return esito.punteggio_calcolato if esito.rettificato else None
