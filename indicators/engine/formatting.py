"""Numbers, money and dates the Italian way, as the official schede print them.

Pure functions (no locale, no ORM, no Django) so pages, PDFs, Excel and the engine agree.
"""

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

ZERO = Decimal("0")
CENTO = Decimal("100")

MESI = (
    "gennaio",
    "febbraio",
    "marzo",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "agosto",
    "settembre",
    "ottobre",
    "novembre",
    "dicembre",
)


_CIFRE = re.compile(r"\d+")
LUNGHEZZA_CHIAVE = 255


def chiave_naturale(codice: str) -> str:
    """The key that sorts codes as a person reads them: N 2 before N 10, VI - 2 before
    VI - 10. Every run of digits is padded to 12 (so a database sorts the key the same
    way), letters ignore case. Stored on the scheda (``codice_ordinabile``) for queries."""
    chiave = _CIFRE.sub(lambda m: m.group().lstrip("0").rjust(12, "0"), (codice or "").casefold())
    return chiave[:LUNGHEZZA_CHIAVE]


def _decimal(value) -> Decimal:
    # Through str() so a float is taken as written (1.005), not as its binary value.
    return value if isinstance(value, Decimal) else Decimal(str(value))


_CENTESIMO = Decimal("0.01")


def arrotonda(value, decimals: int = 2) -> Decimal:
    """Half-up rounding, as the schede do (0,125 → 0,13)."""
    esponente = _CENTESIMO if decimals == 2 else Decimal(1).scaleb(-decimals)
    return _decimal(value).quantize(esponente, rounding=ROUND_HALF_UP)


def _vuoto(value) -> bool:
    return value is None or value == ""


def numero(value, decimals: int = 2) -> str:
    """23000 → "23.000,00"; None → ""; text that is not a number is returned as it is."""
    if _vuoto(value):
        return ""
    try:
        rounded = arrotonda(value, decimals)
    except InvalidOperation:
        return str(value)
    sign = "-" if rounded < 0 else ""
    text = f"{abs(rounded):,.{decimals}f}"  # 23,000.00
    return sign + text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def numero_compatto(value) -> str:
    """A value without trailing zeros: 0.6000 → "0,6", 812.5000 → "812,5", 5 → "5"."""
    if _vuoto(value):
        return ""
    try:
        normalized = _decimal(value).normalize()
    except InvalidOperation:
        return str(value)
    decimals = max(0, -normalized.as_tuple().exponent)
    return numero(normalized, decimals)


def compatto(value: Decimal | None) -> Decimal | None:
    """812.5000 → 812.5, 100.0000 → 100 (no exponent) for a form's initial value."""
    if value is None:
        return None
    return value.quantize(1) if value == value.to_integral_value() else value.normalize()


def percentuale(value) -> str:
    """30 → "30,00%"."""
    return "" if _vuoto(value) else f"{numero(value)}%"


def euro(value) -> str:
    """23000 → "€ 23.000,00"."""
    return "" if _vuoto(value) else f"€ {numero(value)}"


def data_lunga(value: date | None) -> str:
    """date(2019, 9, 30) → "30 settembre 2019"."""
    if value is None:
        return ""
    return f"{value.day} {MESI[value.month - 1]} {value.year}"


def data_breve(value: date | None) -> str:
    """date(2019, 9, 30) → "30/09/2019"."""
    return value.strftime("%d/%m/%Y") if value else ""


def breve(testo: str, n: int) -> str:
    """A text on one line, at most ``n`` characters: cut with "…" when longer."""
    testo = " ".join((testo or "").split())
    return testo if len(testo) <= n else testo[: n - 1] + "…"


def quanti(n, forme: str, come: str | None = None) -> str:
    """A count with its noun in the right number: quanti(1, "scheda proposta,schede proposte")
    → "1 scheda proposta", quanti(3, ...) → "3 schede proposte" (0 takes the plural).
    ``come``: the number as it is to be written, when not plain (e.g. "1,5")."""
    singolare, _, plurale = forme.partition(",")
    return f"{n if come is None else come} {singolare if n == 1 else plurale or singolare}"
