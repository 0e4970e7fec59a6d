"""*Piano degli obiettivi di settore (Soresina)*: the Comune di Soresina's PDO 2017 (seed 002)."""

from ..catalogo import TipoSezione, registra
from .comuni import nascoste

T = "reporting/pdf/sezioni/soresina/"

registra(
    TipoSezione("soresina_settore", "Intestazione del settore", T + "settore.html", "settore"),
)

MODELLO = {
    "base": "soresina",
    "nome": "Piano degli obiettivi di settore (Soresina)",
    "ordine": "documento",
    "interruzione": "continua",
    "sezioni": [
        *nascoste("copertina", "indice", "riepilogo"),
        {"tipo": "soresina_settore"},
        {"tipo": "chiavari_intestazione"},
        {"tipo": "chiavari_indicatori"},
        {"tipo": "risorse_finanziarie"},
    ],
}
