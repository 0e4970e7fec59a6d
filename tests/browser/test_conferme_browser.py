"""The confirmation dialog of an irreversible action, in a real Chromium: it says what
will happen, «Annulla» sends nothing, «Chiudi la campagna» sends the same POST."""

import os
import shutil
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import CampagnaFactory
from tests.utenti import crea_ente

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]


@pytest.fixture
def campagna_aperta():
    # Before Playwright starts its event loop: the DB work stays synchronous.
    ente = crea_ente()
    ente.scheda("in_monitoraggio", "con_indicatori")
    campagna = CampagnaFactory(piano=ente.piano, aperta=True)
    return (
        ente,
        reverse("campagna", args=[ente.comune.slug, campagna.pk]),
        reverse("chiudi_campagna", args=[ente.comune.slug, campagna.pk]),
    )


@pytest.fixture
def browser_page():
    from playwright.sync_api import sync_playwright

    assert shutil.which(CHROMIUM) or Path(CHROMIUM).exists(), f"Chromium non trovato in {CHROMIUM}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="it-IT")
        yield page
        browser.close()


def test_closing_a_round_asks_first_and_cancelling_sends_nothing(
    live_server, campagna_aperta, browser_page
):
    ente, pagina, chiudi = campagna_aperta
    page = browser_page
    inviati = []
    page.on("request", lambda r: r.method == "POST" and inviati.append(r.url))

    page.goto(f"{live_server.url}{pagina}")
    page.get_by_label("Nome utente").fill(ente.segreteria.username)
    page.get_by_label("Password").fill("demo")
    page.get_by_label("Password").press("Enter")
    page.get_by_role("button", name="Chiudi la campagna").wait_for()
    inviati.clear()

    page.get_by_role("button", name="Chiudi la campagna").click()
    dialogo = page.get_by_role("dialog", name="Chiudere la campagna?")
    dialogo.wait_for()
    assert "non potranno più inserire i valori" in dialogo.inner_text()
    dialogo.get_by_role("button", name="Annulla").click()
    dialogo.wait_for(state="detached")
    page.wait_for_timeout(300)
    assert inviati == []
    assert "Campagna chiusa" not in page.inner_text("main")

    page.get_by_role("button", name="Chiudi la campagna").click()
    with page.expect_navigation():
        page.get_by_role("dialog").get_by_role("button", name="Chiudi la campagna").click()
    assert [u.removeprefix(live_server.url) for u in inviati] == [chiudi]
    assert "Campagna chiusa" in page.inner_text("body")
