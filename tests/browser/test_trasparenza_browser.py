"""The public pages of Amministrazione trasparente in a real Chromium, as an anonymous
citizen: from the login page's link to the piano, the sistema, the relazione (not yet
available) and the premi, each checked with axe-core (bundled by axe-playwright-python:
no network) for serious or critical WCAG 2.1 AA violations. Screenshots in
/tmp/trasparenza-*.png."""

import pytest
from playwright.sync_api import expect

from objectives.demo_loader import DEMO_DIR, carica_file

from .test_scheda_browser import CHROMIUM, CHROMIUM_ARGS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

REGOLE_WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
GRAVI = {"serious", "critical"}


@pytest.fixture
def demo_pubblicata():
    # The demo publishes Seregno's 2019 piano (trasparenza.demo); loaded before Playwright.
    carica_file(DEMO_DIR / "seregno.json")


@pytest.fixture
def pagina():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="it-IT")
        yield page
        browser.close()


def _verifica_accessibilita(page, nome: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    risultati = Axe().run(page, options={"runOnly": {"type": "tag", "values": REGOLE_WCAG}})
    gravi = [
        f"{v['id']} ({v['impact']}): {v['help']} - {[n['target'] for n in v['nodes']][:3]}"
        for v in risultati.response["violations"]
        if v["impact"] in GRAVI
    ]
    assert risultati.response["testEngine"]["name"] == "axe-core"
    page.screenshot(path=f"/tmp/trasparenza-{nome}.png", full_page=True)
    assert gravi == [], nome


def test_cittadino_legge_il_piano_pubblicato(live_server, demo_pubblicata, pagina):
    page = pagina
    page.goto(f"{live_server.url}/accesso/")
    collegamenti = page.get_by_role("navigation", name="Amministrazione trasparente")
    collegamenti.get_by_role("link").first.click()
    expect(page).to_have_url(f"{live_server.url}/trasparenza/seregno/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Performance")
    assert page.locator('meta[name="robots"]').get_attribute("content") == "index, follow"
    _verifica_accessibilita(page, "indice")

    page.get_by_role("link", name="Piano della performance 2019").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Piano della performance 2019")
    expect(page.get_by_text("Scarica il piano in PDF")).to_be_visible()
    assert page.locator("article").count() > 0
    _verifica_accessibilita(page, "piano")

    page.go_back()
    page.get_by_role("link", name="Sistema di misurazione e valutazione della performance").click()
    expect(page.get_by_text("Un obiettivo si considera raggiunto")).to_be_visible()
    _verifica_accessibilita(page, "sistema")

    page.go_back()
    page.get_by_role("link", name="Relazione sulla performance 2019", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("non è ancora disponibile")
    _verifica_accessibilita(page, "relazione")

    page.go_back()
    page.get_by_role("link", name="Dati relativi ai premi 2019").click()
    expect(page.get_by_role("status")).to_contain_text("dopo la distribuzione dei premi")
    _verifica_accessibilita(page, "premi")
