"""Provisional seregno model."""

from .comuni import nascoste

MODELLO = {
    "base": "seregno",
    "nome": "Rendicontazione del piano degli obiettivi (Seregno)",
    "sezioni": [*nascoste("copertina", "indice", "riepilogo"), {"tipo": "rendicontazione"}],
}
