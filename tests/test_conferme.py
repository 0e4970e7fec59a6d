"""Irreversible actions ask for confirmation, saying what will happen: the form carries
``data-conferma`` with the text, ``static/js/conferma.js`` (no inline script: a CSP is
coming) opens the dialog; the POST stays the same. The dialog itself: the browser test
``tests/browser/test_conferme_browser.py``."""

import re
from html import unescape
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from .factories import AllegatoFactory, CampagnaFactory, PianoFactory

pytestmark = pytest.mark.django_db


def _conferme(html: str) -> dict[str, str]:
    """form action → its confirmation text."""
    conferme = {}
    for tag in re.findall(r"<form\b[^>]*>", html):
        azione = re.search(r'action="([^"]*)"', tag)
        testo = re.search(r'data-conferma="([^"]*)"', tag)
        if azione and testo:
            conferme[unescape(azione.group(1))] = unescape(testo.group(1))
    return conferme


def _pagina(client, url) -> str:
    risposta = client.get(url)
    assert risposta.status_code == 200
    html = risposta.content.decode()
    assert "js/conferma.js" in html
    # Our pages add no inline script (the theme's own two are the CSP work's).
    contenuto = html.split("<main", 1)[1].split("</main>")[0]
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>\s*\S", contenuto), "script in linea"
    return html


def test_invia_la_rendicontazione_and_riapri_ask_first(client, ente):
    scheda = ente.scheda("in_monitoraggio", "con_indicatori")
    stato = reverse("cambia_stato", args=[ente.comune.slug, scheda.pk])
    client.force_login(ente.responsabile_a)
    for pagina in ("obiettivo", "rendicontazione"):
        html = _pagina(client, reverse(pagina, args=[ente.comune.slug, scheda.pk]))
        assert "i valori non si potranno più modificare" in _conferme(html)[stato]
    rendicontata = ente.scheda("rendicontato")
    client.force_login(ente.segreteria)
    html = _pagina(client, reverse("obiettivo", args=[ente.comune.slug, rendicontata.pk]))
    stato = reverse("cambia_stato", args=[ente.comune.slug, rendicontata.pk])
    assert "torna «In monitoraggio»" in _conferme(html)[stato]


def test_approva_asks_first_on_the_scheda_and_on_the_piano(client, ente):
    proposta = ente.scheda("proposto")
    client.force_login(ente.segreteria)
    html = _pagina(client, reverse("obiettivo", args=[ente.comune.slug, proposta.pk]))
    stato = reverse("cambia_stato", args=[ente.comune.slug, proposta.pk])
    assert "ogni modifica sarà una variazione" in _conferme(html)[stato]
    piano = PianoFactory(comune=ente.comune, stato="bozza", titolo="PEG 2022")
    html = _pagina(client, reverse("piano", args=[ente.comune.slug, piano.pk]))
    approva = reverse("approva_piano", args=[ente.comune.slug, piano.pk])
    assert "Tutte le schede proposte diventano «Approvato»" in _conferme(html)[approva]


def test_campagna_chiudi_and_riapri_ask_first(client, ente):
    ente.scheda("in_monitoraggio", "con_indicatori")
    campagna = CampagnaFactory(piano=ente.piano, aperta=True)
    client.force_login(ente.segreteria)
    html = _pagina(client, reverse("campagna", args=[ente.comune.slug, campagna.pk]))
    conferme = _conferme(html)
    chiudi = reverse("chiudi_campagna", args=[ente.comune.slug, campagna.pk])
    assert "non potranno più inserire i valori" in conferme[chiudi]
    riapri = reverse("riapri_campagna", args=[ente.comune.slug, campagna.pk])
    assert "nuova scadenza" in conferme[riapri]
    settore = reverse("riapri_settore", args=[ente.comune.slug, campagna.pk, ente.settore_a.pk])
    assert "ricevono un'e-mail" in conferme[settore]


def test_valida_and_elimina_allegato_ask_first(client, ente, archivio):
    scheda = ente.scheda("rendicontato", "con_indicatori")
    client.force_login(ente.oiv)
    html = _pagina(client, reverse("revisione", args=[ente.comune.slug, scheda.pk]))
    valida = reverse("valida", args=[ente.comune.slug, scheda.pk])
    assert "I punteggi diventano quelli validati" in _conferme(html)[valida]
    in_monitoraggio = ente.scheda("in_monitoraggio", "con_indicatori")
    allegato = AllegatoFactory(obiettivo=in_monitoraggio, caricato_da=ente.responsabile_a)
    client.force_login(ente.responsabile_a)
    html = _pagina(client, reverse("rendicontazione", args=[ente.comune.slug, in_monitoraggio.pk]))
    elimina = reverse("elimina_allegato", args=[ente.comune.slug, allegato.uuid])
    assert f"«{allegato.nome_file}»" in _conferme(html)[elimina]


def test_the_script_is_a_static_file():
    percorso = finders.find("js/conferma.js")
    assert percorso, "static/js/conferma.js mancante"
    testo = Path(percorso).read_text(encoding="utf-8")
    assert "data-conferma" in testo and "Annulla" in testo
