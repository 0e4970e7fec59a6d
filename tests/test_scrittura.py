"""peg.scrittura prints values as Django's templates print them (``{{ valore }}``,
``|truncatechars``), whatever the value."""

import datetime
from decimal import Decimal as D

import pytest
from django.template import Context, Template
from django.template.defaultfilters import truncatechars
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from peg.scrittura import in_html, tronca

VALORI = [
    "testo semplice",
    "<b>«virgolette» & 'apici'</b>",
    mark_safe("<i>già sicuro</i>"),
    gettext_lazy("Bozza"),
    12,
    D("1234.50"),
    1.5,
    True,
    None,
    datetime.date(2019, 9, 30),
    "",
]


@pytest.mark.parametrize("valore", VALORI, ids=repr)
def test_in_html_come_il_template(valore):
    assert in_html(valore) == Template("{{ v }}").render(Context({"v": valore}))


TESTI = [
    "breve",
    "x" * 120,
    "x" * 121,
    "e\u0301" * 70,  # decomposed accents: Django normalises them (NFC)
    "è" * 119 + "\u0301",
    "a" * 300,
    "",
    None,
    mark_safe("<b>sicuro</b>"),
]


@pytest.mark.parametrize("testo", TESTI, ids=repr)
@pytest.mark.parametrize("lunghezza", [1, 120])
def test_tronca_come_truncatechars(testo, lunghezza):
    assert tronca(testo, lunghezza) == truncatechars(testo, lunghezza)
