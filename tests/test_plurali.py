"""Counts agree with their noun: «1 scheda proposta», «2 schede proposte»."""

import datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse

from indicators.engine.formatting import quanti
from indicators.engine.graduation import parse
from indicators.engine.scoring import CALCOLATO, Esito, Sistema, aggrega
from objectives.models import Obiettivo
from peg.models import Piano, Ruolo

from .factories import ObiettivoFactory, PianoFactory
from .utenti import utente

S = Obiettivo.Stato


def test_one_helper_for_every_count():
    assert quanti(1, "scheda proposta,schede proposte") == "1 scheda proposta"
    assert quanti(2, "scheda proposta,schede proposte") == "2 schede proposte"
    assert quanti(0, "scheda,schede") == "0 schede"


def test_one_day_late_is_one_giorno():
    regola = parse("gg di ritardo +5 = 90%")
    passi = regola.explain(
        deadline=datetime.date(2019, 9, 30), completed_on=datetime.date(2019, 10, 1)
    ).passi
    assert any("1 giorno di ritardo" in p for p in passi)
    assert parse("gg di ritardo +1 = 90%").describe().endswith("oltre 1 giorno: 0,00%.")


def test_one_element_without_weight_is_one_elemento():
    voci = [(D(100), Esito("a", D(50), CALCOLATO)), (None, Esito("b", D(80), CALCOLATO))]
    assert "1 elemento senza peso: non conta." in aggrega("x", voci, Sistema()).avvisi


@pytest.mark.django_db
def test_approving_one_scheda_says_scheda(client):
    piano = PianoFactory(stato=Piano.Stato.BOZZA)
    ObiettivoFactory(piano=piano, codice="A", proposto=True)
    client.force_login(utente(piano.comune, Ruolo.Tipo.SEGRETERIA))
    url = reverse("approva_piano", args=[piano.comune.slug, piano.pk])
    response = client.post(
        url, {"delibera_numero": "45", "delibera_data": "2019-03-28"}, follow=True
    )
    assert "Piano approvato: 1 scheda proposta ora approvata." in response.content.decode()


@pytest.mark.django_db
def test_pages_count_one_scheda(client, ente):
    ente.scheda("approvato")
    client.force_login(ente.segreteria)
    slug, pk = ente.comune.slug, ente.piano.pk
    piano = client.get(reverse("piano", args=[slug, pk])).content.decode()
    assert "· 1 scheda</p>" in piano
    settore = client.get(reverse("cruscotto_settore", args=[slug, pk, ente.settore_a.pk]))
    assert "· 1 scheda</p>" in settore.content.decode()
    cruscotto = client.get(reverse("cruscotto", args=[slug, pk])).content.decode()
    assert "1 scheda visibile" in cruscotto
