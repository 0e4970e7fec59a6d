"""Totals of the risorse finanziarie of a scheda: never mixing entrate and spese."""

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from peg.fields import ZERO

from .models import RisorsaFinanziaria


def totali_risorse(risorse: Iterable[RisorsaFinanziaria]) -> list[tuple[str, Decimal]]:
    """[("TOTALE", 23500)] for one kind of row, else one total per spesa/entrata × prevista/effettiva.

    With no rows the scheda still prints "TOTALE 0,00", as Chiavari's does.
    """
    groups: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    for risorsa in risorse:
        groups[(risorsa.tipo, risorsa.natura)] += risorsa.importo or ZERO
    if len(groups) <= 1:
        return [("TOTALE", next(iter(groups.values()), ZERO))]
    ordine = [(t, n) for t in RisorsaFinanziaria.Tipo for n in RisorsaFinanziaria.Natura]
    return [
        (f"TOTALE {tipo.label.lower()} {natura.label.lower()}", groups[(tipo, natura)])
        for tipo, natura in ordine
        if (tipo, natura) in groups
    ]
