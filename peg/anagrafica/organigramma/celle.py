"""Reading one cell of a row as the checks want it, and saying what is wrong with it
(sheet, row, column) through the import's ``errore``."""

import re

from .colonne import COLONNE, Colonna, normalizza
from .lettura import Riga

COLONNA = {foglio: {c.chiave: c for c in colonne} for foglio, colonne in COLONNE.items()}
SEPARATORI = re.compile(r"[;\n]")


def spazi(testo: str) -> str:
    return " ".join(testo.split())


def cita(testo: str) -> str:
    return f'"{testo if len(testo) <= 60 else testo[:57] + "…"}"'


class Celle:
    errore = None  # the import's: (messaggio, foglio, riga, colonna)

    def _sbaglia(self, riga: Riga, chiave: str, messaggio: str) -> None:
        self.errore(messaggio, riga.foglio, riga.numero, COLONNA[riga.foglio][chiave].intestazione)

    def _testo(self, riga: Riga, chiave: str, righe: bool = False) -> str | None:
        """The cell's text (one line unless ``righe``), checked; None if wrong."""
        valore = riga[chiave]
        if valore is None:
            return None
        valore = valore.strip() if righe else spazi(valore)
        col: Colonna = COLONNA[riga.foglio][chiave]
        if col.obbligatoria and not valore:
            self._sbaglia(riga, chiave, "manca il valore (obbligatorio).")
            return None
        if col.massimo and len(valore) > col.massimo:
            self._sbaglia(
                riga,
                chiave,
                f"{cita(valore)} è troppo lungo: al massimo {col.massimo} caratteri "
                f"(ne ha {len(valore)}).",
            )
            return None
        return valore

    def _scelta(self, riga: Riga, chiave: str, scelte: dict, spiegazione: str) -> str | None:
        valore = self._testo(riga, chiave)
        if not valore:
            return None
        if normalizza(valore) not in scelte:
            self._sbaglia(riga, chiave, f"{cita(valore)} {spiegazione}")
            return None
        return scelte[normalizza(valore)]

    def _elenco(self, riga: Riga, chiave: str) -> list[str]:
        valore = riga[chiave] or ""
        return [spazi(v) for v in SEPARATORI.split(valore) if v.strip()]

    def _doppio(self, visti: dict, valore: str, riga: Riga, chiave: str) -> bool:
        """Is the key already on an earlier row of the sheet? (then it says so)"""
        prima = visti.setdefault(normalizza(valore), riga.numero)
        if prima != riga.numero:
            self._sbaglia(riga, chiave, f"{cita(valore)} è già alla riga {prima} del foglio.")
        return prima != riga.numero
