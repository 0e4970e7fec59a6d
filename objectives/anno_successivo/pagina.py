"""What the page «Prepara il piano dell'anno successivo» reads from its request."""

from __future__ import annotations

from peg.parametri import intero

from .prepara import Preparazione


def anno_di_partenza(piano, testo: str | None) -> int:
    """?da= when it is one of the piano's years; else the piano's latest year with
    schede (the year just planned or reported); else its last year."""
    anno = intero(testo)
    if anno in piano.anni:
        return anno
    ultimo = piano.obiettivi.order_by("-anno").values_list("anno", flat=True).first()
    return ultimo if ultimo in piano.anni else piano.anno_fine


def da_escludere(prep: Preparazione, scelte: list[str]) -> set[int]:
    """The schede to create that were left unchecked: every checkbox starts checked and
    an unchecked box is not sent, so what is not among ``scelte`` is excluded."""
    incluse = {intero(s) for s in scelte}
    return {v.origine.pk for v in prep.da_creare if v.origine.pk not in incluse}
