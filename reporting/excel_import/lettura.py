"""Reading the workbook: every sheet's rows, each cell read as the model wants it.

A file that is not a readable .xlsx, too large, or without a sheet or a column the
import needs is refused as a whole, with the reason in Italian.
"""

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from openpyxl import load_workbook

from ..excel import FOGLI, Col
from .celle import CellaNonValida, leggi_cella


def limite_mb() -> int:
    return settings.EXCEL_IMPORT_MAX_MB


@dataclass
class Riga:
    foglio: str
    numero: int
    valori: dict  # header → value

    def __getitem__(self, header):
        return self.valori[header]


def leggi(dati: bytes, errore: Callable) -> dict[str, list[Riga]] | None:
    """{sheet: rows} of the workbook; None (and ``errore`` called) if it cannot be read."""
    if len(dati) > limite_mb() * 1024 * 1024:
        errore(
            f"Il file è troppo grande ({len(dati) / 1024 / 1024:.1f} MB): "
            f"il limite è {limite_mb()} MB.".replace(".", ",", 1)
        )
        return None
    try:
        wb = load_workbook(io.BytesIO(dati), data_only=True, read_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        errore(
            "Il file non è un file Excel (.xlsx) leggibile: salvalo da Excel o "
            f"LibreOffice nel formato «Cartella di lavoro Excel (.xlsx)» ({type(exc).__name__})."
        )
        return None
    fogli, errori = {}, []

    def annota(*args):
        errori.append(args)
        errore(*args)

    try:
        for nome, colonne in FOGLI.items():
            if nome not in wb.sheetnames:
                annota(f"Manca il foglio «{nome}».")
                continue
            fogli[nome] = _foglio(wb[nome], nome, colonne, annota)
    finally:
        wb.close()
    return None if errori else fogli


def _foglio(ws, nome: str, colonne: tuple[Col, ...], errore: Callable) -> list[Riga]:
    iteratore = ws.iter_rows(values_only=True)
    intestazione = [str(v).strip().upper() if v is not None else "" for v in next(iteratore, ())]
    posizioni = {}
    for col in colonne:
        if col.header in intestazione:
            posizioni[col.header] = intestazione.index(col.header)
        elif col.importa:
            errore(f"manca la colonna {col.header}.", nome, 1)
    if any(col.importa and col.header not in posizioni for col in colonne):
        return []
    risultato = []
    for numero, valori in enumerate(iteratore, start=2):
        valori = list(valori)
        celle = {h: valori[i] if i < len(valori) else None for h, i in posizioni.items()}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in celle.values()):
            continue
        letti = {}
        for col in colonne:
            if not col.importa:
                continue
            try:
                letti[col.header] = leggi_cella(celle[col.header], col)
            except CellaNonValida as exc:
                errore(str(exc), nome, numero, col.header)
                letti[col.header] = None
        risultato.append(Riga(nome, numero, letti))
    return risultato


def anni_del_file(dati: bytes) -> set[int]:
    """The years of the Obiettivi sheet (to choose the piano from the command line)."""
    try:
        wb = load_workbook(io.BytesIO(dati), read_only=True, data_only=True)
    except Exception:  # the import proper reports it in Italian
        return set()
    try:
        if "Obiettivi" not in wb.sheetnames:
            return set()
        iteratore = wb["Obiettivi"].iter_rows(values_only=True)
        intestazione = [
            str(v).strip().upper() if v is not None else "" for v in next(iteratore, ())
        ]
        if "ANNO" not in intestazione:
            return set()
        i = intestazione.index("ANNO")
        anni = set()
        for valori in iteratore:
            try:
                anni.add(int(valori[i]))
            except (TypeError, ValueError, IndexError):
                continue
        return anni
    finally:
        wb.close()
