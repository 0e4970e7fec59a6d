import datetime
from decimal import Decimal as D

import pytest

from indicators.engine import formatting
from indicators.engine.weights import verifica_pesi
from objectives.models import RisorsaFinanziaria as R
from objectives.risorse import totali_risorse
from peg.formatting import data_ora


def test_weights_summing_to_100_are_ok():
    verifica = verifica_pesi([D("30.00"), D("70.00")])
    assert verifica.ok and verifica.totale == D("100.00")
    assert verifica.etichetta == "100,00% OK"


@pytest.mark.parametrize(
    "pesi, etichetta",
    [
        ([D("30"), D("60")], "90,00% (mancano 10,00%)"),
        ([D("60"), D("60")], "120,00% (eccedono 20,00%)"),
        ([D("50"), None], "50,00% (mancano 50,00%, 1 senza peso)"),
        ([D("100"), None], "100,00% (1 senza peso)"),
        ([None, None], "pesi non indicati"),
        ([], "nessun elemento"),
    ],
)
def test_weights_not_ok_say_the_gap(pesi, etichetta):
    verifica = verifica_pesi(pesi)
    assert not verifica.ok
    assert verifica.etichetta == etichetta


def test_weights_round_half_up():
    assert verifica_pesi([D("33.333"), D("33.333"), D("33.339")]).totale == D("100.01")


@pytest.mark.parametrize(
    "value, expected",
    [
        (D("23000"), "23.000,00"),
        (D("1234567.891"), "1.234.567,89"),
        (D("0.125"), "0,13"),
        (D("2.675"), "2,68"),
        (D("0.005"), "0,01"),
        (1.005, "1,01"),
        (2.675, "2,68"),
        ("n. 50 utenti", "n. 50 utenti"),
        (D("-1500.5"), "-1.500,50"),
        (None, ""),
    ],
)
def test_numero_is_italian_and_half_up(value, expected):
    assert formatting.numero(value) == expected


def test_percent_money_dates():
    assert formatting.percentuale(D("100")) == "100,00%"
    assert formatting.euro(D("23000")) == "€ 23.000,00"
    assert formatting.data_lunga(datetime.date(2019, 9, 30)) == "30 settembre 2019"
    assert formatting.data_breve(datetime.date(2019, 9, 3)) == "03/09/2019"
    assert formatting.numero_compatto(D("0.6000")) == "0,6"
    assert formatting.numero_compatto(D("5000")) == "5.000"
    assert formatting.percentuale("") == "" and formatting.euro(None) == ""
    # Stored in UTC, shown in Rome's time, month in lower case as Italian writes it.
    utc = datetime.datetime(2019, 9, 30, 7, 5, tzinfo=datetime.UTC)
    assert data_ora(utc) == "30 settembre 2019, 09:05"
    assert data_ora(None) == ""


def test_risorse_totals_never_mix_entrate_and_spese():
    assert totali_risorse([]) == [("TOTALE", D("0"))]
    spese = [R(importo=D("23000")), R(importo=D("500")), R(importo=None)]
    assert totali_risorse(spese) == [("TOTALE", D("23500"))]
    misto = [*spese, R(importo=D("55000"), tipo="entrata"), R(importo=D("1"), natura="effettiva")]
    assert totali_risorse(misto) == [
        ("TOTALE spesa prevista", D("23500")),
        ("TOTALE spesa effettiva", D("1")),
        ("TOTALE entrata prevista", D("55000")),
    ]
