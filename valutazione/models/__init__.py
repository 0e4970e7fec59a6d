"""The OIV's models: the review of a rendicontazione (``revisione``) and the Nucleo as a
collegial body with its sedute (``nucleo``)."""

from .nucleo import Componente, Nucleo, Seduta
from .revisione import (
    PUNTEGGIO,
    Allegato,
    ArchivioPrivato,
    Commento,
    PunteggioValidato,
    Validazione,
    _archivio_allegati,
    _percorso,
)

__all__ = [
    "PUNTEGGIO",
    "Allegato",
    "ArchivioPrivato",
    "Commento",
    "Componente",
    "Nucleo",
    "PunteggioValidato",
    "Seduta",
    "Validazione",
    "_archivio_allegati",
    "_percorso",
]
