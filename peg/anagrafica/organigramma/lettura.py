"""The organigramma's file read into rows of text, sheet by sheet.

An .xlsx (the template filled in: sheets Settori and Persone; Istruzioni and any other
sheet are ignored) or a .csv (the Persone sheet alone, UTF-8 with or without BOM,
separated by «;» or «,» as its header row shows). The first non-empty row of a sheet
is its header: columns are found by name (any case or spacing, any order); an unknown
column, one given twice or a required one missing is an error naming it, and such a
sheet is not read further. Blank rows are skipped. Every cell becomes text here (a
number as written, a date as GG/MM/AAAA): what a cell cannot hold (an error of Excel
such as #REF!, a number Excel does not keep exact) is an error of that cell, which is
then ``None`` so the checks do not report it twice. Whatever else a damaged file makes
a parser raise is one error in Italian, never a traceback.
"""

import csv
import io
import logging
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl import load_workbook

from ...archivio import SALVA_COME, FileNonValido, esamina, verifica_dimensione
from ...importazione import ERRORI_EXCEL
from .colonne import COLONNE, PERSONE, SETTORI, Colonna, normalizza

logger = logging.getLogger(__name__)

# A comune's staff is thousands of rows at most; a sheet claiming the whole grid is
# not walked cell by cell.
MAX_RIGHE = 100_000
MAX_COLONNE = 100
# Excel keeps 15 significant digits: a longer number in a cell (a matricola typed as a
# number) has already lost its last digits, so it is refused rather than stored wrong.
CIFRE = 15
CSV_UTF8 = (
    "salvalo come «CSV UTF-8 (delimitato da virgole)» in Excel, o con la codifica UTF-8 "
    "in LibreOffice."
)


@dataclass
class Riga:
    foglio: str
    numero: int  # as the spreadsheet shows it
    valori: dict  # column chiave → text ("" empty, None: the cell's error is reported)

    def __getitem__(self, chiave):
        return self.valori.get(chiave, "")

    def __contains__(self, chiave) -> bool:
        return chiave in self.valori


class CellaNonValida(Exception):
    pass


def testo(valore) -> str:
    """The cell as text; raises CellaNonValida with the Italian reason."""
    if valore is None:
        return ""
    if isinstance(valore, bool):
        return "sì" if valore else "no"
    if isinstance(valore, int | float):
        if isinstance(valore, float) and not math.isfinite(valore):
            raise CellaNonValida("il numero non è un valore valido: scrivi il valore come testo.")
        if abs(valore) >= 10**CIFRE:
            raise CellaNonValida(
                f"il numero ha più di {CIFRE} cifre, che Excel non conserva esatte: "
                "scrivi il valore come testo."
            )
        return str(int(valore)) if float(valore).is_integer() else str(valore).replace(".", ",")
    if isinstance(valore, datetime | date):
        return valore.strftime("%d/%m/%Y")
    scritto = str(valore).replace("\r\n", "\n").replace("\r", "\n").strip()
    if scritto in ERRORI_EXCEL:
        raise CellaNonValida(
            f"la cella contiene un errore di Excel ({scritto}): correggi la formula o scrivi "
            "il valore."
        )
    if any(ord(c) < 32 and c not in "\n\t" for c in scritto):
        raise CellaNonValida("il testo contiene caratteri di controllo: riscrivilo.")
    return scritto


def leggi(dati: bytes, nome_file: str, errore: Callable) -> dict[str, list[Riga]] | None:
    """{sheet: rows} of the file (a CSV gives only Persone); None if the file or the
    header of a sheet cannot be read (``errore`` says why)."""
    estensione = nome_file.rsplit(".", 1)[-1].casefold() if "." in nome_file else ""
    try:
        verifica_dimensione(len(dati))
    except FileNonValido as exc:
        errore(str(exc))
        return None
    if not dati.strip():
        errore("Il file è vuoto.")
        return None
    if estensione == "xlsx" or (estensione == "csv" and dati.startswith(b"PK\x03\x04")):
        return _xlsx(dati, errore)
    if estensione == "csv":
        return _csv(dati, errore)
    errore(
        f"Il file «{nome_file}» non è né un .xlsx né un .csv: carica il modello compilato "
        "(.xlsx) oppure il solo foglio Persone salvato come «CSV UTF-8»."
    )
    return None


