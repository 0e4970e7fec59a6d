"""The individual side of the performance cycle (D.Lgs 150/2009 art. 9; CCNL Funzioni
Locali 2019-2021 art. 81): ``smvp`` (the system of a year: categories, components and
weights, comportamenti, fasce, fondi), ``schede`` (who is evaluated, the votes, the
colloquio, the conciliazione), ``premi`` (the distributions of the fondi)."""

from .premi import Distribuzione, Quota
from .schede import Contestazione, ObiettivoAssegnato, SchedaIndividuale, VotoComportamento
from .smvp import Categoria, Comportamento, Fascia, Smvp

__all__ = [
    "Categoria",
    "Comportamento",
    "Contestazione",
    "Distribuzione",
    "Fascia",
    "ObiettivoAssegnato",
    "Quota",
    "SchedaIndividuale",
    "Smvp",
    "VotoComportamento",
]
