"""Reading the workbook: every sheet's rows, each cell read as the model wants it.

A file that is not a readable .xlsx, too large (compressed or not), or without a sheet
or a column the import needs is refused as a whole, with the reason in Italian. The
zip is checked first (``archivio``); the XML is parsed by openpyxl through defusedxml,
so a DOCTYPE with entities is refused, not expanded. Whatever else a damaged file makes
the parser raise is refused with the sheet and the last row read.
"""

import io
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError

import openpyxl
from defusedxml import DefusedXmlException
from django.core.exceptions import ImproperlyConfigured
from openpyxl import load_workbook

from peg.archivio import SALVA_COME, FileNonValido, esamina, limite_mb, limite_mb_decompresso
from peg.importazione import normalizza

from ..excel import ALIAS_FOGLI, FOGLI, FOGLI_FACOLTATIVI, Col
from .celle import CellaNonValida, leggi_cella

__all__ = ["Riga", "anni_del_file", "leggi", "limite_mb", "limite_mb_decompresso"]

logger = logging.getLogger(__name__)
# Columns and rows read per sheet: the export has at most 45 columns; a file claiming
# the whole grid (A1:XFD1048576) is not walked cell by cell.
MAX_COLONNE = 200
MAX_RIGHE = 100_000
ENTITA = (
    "Il file contiene dichiarazioni XML (DOCTYPE con entità) che un file Excel non usa: "
    f"per sicurezza non viene letto. Se l'hai preparato tu, {SALVA_COME}"
)
if not openpyxl.DEFUSEDXML:
    raise ImproperlyConfigured("openpyxl must parse through defusedxml: pip install defusedxml")


@dataclass
class Riga:
    foglio: str
    numero: int
    valori: dict  # column chiave → value (only the columns the file has)
    # column chiave → the object(s) the cell names, as found (``verifica``)
    oggetti: dict = field(default_factory=dict)

    def __getitem__(self, chiave):
        return self.valori[chiave]

    def __contains__(self, chiave) -> bool:
        return chiave in self.valori


def _causato_da(exc: BaseException | None, tipo) -> bool:
    """Is ``exc``, or what it was raised from (openpyxl wraps in ValueError), a ``tipo``?"""
    while exc is not None:
        if isinstance(exc, tipo):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _non_leggibile(exc: Exception) -> str:
    if _causato_da(exc, DefusedXmlException):
        return ENTITA
    logger.info("Excel non leggibile: %r", exc)
    if _causato_da(exc, ParseError):
        return f"Il file è danneggiato (XML non valido): {SALVA_COME}"
    return f"Il file non è un file Excel (.xlsx) leggibile: {SALVA_COME}"


def leggi(dati: bytes, errore: Callable) -> dict[str, list[Riga]] | None:
    """{sheet: rows} of the workbook; None (and ``errore`` called) if it cannot be read."""
    try:
        esamina(dati)
        wb = load_workbook(io.BytesIO(dati), data_only=True, read_only=True)
    except FileNonValido as exc:
        errore(str(exc))
        return None
    except Exception as exc:  # a damaged file may make openpyxl raise anything
        errore(_non_leggibile(exc))
        return None
    fogli, errori = {}, []

    def annota(*args):
        errori.append(args)
        errore(*args)

    try:
        nomi = _nomi_dei_fogli(wb.sheetnames)
        for nome, colonne in FOGLI.items():
            if nome not in nomi:
                if nome not in FOGLI_FACOLTATIVI:
                    annota(f"Manca il foglio «{nome}».")
                continue
            lette = []
            try:
                _foglio(wb[nomi[nome]], nome, colonne, annota, lette)
            except Exception as exc:  # the XML of this sheet, or a value in it
                dopo = f" dopo la riga {lette[-1].numero}" if lette else ""
                if _causato_da(exc, DefusedXmlException):
                    annota(ENTITA, nome)
                elif _causato_da(exc, ParseError):
                    annota(f"il foglio è danneggiato{dopo} (XML non valido): {SALVA_COME}", nome)
                else:
                    logger.info("Excel: foglio %s non leggibile: %r", nome, exc)
                    annota(
                        f"una cella{dopo} ha un valore che un file Excel non può contenere: "
                        f"{SALVA_COME}",
                        nome,
                    )
                continue
            fogli[nome] = lette
    finally:
        wb.close()
    return None if errori else fogli


