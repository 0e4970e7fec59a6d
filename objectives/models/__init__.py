from .fase import Fase
from .obiettivo import AmbitoPerformance, Obiettivo
from .risorse import RisorsaFinanziaria, RisorsaStrumentale, RisorsaUmana

__all__ = [
    "AmbitoPerformance",
    "Fase",
    "Obiettivo",
    "RisorsaFinanziaria",
    "RisorsaStrumentale",
    "RisorsaUmana",
]
