"""The scheda page on a phone (390 × 844): the page body never scrolls sideways; wide
tables scroll inside their own .table-responsive box."""

import pytest

from objectives.demo_accounts import crea_utenti_demo
from objectives.demo_loader import DEMO_DIR, carica_file
from objectives.models import Obiettivo

from .test_scheda_browser import CHROMIUM, CHROMIUM_ARGS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def scheda_chiavari():
    carica_file(DEMO_DIR / "chiavari.json")
    crea_utenti_demo(["chiavari"])
    return Obiettivo.objects.get(piano__comune__slug="chiavari", codice="VI - 1", anno=2019).pk


def test_the_scheda_fits_a_390_px_screen(live_server, scheda_chiavari):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 390, "height": 844}, locale="it-IT")
        page.goto(f"{live_server.url}/accesso/")
        page.get_by_label("Nome utente").fill("meschi")
        page.get_by_label("Password").fill("demo")
        page.get_by_label("Password").press("Enter")
        page.wait_for_url(lambda url: "/accesso/" not in url)
        page.goto(f"{live_server.url}/chiavari/obiettivi/{scheda_chiavari}/")
        page.get_by_role("heading", name="Codice obiettivo: VI - 1").wait_for()
        larghezza = page.evaluate("document.scrollingElement.scrollWidth")
        # Every table wider than the screen scrolls inside its own box.
        fuori = page.evaluate(
            """() => [...document.querySelectorAll('main table')]
                 .filter(t => t.scrollWidth > 390 && !t.closest('.table-responsive'))
                 .map(t => t.className || t.id || 'tabella')"""
        )
        # What sticks out of the screen, to say where in a failure.
        sporge = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                 .filter(e => e.getBoundingClientRect().right > 391 && !e.closest('.table-responsive'))
                 .slice(0, 8).map(e => e.tagName + '.' + e.className)"""
        )
        browser.close()
    assert fuori == []
    assert larghezza <= 390, sporge
