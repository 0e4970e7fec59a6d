"""A responsabile logs in with a real Chromium and reads a scheda obiettivo."""

import os
import shutil
from pathlib import Path

import pytest

from objectives.demo_accounts import crea_utenti_demo
from objectives.demo_loader import DEMO_DIR, carica_file

# serialized_rollback: the flush after each test would otherwise empty the tables that
# migrations fill (missioni, programmi, ambiti) for the tests that follow.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser_page():
    # Playwright's sync API runs an event loop in this thread, where Django refuses
    # DB work: data fixtures are requested before this one and set up first.
    from playwright.sync_api import sync_playwright

    assert shutil.which(CHROMIUM) or Path(CHROMIUM).exists(), (
        f"Chromium non trovato in {CHROMIUM}: installare il pacchetto Debian 'chromium' (make test lo fa)."
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="it-IT")
        yield page
        browser.close()


@pytest.fixture
def demo_chiavari_seregno():
    # Loaded before Playwright starts its event loop, so the DB work stays synchronous.
    carica_file(DEMO_DIR / "seregno.json")  # needs missioni and programmi from migrations
    carica_file(DEMO_DIR / "chiavari.json")
    crea_utenti_demo(["chiavari", "seregno"])


def test_responsabile_reads_the_scheda_from_home(live_server, demo_chiavari_seregno, browser_page):
    page = browser_page

    page.goto(f"{live_server.url}/")
    assert "/accesso/" in page.url
    page.get_by_label("Nome utente").fill("meschi")
    page.get_by_label("Password").fill("demo")
    page.get_by_label("Password").press("Enter")

    page.get_by_role("heading", name="I tuoi comuni").wait_for()
    page.get_by_role(
        "link", name="Piano dettagliato degli obiettivi 2019-2021 - Settore VI"
    ).first.click()
    page.get_by_role("link", name="VI - 1", exact=True).first.click()

    page.get_by_role("heading", name="Codice obiettivo: VI - 1").wait_for()
    text = page.inner_text("main")
    assert "ANNI 2019-2020 · scheda 2019" in text
    assert "30 settembre 2019" in text
    assert "100,00% OK" in text
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "scheda_vi_1_2019.png"), full_page=True)

    page.get_by_role("button", name="Esci").click()
    page.get_by_role("heading", name="Accesso").wait_for()


def test_wrong_password_is_refused_in_italian(live_server, browser_page):
    page = browser_page
    page.goto(f"{live_server.url}/accesso/")
    page.get_by_label("Nome utente").fill("meschi")
    page.get_by_label("Password").fill("sbagliata")
    page.get_by_role("button", name="Accedi").click()
    assert "Nome utente o password non corretti" in page.inner_text("main")
