"""A settore's responsabili «come stampato» when nobody wrote them: one rule for the
settore's page and the import of the organigramma. The text is generated from the
responsabili's names; it is generated again when they change, unless someone wrote it
by hand (then it is not the text the old names would give, and it stays)."""

from ..models import Settore

TESTO_MASSIMO = Settore._meta.get_field("responsabili_testo").max_length


def genera(nomi: list[str]) -> str:
    """The responsabili as printed, when nobody wrote it: their names, by name."""
    return ", ".join(sorted(nomi, key=str.casefold))[:TESTO_MASSIMO]


def generato_da(testo: str, nomi: list[str]) -> bool:
    """Was ``testo`` generated from these names (here or by the settore's page, which
    lists them in the database's order)?"""
    return testo == genera(nomi) or sorted(t.strip() for t in testo.split(",")) == sorted(nomi)
