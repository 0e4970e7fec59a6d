"""The Content-Security-Policy in a real Chromium: the main pages load without a single
violation (no inline script, no resource from elsewhere) and their scripts still work
(the theme's fonts, the live weight sum, the htmx previews, the print button)."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from objectives.demo_accounts import crea_utenti_demo
from objectives.demo_loader import DEMO_DIR, carica_file
from objectives.models import Obiettivo
from objectives.modifiche import esegui

from .test_scheda_browser import _login, browser_page  # noqa: F401 (fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Records every violation the browser reports, from before the page's own scripts run.
ASCOLTA_VIOLAZIONI = """
window.__violazioni = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violazioni.push(`${e.violatedDirective}: ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`);
});
"""


@pytest.fixture
def pagine():
    """The URLs of the main pages on the demo data, built before Playwright starts."""
    carica_file(DEMO_DIR / "seregno.json")
    carica_file(DEMO_DIR / "chiavari.json")
    crea_utenti_demo(["chiavari", "seregno"])
    segreteria = get_user_model().objects.get(username="segreteria")
    schede = Obiettivo.objects.filter(piano__comune__slug="chiavari", anno=2019).order_by("pk")
    bozza, in_monitoraggio = schede.get(codice="VI - 1"), schede.get(codice="VI - 2")
    esegui(bozza, segreteria, "riapri_bozza", motivazione="Revisione degli indicatori")
    esegui(in_monitoraggio, segreteria, "avvia_monitoraggio")
    rendicontata = (
        Obiettivo.objects.filter(piano__comune__slug="seregno", stato="rendicontato")
        .order_by("pk")
        .first()
    )
    piano = bozza.piano
    return {
        "home": "/",
        "comune": "/chiavari/",
        "piano": f"/chiavari/piani/{piano.pk}/",
        "scheda": f"/chiavari/obiettivi/{bozza.pk}/",
        "pianificazione": f"/chiavari/obiettivi/{bozza.pk}/modifica/",
        "rendicontazione": f"/chiavari/obiettivi/{in_monitoraggio.pk}/rendicontazione/",
        "revisione": f"/seregno/obiettivi/{rendicontata.pk}/valutazione/",
        "cruscotto": f"/chiavari/piani/{piano.pk}/cruscotto/",
        "relazione": f"/chiavari/piani/{piano.pk}/relazione/",
        "relazione_da_stampare": f"/chiavari/piani/{piano.pk}/relazione/?anno=2019&stampa=1",
        "accessi_bloccati": "/chiavari/accessi-bloccati/",
    }


def _violazioni(page, console) -> list[str]:
    return page.evaluate("window.__violazioni") + [
        m for m in console if "Content Security Policy" in m or "Content-Security-Policy" in m
    ]


def test_pagine_principali_senza_violazioni_della_csp(live_server, pagine, browser_page):  # noqa: F811
    page, url = browser_page, live_server.url
    page.add_init_script(ASCOLTA_VIOLAZIONI)
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text))

    risposta = page.goto(f"{url}/accesso/")
    assert "script-src 'self'" in risposta.headers["content-security-policy"]
    # The theme's font loader ran from peg.js (it was two inline scripts).
    assert page.evaluate("window.__PUBLIC_PATH__") == "/static/fonts"
    assert page.evaluate(
        "[...document.querySelectorAll('style')].some(s => s.textContent.includes('Titillium Web'))"
    )
    problemi = [f"accesso: {v}" for v in _violazioni(page, console)]

    _login(page, url, "segreteria")
    for nome, percorso in pagine.items():
        console.clear()
        risposta = page.goto(f"{url}{percorso}")
        assert risposta.status == 200, (nome, risposta.status)
        problemi += [f"{nome}: {v}" for v in _violazioni(page, console)]
        if nome == "pianificazione":
            # The live weight sum: htmx posts the form and swaps the preview in.
            somma = page.locator("#pesi-indicatori")
            expect(somma).to_have_text("Somma dei pesi: 100,00% OK")
            page.locator("#id_indicatori-0-peso").fill("25")
            expect(somma).to_contain_text("mancano")
        if nome == "rendicontazione":
            # The live score: typing posts the form to the preview (htmx) and swaps it in.
            expect(page.locator("#conseguimento h2")).to_contain_text("Conseguimento")
            with page.expect_response(
                lambda r: "/rendicontazione/anteprima/" in r.url and r.status == 200
            ):
                page.get_by_label("Rilevazione finale: valore raggiunto").first.fill("0")
        if nome == "relazione_da_stampare":
            # The print button works without its old onclick attribute.
            page.evaluate(
                "window.__stampato = 0; window.print = () => { window.__stampato++; }; null"
            )
            page.get_by_role("button", name="Stampa").click()
            assert page.evaluate("window.__stampato") == 1
        problemi += [f"{nome} (dopo l'uso): {v}" for v in _violazioni(page, console)]
    assert problemi == []
