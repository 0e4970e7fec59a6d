"""Whole numbers from the query string or a form, the one way every page reads them.

``str.isdigit()`` is true for «²» or «١٢» and ``int()`` reads « 12 », «1_2» or «١٢»:
neither is the check a page wants for ``?anno=`` or ``?settore=``. ``intero`` takes
only ASCII digits (at most 18, so no giant number reaches the database) and gives None
for anything else, so a crafted parameter is ignored instead of raising."""

_CIFRE = frozenset("0123456789")


def intero(testo, minimo: int | None = None, massimo: int | None = None) -> int | None:
    """The number written in ``testo`` with ASCII digits only, within the bounds given;
    None for anything else (None, empty, signs, spaces, other digits, out of bounds)."""
    if not isinstance(testo, str) or not 0 < len(testo) <= 18 or not set(testo) <= _CIFRE:
        return None
    numero = int(testo)
    if (minimo is not None and numero < minimo) or (massimo is not None and numero > massimo):
        return None
    return numero


# The largest key a database column holds (64-bit signed, BigAutoField): a bigger number
# in a URL names no row, and SQLite's driver would refuse it with an OverflowError.
CHIAVE_MASSIMA = 2**63 - 1


def chiave(valore) -> int | None:
    """A primary key from a URL (an int from its converter, or text of ASCII digits):
    None if it is anything else or beyond what a database column holds."""
    if isinstance(valore, bool):
        return None
    numero = valore if isinstance(valore, int) else intero(valore)
    if numero is None or not -CHIAVE_MASSIMA <= numero <= CHIAVE_MASSIMA:
        return None
    return numero
