from .cambi import CambioStato
from .fase import Fase
from .obiettivo import AmbitoPerformance, Obiettivo
from .risorse import RisorsaFinanziaria, RisorsaStrumentale, RisorsaUmana

__all__ = [
    "AmbitoPerformance",
    "CambioStato",
    "Fase",
    "Obiettivo",
    "RisorsaFinanziaria",
    "RisorsaStrumentale",
    "RisorsaUmana",
]
