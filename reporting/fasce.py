"""Bands of achievement (fasce di raggiungimento) and how a score reads when validated.

Shared by the dashboards and by filters elsewhere: one definition of the bands.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from peg.formatting import percentuale


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
    punteggio = getattr(esito, "punteggio", None)
    if punteggio is None:
        return NON_CALCOLATO
    return next(f for f in FASCE if f.minimo is not None and punteggio >= f.minimo)


def _testo_calcolato(esito) -> str:
    stato = getattr(esito, "stato_calcolato", "")
    calcolato = getattr(esito, "punteggio_calcolato", None)
    if stato in ("", "calcolato") and calcolato is not None:
        return percentuale(calcolato)
    return stato or "non calcolato"


def rettificato(esito) -> bool:
    """Validated by the OIV at a figure other than the engine's."""
    if not getattr(esito, "validato", False):
        return False
    stato = getattr(esito, "stato_calcolato", "")
    calcolato = getattr(esito, "punteggio_calcolato", None)
    if stato not in ("", "calcolato"):
        return True
    return calcolato is not None and calcolato != esito.punteggio


def testo_esito(esito) -> str:
    """"80,00%", or "95,00% validato (calcolato 80,00%)" when the OIV set the figure."""
    if esito is None:
        return ""
    testo = esito.testo
    if not getattr(esito, "validato", False):
        return testo
    if rettificato(esito):
        return f"{testo} validato (calcolato {_testo_calcolato(esito)})"
    return f"{testo} validato"


def punteggio_calcolato(esito) -> Decimal | None:
    """The engine's figure when it differs from the one that counts, else None."""
    if not rettificato(esito):
        return None
    return getattr(esito, "punteggio_calcolato", None)
