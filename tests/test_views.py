"""Read-only front: who sees what, what the scheda shows, bounded queries."""

import datetime
import io
from decimal import Decimal as D

import pytest
from django.core.files.base import ContentFile
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error
from PIL import Image

from objectives.models import Obiettivo
from peg.models import Ruolo

from .factories import (
    FaseFactory,
    IndicatoreFactory,
    ObiettivoFactory,
    RilevazioneFactory,
    RisorsaFinanziariaFactory,
    RisorsaUmanaFactory,
    RuoloFactory,
    UserFactory,
    ValoreStoricoFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def chiavari(demo):
    return demo("chiavari")


@pytest.fixture
def meschi(client, chiavari, django_user_model):
    user = UserFactory(username="meschi-test")
    RuoloFactory(utente=user, comune=chiavari, tipo=Ruolo.Tipo.RESPONSABILE)
    client.force_login(user)
    return user


def _vi_1_2019():
    return Obiettivo.objects.get(piano__comune__slug="chiavari", codice="VI - 1", anno=2019)


@pytest.mark.parametrize("name", ["home"])
def test_anonymous_is_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_anonymous_cannot_read_a_scheda(client, chiavari):
    response = client.get(reverse("obiettivo", args=["chiavari", _vi_1_2019().pk]))
    assert response.status_code == 302 and reverse("login") in response.url


def test_login_page_is_italian(client):
    response = client.post(reverse("login"), {"username": "nessuno", "password": "x"})
    assert "Nome utente o password non corretti" in response.content.decode()


def test_home_lists_only_the_comuni_of_the_user(client, meschi, demo):
    demo("soresina")
    page = client.get(reverse("home")).content.decode()
    assert "Comune di Chiavari" in page
    assert "Soresina" not in page


def test_user_without_role_sees_nothing_of_a_comune(client, chiavari):
    outsider = UserFactory(username="esterno")
    client.force_login(outsider)
    obiettivo = _vi_1_2019()
    for url in (
        reverse("comune", args=["chiavari"]),
        reverse("piano", args=["chiavari", obiettivo.piano_id]),
        reverse("obiettivo", args=["chiavari", obiettivo.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_obiettivo_of_another_comune_is_not_reachable_through_my_comune(client, meschi, demo):
    soresina = demo("soresina")
    altrui = Obiettivo.objects.filter(piano__comune=soresina).first()
    assert client.get(reverse("obiettivo", args=["chiavari", altrui.pk])).status_code == 404
    assert client.get(reverse("obiettivo", args=["soresina", altrui.pk])).status_code == 404
    assert client.get(reverse("piano", args=["chiavari", altrui.piano_id])).status_code == 404


def test_scheda_is_laid_out_like_chiavari(client, meschi):
    page = client.get(reverse("obiettivo", args=["chiavari", _vi_1_2019().pk])).content.decode()
    for text in (
        "Codice obiettivo:",
        "VI - 1",
        "ANNI 2019-2020",
        "PROGETTO &quot;LE STORIE&quot; PER ADOLESCENTI E FAMIGLIE",
        "Ambiti della performance organizzativa",
        "Implementazione o miglioramento di sistemi di monitoraggio delle dinamiche finanziarie interne",
        "30,00%",
        "70,00%",
        "30 settembre 2019",
        "30 novembre 2019",
        "100,00% OK",
        "Piano operativo",
        "Stesura del cronoprogramma",
        "TOTALE",
        "€ 0,00",
        "Letta come:</span> Giorni di ritardo rispetto alla scadenza",
    ):
        assert text in page, text


def test_scheda_shows_risorse_with_total(client, demo):
    soresina = demo("soresina")
    user = UserFactory(username="lettore")
    RuoloFactory(utente=user, comune=soresina, tipo=Ruolo.Tipo.LETTORE)
    client.force_login(user)
    n2 = Obiettivo.objects.get(piano__comune=soresina, codice="N 2")
    page = client.get(reverse("obiettivo", args=["soresina", n2.pk])).content.decode()
    assert "€ 270.000,00" in page and "quota parte" in page
    assert "€ 327.000,00" in page  # 10.000 + 270.000 + 47.000


def test_piano_page_lists_settori_and_weight_checks(client, meschi):
    piano_id = _vi_1_2019().piano_id
    page = client.get(reverse("piano", args=["chiavari", piano_id])).content.decode()
    assert "SETTORE VI - SERVIZI SOCIALI, ISTRUZIONE, CASA" in page
    assert page.count("100,00% OK") >= 23
    assert "Albero del DUP" in page


def _grow(obiettivo, n):
    for i in range(n):
        indicatore = IndicatoreFactory(obiettivo=obiettivo, numero=100 + i, peso=D("1"))
        RilevazioneFactory(indicatore=indicatore)
        ValoreStoricoFactory(indicatore=indicatore, anno=2017)
        FaseFactory(obiettivo=obiettivo, numero=100 + i, peso=D("1"))
        RisorsaFinanziariaFactory(obiettivo=obiettivo)
        RisorsaUmanaFactory(obiettivo=obiettivo)


@pytest.mark.parametrize("size", [1, 40])
def test_obiettivo_page_queries_are_bounded(client, django_assert_max_num_queries, size):
    obiettivo = ObiettivoFactory(data_fine_prevista=datetime.date(2019, 12, 31))
    user = UserFactory(username="lettore-q")
    RuoloFactory(utente=user, comune=obiettivo.piano.comune)
    _grow(obiettivo, size)
    client.force_login(user)
    # Constant: the user and the scheda (4), which relations have rows (1), the ambiti,
    # each table of children with rows (indicatori, rilevazioni, storico, fasi, risorse
    # finanziarie, umane), the audit trail (1); none for the relations without rows.
    with django_assert_max_num_queries(13):
        response = client.get(
            reverse("obiettivo", args=[obiettivo.piano.comune.slug, obiettivo.pk])
        )
    assert response.status_code == 200
    assert response.content.decode().count("Indicatore di prova") == size


@pytest.mark.parametrize("size", [1, 30])
def test_piano_page_queries_are_bounded(client, django_assert_max_num_queries, size):
    first = ObiettivoFactory()
    for _ in range(size):
        _grow(ObiettivoFactory(piano=first.piano, settore=first.settore), 2)
    user = UserFactory(username="lettore-p")
    RuoloFactory(utente=user, comune=first.piano.comune)
    client.force_login(user)
    # The user's roles are read three times: for the schede he sees, for the page's
    # buttons and for the richieste di variazione (none for a lettore: no count).
    with django_assert_max_num_queries(13):
        response = client.get(reverse("piano", args=[first.piano.comune.slug, first.piano_id]))
    assert response.status_code == 200


def test_logo_is_served_only_to_users_of_the_comune(client, meschi, chiavari, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, "PNG")
    chiavari.logo.save("chiavari.png", ContentFile(buffer.getvalue()))
    url = reverse("comune_logo", args=["chiavari"])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert url in client.get(reverse("comune", args=["chiavari"])).content.decode()
    client.force_login(UserFactory(username="estraneo-logo"))
    assert client.get(url).status_code == 404


def test_password_change_in_italian(client):
    user = UserFactory(username="cambia-password")
    client.force_login(user)
    assert "Password attuale" in client.get(reverse("password_change")).content.decode()
    response = client.post(
        reverse("password_change"),
        {"old_password": "sbagliata", "new_password1": "x", "new_password2": "y"},
    )
    assert "La password attuale non è stata inserita correttamente" in response.content.decode()
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "demo",
            "new_password1": "Piano-2019-sicuro",
            "new_password2": "Piano-2019-sicuro",
        },
        follow=True,
    )
    assert "Password cambiata" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password("Piano-2019-sicuro")


def test_error_pages_are_the_product_s_in_italian(client, meschi):
    client.force_login(meschi)
    pagina = client.get("/chiavari/non/esiste/")
    assert pagina.status_code == 404
    html = pagina.content.decode()
    assert "Pagina non trovata" in html and "tried" not in html and "Lorem" not in html
    assert "base.html" in [t.name for t in pagina.templates]
    errore = server_error(RequestFactory().get("/"))
    assert errore.status_code == 500
    html = errore.content.decode()
    assert "Si è verificato un errore" in html and "Lorem" not in html


def test_other_years_link_only_to_schede_the_user_sees(client, ente):
    approvata = ente.scheda("approvato", codice="X - 1")
    bozza = ente.scheda("bozza", codice="X - 1", anno=2020, anno_inizio=2020, anno_fine=2020)
    visibile = ente.scheda("approvato", codice="X - 1", anno=2021, anno_inizio=2021, anno_fine=2021)
    client.force_login(ente.responsabile_b)
    html = client.get(reverse("obiettivo", args=[ente.comune.slug, approvata.pk])).content.decode()
    altre = html.split("Altre schede dello stesso obiettivo")[1].split("</p>")[0]
    assert reverse("obiettivo", args=[ente.comune.slug, visibile.pk]) in altre
    assert reverse("obiettivo", args=[ente.comune.slug, bozza.pk]) not in altre
    assert client.get(reverse("obiettivo", args=[ente.comune.slug, bozza.pk])).status_code == 404
