"""Cruscotto and relazione open on the year being reported (the latest with a
rendicontazione, else the current one) and choose the year the same way."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _anno(ente, anno, *tratti):
    return ente.scheda(*tratti, anno=anno, anno_inizio=anno, anno_fine=anno)


def _pagine(client, ente):
    slug, pk = ente.comune.slug, ente.piano.pk
    return (
        client.get(reverse("cruscotto", args=[slug, pk])).content.decode(),
        client.get(reverse("relazione", args=[slug, pk])).content.decode(),
    )


def _scelta(html: str) -> list[str]:
    """The year chooser: the years offered, the current one marked."""
    nav = html.split('<nav aria-label="Anno"')[1].split("</nav>")[0]
    return re.findall(r'(aria-current="page" )?href="\?anno=(\d+)"', nav)


def test_both_open_on_the_latest_year_with_a_rendicontazione(client, ente):
    _anno(ente, 2019, "rendicontato", "con_rilevazioni")
    _anno(ente, 2020, "approvato")
    _anno(ente, 2021, "bozza")
    client.force_login(ente.segreteria)
    cruscotto, relazione = _pagine(client, ente)
    assert '<h1 class="h2">Cruscotto 2019</h1>' in cruscotto
    assert "Relazione sulla performance 2019</h1>" in relazione
    scelta = [('aria-current="page" ', "2019"), ("", "2020"), ("", "2021")]
    assert _scelta(cruscotto) == _scelta(relazione) == scelta


def test_without_rendicontazione_the_latest_year_with_schede(client, ente):
    _anno(ente, 2019, "approvato")
    _anno(ente, 2020, "approvato")
    client.force_login(ente.segreteria)
    cruscotto, relazione = _pagine(client, ente)
    assert "Cruscotto 2020" in cruscotto and "Relazione sulla performance 2020" in relazione
    assert _scelta(cruscotto) == _scelta(relazione)
