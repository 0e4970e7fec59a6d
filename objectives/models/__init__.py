from .cambi import CambioStato
from .campagna import Avviso, Campagna, RiaperturaSettore
from .fase import Fase
from .obiettivo import AmbitoPerformance, Obiettivo
from .richiesta import RichiestaVariazione
from .risorse import RisorsaFinanziaria, RisorsaStrumentale, RisorsaUmana
from .variazione import Variazione

__all__ = [
    "Avviso",
    "Campagna",
    "RiaperturaSettore",
    "Variazione",
    "RichiestaVariazione",
    "AmbitoPerformance",
    "CambioStato",
    "Fase",
    "Obiettivo",
    "RisorsaFinanziaria",
    "RisorsaStrumentale",
    "RisorsaUmana",
]
