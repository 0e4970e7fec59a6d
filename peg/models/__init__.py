"""Ente-level models: the comune (tenant), its piani, organisation, roles and DUP tree.

Every record of the application belongs to exactly one comune, directly or through its
parent; ``peg.access`` decides who sees what from that.
"""

from .accessi import Sblocco
from .bilancio import Missione, Programma
from .dup import NodoDUP
from .ente import Comune
from .organigramma import SettoreDelPiano
from .organizzazione import Persona, Servizio, Settore
from .piano import Piano
from .ruoli import Ruolo

__all__ = [
    "Comune",
    "Missione",
    "NodoDUP",
    "Persona",
    "Piano",
    "Programma",
    "Ruolo",
    "Sblocco",
    "Servizio",
    "Settore",
    "SettoreDelPiano",
]
