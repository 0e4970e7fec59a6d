"""The kinds of section a print model can hold, each with its template, its columns
(with their default labels) and whether it carries personal data.

Each built-in model (``predefiniti``) registers the kinds of its own document; a copy of
a model can reorder, rename and hide them, never invent new content.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

# Where a section prints: once at the start of the book, at the start of each settore,
# or in each scheda.
LIVELLI = ("libro", "settore", "scheda")


@dataclass(frozen=True)
class DefColonna:
    chiave: str
    etichetta: str
    personale: bool = False
    # A result of the rendicontazione (a value reached, an actual date, progress): never
    # printed where only the plan may be shown (the published piano, before validation).
    risultato: bool = False


def _mai_vuota(_oggetto) -> bool:
    return False


@dataclass(frozen=True)
class TipoSezione:
    chiave: str
    etichetta: str  # default label (the document's)
    template: str
    livello: str = "scheda"
    colonne: tuple[DefColonna, ...] = ()
    personale: bool = False  # the whole section is personal data (left out when published)
    risultato: bool = False  # the whole section shows results (see DefColonna.risultato)
    # Whether the section has nothing to print for this scheda/settore/book (its "se_vuota"
    # rule then applies); receives what the level prints (a scheda, a settore's part, the book).
    vuota: Callable[[object], bool] = _mai_vuota
    descrizione: str = ""  # for the model editing page


TIPI: dict[str, TipoSezione] = {}


def registra(*tipi: TipoSezione) -> None:
    for tipo in tipi:
        if tipo.livello not in LIVELLI:
            raise ValueError(f"{tipo.chiave}: livello {tipo.livello!r} sconosciuto")
        if tipo.chiave in TIPI and TIPI[tipo.chiave] != tipo:
            raise ValueError(f"Tipo di sezione registrato due volte: {tipo.chiave}")
        TIPI[tipo.chiave] = tipo


def colonne(*coppie, risultati=()) -> tuple[DefColonna, ...]:
    """("peso", "PESO"), ("nome", "COGNOME NOME", True) → column definitions; the keys in
    ``risultati`` are results of the rendicontazione."""
    return tuple(DefColonna(*c, risultato=c[0] in risultati) for c in coppie)