def _nomi_dei_fogli(nomi: list[str]) -> dict[str, str]:
    """{sheet of FOGLI: its name in the file}, by name or former name, any case or
    spacing; sheets the import does not know (Risultati, a user's own) are ignored."""
    noti = {normalizza(n): n for n in FOGLI}
    noti |= {normalizza(vecchio): nuovo for vecchio, nuovo in ALIAS_FOGLI.items()}
    trovati: dict[str, str] = {}
    for nome in nomi:
        foglio = noti.get(normalizza(nome))
        if foglio is not None and (foglio not in trovati or nome == foglio):
            trovati[foglio] = nome
    return trovati


def posizioni(intestazione: list, colonne: tuple[Col, ...]) -> dict[str, int]:
    """{column chiave: index} of the columns found in a header row: by the Italian
    header or the technical name, any case or spacing; the first occurrence counts."""
    per_nome = {}
    for col in colonne:
        per_nome[normalizza(col.header)] = col.chiave
        per_nome.setdefault(normalizza(col.chiave), col.chiave)
    trovate: dict[str, int] = {}
    for indice, testo in enumerate(intestazione):
        chiave = per_nome.get(normalizza(testo))
        if chiave is not None and chiave not in trovate:
            trovate[chiave] = indice
    return trovate


def _foglio(ws, nome: str, colonne: tuple[Col, ...], errore: Callable, risultato: list) -> None:
    """The rows of the sheet appended to ``risultato`` (what was read before a failure
    says where the sheet is damaged)."""
    if not hasattr(ws, "iter_rows"):
        errore("non è un foglio di celle (è un grafico?).", nome)
        return
    iteratore = ws.iter_rows(values_only=True, max_col=MAX_COLONNE, max_row=MAX_RIGHE + 1)
    trovate = posizioni(list(next(iteratore, ())), colonne)
    mancanti = [c for c in colonne if c.importa and not c.facoltativa and c.chiave not in trovate]
    for col in mancanti:
        errore(f"manca la colonna «{col.header}».", nome, 1)
    if mancanti:
        return
    lette = [c for c in colonne if c.importa and c.chiave in trovate]
    for numero, valori in enumerate(iteratore, start=2):
        celle = {h: valori[i] if i < len(valori) else None for h, i in trovate.items()}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in celle.values()):
            continue
        if numero > MAX_RIGHE:
            massimo = f"{MAX_RIGHE:,}".replace(",", ".")
            errore(f"il foglio ha più di {massimo} righe: dividi il file.", nome, numero)
            return
        letti = {}
        for col in lette:
            try:
                letti[col.chiave] = leggi_cella(celle[col.chiave], col)
            except CellaNonValida as exc:
                errore(str(exc), nome, numero, col.header)
                letti[col.chiave] = None
        risultato.append(Riga(nome, numero, letti))


def anni_del_file(dati: bytes) -> set[int]:
    """The years of the Obiettivi sheet (to choose the piano from the command line);
    none if the file cannot be read (the import proper says why, in Italian)."""
    try:
        esamina(dati)
        wb = load_workbook(io.BytesIO(dati), read_only=True, data_only=True)
    except Exception:
        return set()
    try:
        return _anni(wb)
    except Exception:
        return set()
    finally:
        wb.close()


def _anni(wb) -> set[int]:
    nomi = _nomi_dei_fogli(wb.sheetnames)
    if "Obiettivi" not in nomi:
        return set()
    iteratore = wb[nomi["Obiettivi"]].iter_rows(
        values_only=True, max_col=MAX_COLONNE, max_row=MAX_RIGHE
    )
    trovate = posizioni(list(next(iteratore, ())), FOGLI["Obiettivi"])
    if "ANNO" not in trovate:
        return set()
    i = trovate["ANNO"]
    anni = set()
    for valori in iteratore:
        try:
            anni.add(int(valori[i]))
        except (TypeError, ValueError, IndexError, OverflowError):
            continue
    return anni
