"""The common layout (templates/base.html) renders what it rendered before it was made
cheaper: the «password cambiata» page (the layout and almost nothing else) for a
segreteria, a responsabile, an OIV and a staff user, with and without a comune in the
context (name, logo), with and without messages, the pages of errors 404 and 500
(which leave blocks out) and the login page of an anonymous visitor; compared with the
pages captured before (tests/dati/layout.json).

Normalised: csrf tokens and CSP nonces. Set PEG_AGGIORNA_LAYOUT=1 to write the file
again after a deliberate change of the layout.
"""

import json
import os
import re
from pathlib import Path

import pytest
from django.contrib import messages
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import override_settings
from django.urls import reverse, set_script_prefix

from peg.models import Comune, Ruolo

from .utenti import utente

pytestmark = pytest.mark.django_db

DATI = Path(__file__).parent / "dati" / "layout.json"
CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=)"[^"]*"')
NONCE = re.compile(r'nonce="[^"]*"')
T = Ruolo.Tipo


def _normale(html: str) -> str:
    return NONCE.sub('nonce="N"', CSRF.sub(r'\1"T"', html))


def _pagine(client) -> dict[str, str]:
    comune = Comune.objects.create(nome="Borgo d'Arte", slug="borgo", provincia="Genova")
    con_logo = Comune.objects.create(
        nome="Logopoli", slug="logopoli", provincia="Genova", logo="loghi/stemma.png"
    )
    utenti = {
        "segreteria": utente(comune, T.SEGRETERIA, username="segr", first_name="Sara"),
        "responsabile": utente(
            comune, T.RESPONSABILE, username="resp", first_name="Rino", last_name="Re"
        ),
        "oiv": utente(comune, T.OIV, username="oiv"),
        "staff": utente(comune, T.SEGRETERIA, username="staff", is_staff=True),
    }
    pagine = {"anonimo: accesso": client.get(reverse("login")).content.decode()}
    for nome, user in utenti.items():
        client.force_login(user)
        risposta = client.get(reverse("password_change_done"))
        assert risposta.status_code == 200
        pagine[f"{nome}: vuota"] = risposta.content.decode()
        request = risposta.wsgi_request
        for ente in (comune, con_logo):
            pagine[f"{nome}: {ente.slug}"] = render_to_string(
                "password_cambiata.html", {"comune": ente}, request=request
            )
        messages.success(request, "Salvato <subito> & bene.")
        messages.warning(request, "Attenzione: controlla.")
        pagine[f"{nome}: messaggi"] = render_to_string(
            "password_cambiata.html", {"comune": comune}, request=request
        )
        for errore in ("404", "500"):
            pagine[f"{nome}: {errore}"] = render_to_string(f"{errore}.html", request=request)
        client.logout()
    return {nome: _normale(html) for nome, html in pagine.items()}


def test_layout_identico(client):
    pagine = _pagine(client)
    if os.environ.get("PEG_AGGIORNA_LAYOUT"):
        DATI.write_text(json.dumps(pagine, indent=1, ensure_ascii=False) + "\n")
    attese = json.loads(DATI.read_text())
    assert sorted(pagine) == sorted(attese)
    for nome, html in pagine.items():
        assert html == attese[nome], nome


def test_indirizzi_ricordati_seguono_le_impostazioni():
    """The layout's memo of addresses forgets them when the settings they come from
    change: the same page shows the new addresses, never the remembered ones."""
    pagina = Template("{% load statici %}{% statico 'css/peg.css' %} {% indirizzo 'home' %}")
    assert pagina.render(Context()) == "/static/css/peg.css /"
    with override_settings(STATIC_URL="/risorse/", FORCE_SCRIPT_NAME="/peg/"):
        set_script_prefix("/peg/")
        try:
            assert pagina.render(Context()) == "/risorse/css/peg.css /peg/"
        finally:
            set_script_prefix("/")
    assert pagina.render(Context()) == "/static/css/peg.css /"
