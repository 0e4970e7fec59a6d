"""«Prepara il piano dell'anno successivo»: next year's schede from this year's
(``prepara``: what would happen; ``prepara_anno``: do it). docs/anno.md."""

from .prepara import (
    CONCLUSA,
    CONTINUA,
    COPIA,
    ESISTE,
    Esito,
    Preparazione,
    PreparazioneImpossibile,
    Voce,
    prepara,
    prepara_anno,
)

__all__ = [
    "CONCLUSA",
    "CONTINUA",
    "COPIA",
    "ESISTE",
    "Esito",
    "Preparazione",
    "PreparazioneImpossibile",
    "Voce",
    "prepara",
    "prepara_anno",
]
