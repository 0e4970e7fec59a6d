"""peg.parametri: whole numbers and keys read from URLs, query strings and forms."""

import pytest

from peg.parametri import CHIAVE_MASSIMA, chiave, intero


@pytest.mark.parametrize(
    "testo, atteso",
    [("12", 12), ("0", 0), (" 12", None), ("1_2", None), ("²", None), ("١٢", None), ("", None)],
)
def test_intero_solo_cifre_ascii(testo, atteso):
    assert intero(testo) == atteso


@pytest.mark.parametrize(
    "valore, atteso",
    [
        (7, 7),
        ("7", 7),
        (CHIAVE_MASSIMA, CHIAVE_MASSIMA),
        (CHIAVE_MASSIMA + 1, None),
        (10**20, None),
        (-CHIAVE_MASSIMA - 1, None),
        ("1.5", None),
        (None, None),
        (True, None),
        (1.0, None),
    ],
)
def test_chiave_nei_limiti_di_una_colonna(valore, atteso):
    assert chiave(valore) == atteso
