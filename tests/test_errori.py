"""Error pages: in the product's layout (templates/base.html), in Italian, with the
reason and where to go instead; never the theme's demo page nor Django's English one."""

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

# Django's and the theme's own texts: none may reach a user.
INGLESE = (
    "Forbidden",
    "Not Found",
    "Server Error",
    "Bad Request",
    "Method Not Allowed",
    "CSRF verification failed",
    "Lorem",
    "Page or Resource",
    "Nome Ente",
    "Error 4",
    "Error 5",
)
# The product's layout: the main element of templates/base.html.
LAYOUT = '<main id="contenuto"'


def _pagina(risposta) -> str:
    pagina = risposta.content.decode()
    assert LAYOUT in pagina, pagina[:500]
    assert 'lang="it"' in pagina
    trovati = [testo for testo in INGLESE if testo in pagina]
    assert not trovati, trovati
    return pagina


def _navigazione(pagina: str, utente) -> None:
    """A logged-in user sees who he is and the way out (the header of base.html)."""
    assert utente.username in pagina or utente.get_full_name() in pagina
    assert reverse("logout") in pagina and reverse("home") in pagina


def test_403_dice_perche_e_dove_andare(client, ente):
    scheda = ente.scheda("rendicontato", "con_rilevazioni", "con_fasi")
    client.force_login(ente.responsabile_a)
    kwargs = {"comune": ente.comune.slug, "obiettivo_id": scheda.pk}
    risposta = client.get(reverse("rendicontazione", kwargs=kwargs))
    assert risposta.status_code == 403
    pagina = _pagina(risposta)
    assert "Non puoi modificare la rendicontazione di" in pagina
    assert "«Rendicontato»" in pagina
    # Where to go instead: the scheda the refused page belongs to.
    assert f'href="{reverse("obiettivo", kwargs=kwargs)}"' in pagina
    _navigazione(pagina, ente.responsabile_a)


def test_404_nella_grafica_con_la_navigazione(client, ente):
    client.force_login(ente.segreteria)
    risposta = client.get("/questa/pagina/non/esiste/")
    assert risposta.status_code == 404
    pagina = _pagina(risposta)
    assert "Pagina non trovata" in pagina
    _navigazione(pagina, ente.segreteria)


def test_404_di_una_scheda_che_non_ce_porta_alla_home(client, ente):
    """Not back to the scheda that is not there (the link would be the page itself)."""
    client.force_login(ente.segreteria)
    kwargs = {"comune": ente.comune.slug, "obiettivo_id": 999999}
    risposta = client.get(reverse("revisione", kwargs=kwargs))
    assert risposta.status_code == 404
    pagina = _pagina(risposta)
    assert f'href="{reverse("obiettivo", kwargs=kwargs)}"' not in pagina
    assert "Torna alla pagina iniziale" in pagina


@pytest.mark.urls("tests.urls_errori")
@pytest.mark.parametrize("url", ["/prova/errata/", "/prova/sospetta/"])
def test_400_nella_grafica_in_italiano(client, ente, url):
    client.force_login(ente.segreteria)
    risposta = client.get(url)
    assert risposta.status_code == 400
    pagina = _pagina(risposta)
    assert "Richiesta non valida" in pagina
    _navigazione(pagina, ente.segreteria)


def test_400_per_un_nome_di_server_sconosciuto(client):
    risposta = client.get("/", HTTP_HOST="altro.example.org")
    assert risposta.status_code == 400
    assert "Richiesta non valida" in _pagina(risposta)


@pytest.mark.urls("tests.urls_errori")
def test_500_nella_grafica_senza_contesto():
    """A static page: it needs neither the request nor the database (which may be the
    cause of the error)."""
    risposta = Client(raise_request_exception=False).get("/prova/errore/")
    assert risposta.status_code == 500
    pagina = _pagina(risposta)
    assert "Si è verificato un errore" in pagina
    assert "nulla è stato salvato a metà" in pagina


def test_500_anche_senza_database(django_db_blocker):
    """The handler renders with no query at all."""
    from peg.views import errore_server

    with django_db_blocker.block():
        risposta = errore_server(None)
    assert risposta.status_code == 500
    assert LAYOUT in risposta.content.decode()


def test_csrf_rifiutato_in_italiano_nella_grafica(ente):
    client = Client(enforce_csrf_checks=True)
    client.force_login(ente.segreteria)
    risposta = client.post(reverse("password_change"), {"old_password": "x"})
    assert risposta.status_code == 403
    pagina = _pagina(risposta)
    assert "Il modulo è scaduto" in pagina
    assert "ricarica la pagina" in pagina
    _navigazione(pagina, ente.segreteria)


def test_405_con_una_pagina_in_italiano(client, ente):
    """A POST-only address opened with GET (require_POST answers with an empty body)."""
    scheda = ente.scheda("bozza")
    client.force_login(ente.segreteria)
    kwargs = {"comune": ente.comune.slug, "obiettivo_id": scheda.pk}
    risposta = client.get(reverse("cambia_stato", kwargs=kwargs))
    assert risposta.status_code == 405
    assert risposta["Allow"] == "POST"
    pagina = _pagina(risposta)
    assert "Operazione non disponibile da questo indirizzo" in pagina
    assert f'href="{reverse("obiettivo", kwargs=kwargs)}"' in pagina
    _navigazione(pagina, ente.segreteria)


@pytest.mark.parametrize(
    ("rotta", "kwargs"),
    [
        ("home", lambda ente: {}),
        ("piano", lambda ente: {"comune": ente.comune.slug, "piano_id": ente.piano.pk}),
        ("cruscotto", lambda ente: {"comune": ente.comune.slug, "piano_id": ente.piano.pk}),
        ("excel_esporta", lambda ente: {"comune": ente.comune.slug, "piano_id": ente.piano.pk}),
    ],
)
def test_le_pagine_in_sola_lettura_rifiutano_il_post(client, ente, rotta, kwargs):
    client.force_login(ente.segreteria)
    risposta = client.post(reverse(rotta, kwargs=kwargs(ente)))
    assert risposta.status_code == 405
    assert risposta["Allow"] == "GET, HEAD"


def test_favicon_senza_rete(client):
    risposta = client.get("/favicon.ico")
    assert risposta.status_code == 200
    assert risposta["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    assert risposta.content[:4] == b"\x00\x00\x01\x00"  # an ICO file


def test_la_grafica_dichiara_la_favicon(client, ente):
    client.force_login(ente.segreteria)
    pagina = client.get(reverse("home")).content.decode()
    assert 'rel="icon"' in pagina and "favicon.ico" in pagina


def test_la_password_troppo_semplice_e_spiegata_in_italiano(client, ente):
    client.force_login(ente.segreteria)
    risposta = client.post(
        reverse("password_change"),
        {"old_password": "sbagliata", "new_password1": "123", "new_password2": "123"},
    )
    assert risposta.status_code == 200
    pagina = risposta.content.decode()
    assert "This password" not in pagina and "too short" not in pagina
    assert "Questa password è troppo corta: deve contenere almeno 8 caratteri." in pagina
    assert "interamente numerica" in pagina


@pytest.mark.parametrize("nome", ["400.html", "403.html", "404.html", "405.html", "500.html"])
def test_le_pagine_di_errore_sono_le_nostre_non_quelle_del_tema(nome):
    """bootstrap_italia_template ships its own 404.html and 500.html (English, demo
    header): the project's templates directory comes first."""
    from django.conf import settings
    from django.template.loader import get_template

    origine = Path(get_template(nome).origin.name)
    assert origine.parent == Path(settings.BASE_DIR) / "templates"
