"""A responsabile logs in with a real Chromium and reads a scheda obiettivo."""

import os
import shutil
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from objectives.demo_accounts import crea_utenti_demo
from objectives.demo_loader import DEMO_DIR, carica_file
from objectives.models import Obiettivo
from objectives.modifiche import esegui

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


@pytest.fixture
def chiavari_in_monitoraggio():
    carica_file(DEMO_DIR / "chiavari.json")
    carica_file(DEMO_DIR / "cinisello-balsamo.json")
    crea_utenti_demo(["chiavari", "cinisello-balsamo"])
    scheda = Obiettivo.objects.get(piano__comune__slug="chiavari", codice="VI - 1", anno=2019)
    esegui(scheda, get_user_model().objects.get(username="segreteria"), "avvia_monitoraggio")
    return scheda


def _login(page, url, username):
    page.goto(f"{url}/accesso/")
    page.get_by_label("Nome utente").fill(username)
    page.get_by_label("Password").fill("demo")
    page.get_by_role("button", name="Accedi").click()
    page.get_by_role("heading", name="I tuoi comuni").wait_for()


def test_responsabile_enters_the_rendicontazione(
    live_server, chiavari_in_monitoraggio, browser_page
):
    scheda, page = chiavari_in_monitoraggio, browser_page
    _login(page, live_server.url, "meschi")
    page.goto(f"{live_server.url}/chiavari/obiettivi/{scheda.pk}/")
    page.get_by_role("link", name="Inserisci la rendicontazione").click()
    page.get_by_role("heading", name="Rendicontazione · VI - 1 (2019)").wait_for()
    assert "Mancano ancora (2)" in page.inner_text("main")
    # Indicatore 1 due 30 settembre 2019, done 8 ottobre: 8 days late → 80%.
    page.get_by_label("Rilevazione finale: data effettiva").first.fill("2019-10-08")
    page.get_by_label("Rilevazione finale: valore raggiunto").nth(1).fill("0")
    page.get_by_role("button", name="Salva la rendicontazione").click()
    page.get_by_text("Rendicontazione salvata.").wait_for()
    text = page.inner_text("main")
    assert "Conseguimento dell'obiettivo: 94,00%" in text  # 80 × 30 + 100 × 70
    assert "Tutti i valori finali sono inseriti." in text
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "rendicontazione_vi_1_2019.png"), full_page=True)


def test_another_comune_responsabile_is_refused(
    live_server, chiavari_in_monitoraggio, browser_page
):
    scheda, page = chiavari_in_monitoraggio, browser_page
    _login(page, live_server.url, "conti")
    response = page.goto(f"{live_server.url}/chiavari/obiettivi/{scheda.pk}/rendicontazione/")
    assert response.status == 404
