"""The home page per role: a responsabile's schede, the segreteria's progress."""

import datetime
import io
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.urls import reverse

from objectives.models import Obiettivo
from peg.models import Comune, Ruolo, Settore

from .factories import FaseFactory, IndicatoreFactory, ObiettivoFactory, RuoloFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_responsabile_sees_own_schede_with_state_score_and_next_deadline(client, settings):
    mia = ObiettivoFactory(stato=Obiettivo.Stato.IN_MONITORAGGIO, codice="MIO-1")
    IndicatoreFactory(obiettivo=mia, numero=1, peso=D(100), data_attesa=datetime.date(2099, 3, 31))
    FaseFactory(obiettivo=mia, numero=1, data_fine_prevista=datetime.date(2099, 2, 28))
    altrui = ObiettivoFactory(piano=mia.piano, codice="ALTRO-1")
    user = UserFactory(username="resp-home")
    RuoloFactory(utente=user, comune=mia.piano.comune, tipo=Ruolo.Tipo.RESPONSABILE).settori.add(
        mia.settore
    )
    client.force_login(user)
    page = client.get(reverse("home")).content.decode()
    assert "Le tue schede" in page
    assert "MIO-1" in page and "In monitoraggio" in page and "incompleto" in page
    assert "28 febbraio 2099" in page  # the fase ends before the indicatore is due
    assert altrui.codice not in page
    assert "Avanzamento del comune" not in page


def test_segreteria_sees_progress_and_past_deadlines(client, demo):
    chiavari = demo("chiavari")
    Obiettivo.objects.filter(piano__comune=chiavari, anno=2019).update(
        stato=Obiettivo.Stato.IN_MONITORAGGIO
    )
    user = UserFactory(username="segr-home")
    RuoloFactory(utente=user, comune=chiavari, tipo=Ruolo.Tipo.SEGRETERIA)
    client.force_login(user)
    page = client.get(reverse("home")).content.decode()
    assert "In monitoraggio: <strong>10</strong>" in page
    assert "Approvato: <strong>13</strong>" in page
    assert (
        "Settori in ritardo" in page and "SETTORE VI - SERVIZI SOCIALI, ISTRUZIONE, CASA:" in page
    )
    assert "30 settembre 2019" in page  # VI - 1 indicatore 1, past due, no value
    assert "Le tue schede" not in page


def test_home_queries_do_not_grow_with_the_comune(client, django_assert_max_num_queries):
    call_command(
        "genera_dati",
        "--comune",
        "grande",
        "--settori",
        "5",
        "--obiettivi",
        "10",
        "--indicatori",
        "3",
        "--fasi",
        "2",
        stdout=io.StringIO(),
    )
    comune = Comune.objects.get(slug="grande")
    user = UserFactory(username="tutti-i-ruoli")
    RuoloFactory(utente=user, comune=comune, tipo=Ruolo.Tipo.SEGRETERIA)
    RuoloFactory(utente=user, comune=comune, tipo=Ruolo.Tipo.RESPONSABILE).settori.set(
        Settore.objects.filter(comune=comune)
    )
    client.force_login(user)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("home")).content.decode()
    assert page.count("2019_S0") >= 50
