"""The four built-in print models, each reproducing one of the documents the product
was built on (``../shared/seeds``): their sections, labels and order, nothing else.

Each module registers its section kinds in ``reporting.modelli.catalogo`` and gives
its model as data (``MODELLO``), the same shape as a segreteria's copy.
"""

from . import chiavari, cinisello, comuni, seregno, soresina  # noqa: F401 - registers kinds

PREDEFINITI: dict[str, dict] = {
    m.MODELLO["base"]: m.MODELLO for m in (chiavari, soresina, seregno, cinisello)
}

# Without a choice a piano prints its plan as Chiavari's scheda PDO and its
# rendicontazione as Cinisello Balsamo's scheda PEG di rendicontazione.
PREDEFINITO_PER_USO = {"piano": "chiavari", "rendicontazione": "cinisello"}


def nomi() -> list[tuple[str, str]]:
    return [(chiave, dati["nome"]) for chiave, dati in PREDEFINITI.items()]


def dati_predefiniti(chiave: str, uso: str = "piano") -> dict:
    """A built-in model's data; for a key this release no longer has (stored by an
    earlier one), the default model of the use: the piano still prints."""
    return PREDEFINITI.get(chiave) or PREDEFINITI[PREDEFINITO_PER_USO[uso]]