def _xlsx(dati: bytes, errore: Callable) -> dict[str, list[Riga]] | None:
    try:
        esamina(dati)
        wb = load_workbook(io.BytesIO(dati), read_only=True, data_only=True)
    except FileNonValido as exc:
        errore(str(exc))
        return None
    except Exception as exc:  # a damaged file may make openpyxl raise anything
        logger.info("Organigramma non leggibile: %r", exc)
        errore(f"Il file non è un file Excel (.xlsx) leggibile: {SALVA_COME}")
        return None
    fogli, completi = {}, True
    try:
        nomi = {normalizza(nome): nome for nome in wb.sheetnames}
        for foglio in (SETTORI, PERSONE):
            if normalizza(foglio) not in nomi:
                errore(f"Manca il foglio «{foglio}»: parti dal modello dell'organigramma.")
                completi = False
                continue
            ws = wb[nomi[normalizza(foglio)]]
            if not hasattr(ws, "iter_rows"):
                errore("non è un foglio di celle (è un grafico?).", foglio)
                completi = False
                continue
            righe = ws.iter_rows(values_only=True, max_col=MAX_COLONNE, max_row=MAX_RIGHE + 1)
            fogli[foglio] = lette = []
            completi &= _protetto(foglio, enumerate(righe, start=1), errore, lette)
    finally:
        wb.close()
    return fogli if completi else None


def _csv(dati: bytes, errore: Callable) -> dict[str, list[Riga]] | None:
    try:
        scritto = dati.decode("utf-8-sig")
    except UnicodeDecodeError:
        errore(f"Il file CSV non è in UTF-8: {CSV_UTF8}")
        return None
    intestazione = next((r for r in scritto.splitlines() if r.strip()), "")
    # The header names no column with «;» or «,» in it: the one it has more of separates.
    separatore = ";" if intestazione.count(";") > intestazione.count(",") else ","
    righe = csv.reader(io.StringIO(scritto, newline=""), delimiter=separatore)
    lette: list[Riga] = []
    if not _protetto(PERSONE, enumerate(righe, start=1), errore, lette):
        return None
    return {PERSONE: lette}


def _protetto(foglio: str, righe: Iterable, errore: Callable, lette: list) -> bool:
    """``_tabella``, with what a parser raises mid-sheet turned into one error."""
    try:
        return _tabella(foglio, righe, errore, lette)
    except Exception as exc:  # a damaged sheet, a value no cell can hold, a broken CSV
        logger.info("Organigramma: foglio %s non leggibile: %r", foglio, exc)
        dopo = f" dopo la riga {lette[-1].numero}" if lette else ""
        errore(
            f"il foglio non si legge{dopo}: contiene un valore che un foglio di calcolo non "
            f"può contenere, o è danneggiato: {SALVA_COME}",
            foglio,
        )
        return False


def _tabella(foglio: str, righe: Iterable, errore: Callable, lette: list) -> bool:
    """The rows after the header appended to ``lette``; False if the header is wrong."""
    posizioni = None
    for numero, valori in righe:
        valori = tuple(valori)
        if posizioni is None:
            if all(v is None or not str(v).strip() for v in valori):
                continue
            posizioni = _intestazione(foglio, numero, valori, errore)
            if posizioni is None:
                return False
            continue
        if numero > MAX_RIGHE:
            massimo = f"{MAX_RIGHE:,}".replace(",", ".")
            errore(f"il foglio ha più di {massimo} righe: dividi il file.", foglio)
            return False
        celle = {}
        for indice, col in posizioni:
            try:
                celle[col.chiave] = testo(valori[indice] if indice < len(valori) else None)
            except CellaNonValida as exc:
                errore(str(exc), foglio, numero, col.intestazione)
                celle[col.chiave] = None
        if all(v == "" for v in celle.values()):
            continue
        lette.append(Riga(foglio, numero, celle))
    if posizioni is None:
        errore("il foglio è vuoto: manca la riga con i nomi delle colonne.", foglio)
        return False
    return True


def _intestazione(foglio: str, numero: int, valori: tuple, errore: Callable):
    """[(index, Colonna)] of the header row, or None after naming what is wrong."""
    colonne = COLONNE[foglio]
    per_nome: dict[str, Colonna] = {}
    for col in colonne:
        per_nome[normalizza(col.intestazione)] = col
        for alias in col.alias:
            per_nome.setdefault(normalizza(alias), col)
    elenco = ", ".join(c.intestazione for c in colonne)
    posizioni, viste, giusta = [], set(), True
    for indice, valore in enumerate(valori):
        nome = " ".join(str(valore or "").split())
        if not nome:
            continue
        col = per_nome.get(normalizza(nome))
        if col is None:
            errore(f"non è una colonna del foglio (sono: {elenco}).", foglio, numero, nome[:60])
            giusta = False
        elif col.chiave in viste:
            errore("la colonna compare due volte.", foglio, numero, col.intestazione)
            giusta = False
        else:
            viste.add(col.chiave)
            posizioni.append((indice, col))
    for col in colonne:
        if col.obbligatoria and col.chiave not in viste:
            errore(f"manca la colonna obbligatoria «{col.intestazione}».", foglio, numero)
            giusta = False
    return posizioni if giusta else None
