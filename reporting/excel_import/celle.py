"""One cell of the workbook as the model wants it, or the Italian reason it is not."""

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from peg.forms import normalizza_numero
from peg.importazione import ERRORI_EXCEL
from peg.parametri import intero

from ..excel import Col

DATA_ITALIANA = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
# No decimal field of the schede holds more integer digits (valori: 11, importi: 12):
# a larger number is refused here, before quantizing it could overflow.
CIFRE_INTERE = 15


class CellaNonValida(Exception):
    pass


def _testo_di(valore) -> str:
    if isinstance(valore, float) and valore.is_integer():
        return str(int(valore))
    if isinstance(valore, datetime):
        return valore.strftime("%d/%m/%Y")
    return str(valore)


def _cita(valore) -> str:
    """The value quoted in a message, cut if long."""
    testo = _testo_di(valore)
    return f'"{testo if len(testo) <= 60 else testo[:57] + "…"}"'


def leggi_cella(valore, col: Col):
    """The cell's value as the model wants it; raises _Cella with the Italian reason."""
    if isinstance(valore, str) and col.kind != "testo":
        valore = valore.strip()
    if isinstance(valore, str) and valore.strip() in ERRORI_EXCEL:
        raise CellaNonValida(
            f"la cella contiene un errore di Excel ({valore.strip()}): correggi la formula "
            "o scrivi il valore."
        )
    if valore is None or valore == "":
        if col.required:
            raise CellaNonValida("manca il valore (obbligatorio).")
        return {"testo": "", "scelta": "", "bool": False, "elenco": (), "riferimento": ""}.get(
            col.kind
        )
    if col.kind == "testo":
        return _testo_di(valore)
    if col.kind == "intero":
        if isinstance(valore, bool):
            raise CellaNonValida(f"{_cita(valore)} non è un numero intero.")
        if isinstance(valore, int):
            return valore
        if isinstance(valore, float) and valore.is_integer():
            return int(valore)
        if isinstance(valore, str) and intero(valore) is not None:
            return intero(valore)
        raise CellaNonValida(f"{_cita(valore)} non è un numero intero.")
    if col.decimali is not None:
        return _decimale(valore, col.decimali)
    if col.kind == "data":
        if isinstance(valore, datetime):
            return valore.date()
        if isinstance(valore, date):
            return valore
        trovata = DATA_ITALIANA.match(str(valore))
        if trovata:
            giorno, mese, anno = (int(x) for x in trovata.groups())
            try:
                return date(anno, mese, giorno)
            except ValueError:
                pass
        raise CellaNonValida(f"{_cita(valore)} non è una data (GG/MM/AAAA).")
    if col.kind == "bool":
        testo = str(valore).strip().lower()
        if valore is True or testo in ("sì", "si", "s", "x", "1", "vero"):
            return True
        if valore is False or testo in ("no", "n", "0", "falso"):
            return False
        raise CellaNonValida(f"{_cita(valore)} non è «sì» o «no».")
    if col.kind == "elenco":
        # One a line (or separated by «;»): resolved against the piano by ``verifica``.
        return tuple(riga.strip() for riga in _testo_di(valore).splitlines() if riga.strip())
    if col.kind == "riferimento":
        if isinstance(valore, float) and not valore.is_integer():
            valore = f"{valore:.2f}"  # a programma typed as 12.10 that Excel made a number
        return " ".join(_testo_di(valore).split())
    # scelta: its label or its code, any case or spacing
    testo = " ".join(str(valore).split()).casefold()
    for codice, etichetta in col.choices:
        if testo in (codice.casefold(), etichetta.casefold()):
            return codice
    raise CellaNonValida(f"{_cita(valore)} non è tra i valori ammessi: {', '.join(col.etichette)}.")


def _decimale(valore, decimali: int) -> Decimal:
    if isinstance(valore, bool):
        raise CellaNonValida(f"{_cita(valore)} non è un numero.")
    try:
        if isinstance(valore, int | float):
            numero = Decimal(repr(valore)) if isinstance(valore, float) else Decimal(valore)
        else:
            numero = Decimal(normalizza_numero(str(valore)))
        if not numero.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        raise CellaNonValida(f"{_cita(valore)} non è un numero.") from None
    if numero.adjusted() >= CIFRE_INTERE:
        raise CellaNonValida(
            f"{_cita(valore)} è un numero troppo grande "
            f"(al massimo {CIFRE_INTERE} cifre prima della virgola)."
        )
    if isinstance(valore, float):
        numero = Decimal(str(round(valore, decimali)))
    quantizzato = numero.quantize(Decimal(1).scaleb(-decimali))
    if quantizzato != numero:
        raise CellaNonValida(f"{_cita(valore)}: al massimo {decimali} decimali.")
    return quantizzato


def normalizza(valore, col: Col):
    """An exported cell in the form the import reads it (to tell unchanged schede)."""
    try:
        return leggi_cella(valore, col)
    except CellaNonValida:
        return valore
