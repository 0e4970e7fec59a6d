"""genera_dati --utenti: the load test's users can log in and reach their own schede."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from objectives.models import Obiettivo
from peg.models import Ruolo

pytestmark = pytest.mark.django_db


def _genera(*extra):
    out = io.StringIO()
    call_command(
        "genera_dati",
        "--comune",
        "carico",
        "--settori",
        "3",
        "--obiettivi",
        "2",
        "--indicatori",
        "2",
        "--fasi",
        "1",
        *extra,
        stdout=out,
    )
    return out.getvalue()


def _accedi(client, username, password) -> bool:
    """Through the login page, as the load test does."""
    risposta = client.post(reverse("login"), {"username": username, "password": password})
    return risposta.status_code == 302


def test_users_one_responsabile_per_settore_and_a_segreteria(client):
    out = _genera("--utenti", "Prova-carico-1", "--stato", "in_monitoraggio")
    assert "segr-carico" in out and "resp-carico-s01" in out and "resp-carico-s03" in out
    nomi = set(get_user_model().objects.values_list("username", flat=True))
    assert {"segr-carico", "resp-carico-s01", "resp-carico-s02", "resp-carico-s03"} <= nomi
    ruolo = Ruolo.objects.get(utente__username="resp-carico-s02")
    assert ruolo.tipo == Ruolo.Tipo.RESPONSABILE
    assert [s.codice for s in ruolo.settori.all()] == ["S02"]
    assert [p.utente.username for p in ruolo.settori.get().responsabili.all()] == [
        "resp-carico-s02"
    ]
    propria = Obiettivo.objects.get(codice="2019_S02_01")
    altrui = Obiettivo.objects.get(codice="2019_S01_01")
    assert propria.stato == Obiettivo.Stato.IN_MONITORAGGIO

    assert _accedi(client, "resp-carico-s02", "Prova-carico-1")
    url = reverse("rendicontazione", args=["carico", propria.pk])
    assert client.get(url).status_code == 200
    altro = reverse("rendicontazione", args=["carico", altrui.pk])
    assert client.get(altro).status_code == 403

    client.logout()
    assert _accedi(client, "segr-carico", "Prova-carico-1")
    assert client.get(altro).status_code == 200


def test_without_option_no_users_and_drafts():
    _genera()
    assert not get_user_model().objects.filter(username__startswith="resp-carico").exists()
    assert set(Obiettivo.objects.values_list("stato", flat=True)) == {Obiettivo.Stato.BOZZA}


def test_sostituisci_recreates_the_users_and_refuses_clashes():
    _genera("--utenti", "Prova-carico-1")
    _genera("--utenti", "Prova-carico-2", "--sostituisci")
    assert get_user_model().objects.filter(username__startswith="resp-carico-").count() == 3
    assert get_user_model().objects.get(username="segr-carico").check_password("Prova-carico-2")
    get_user_model().objects.create(username="resp-altro-s01")
    with pytest.raises(CommandError, match="resp-altro-s01"):
        call_command("genera_dati", "--comune", "altro", "--settori", "1", "--utenti", "x")
