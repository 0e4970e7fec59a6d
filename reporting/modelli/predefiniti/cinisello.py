"""Provisional cinisello model."""

from .comuni import nascoste

MODELLO = {
    "base": "cinisello",
    "nome": "Scheda PEG di rendicontazione (Cinisello Balsamo)",
    "sezioni": [*nascoste("copertina", "indice", "riepilogo"), {"tipo": "rendicontazione"}],
}
