"""What every import of a file says about an error: the message and where it is (sheet,
row as the spreadsheet shows it, column). One definition for the imports of the
project: the plan (``reporting.excel_import``) and the organigramma
(``peg.anagrafica.organigramma``), which lives below ``reporting`` and so may not
import from it."""

from dataclasses import dataclass

# What Excel writes in a cell whose formula fails (openpyxl also gives #VALUE! for a
# date number out of range).
ERRORI_EXCEL = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#SPILL!"}


def normalizza(testo) -> str:
    """A header, sheet name or choice as compared: any case, spacing or «_»."""
    return " ".join(str(testo or "").replace("_", " ").split()).casefold()


@dataclass(frozen=True)
class Errore:
    messaggio: str
    foglio: str = ""
    riga: int | None = None
    colonna: str = ""

    def __str__(self) -> str:
        dove = [self.foglio] if self.foglio else []
        if self.riga:
            dove.append(f"riga {self.riga}")
        if self.colonna:
            dove.append(f"colonna «{self.colonna}»")
        return f"{', '.join(dove)}: {self.messaggio}" if dove else self.messaggio
