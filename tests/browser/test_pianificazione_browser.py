"""End to end in Chromium: meschi plans a scheda, the segreteria approves it, meschi
reports it; live previews update while typing; conti is refused."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from objectives.demo_accounts import crea_utenti_demo
from objectives.demo_loader import DEMO_DIR, carica_file
from objectives.models import Obiettivo
from objectives.modifiche import esegui

from .conftest import conferma
from .test_scheda_browser import ARTIFACTS, _login, browser_page  # noqa: F401 (fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def chiavari_in_bozza():
    carica_file(DEMO_DIR / "chiavari.json")
    carica_file(DEMO_DIR / "cinisello-balsamo.json")
    crea_utenti_demo(["chiavari", "cinisello-balsamo"])
    scheda = Obiettivo.objects.get(piano__comune__slug="chiavari", codice="VI - 1", anno=2019)
    segreteria = get_user_model().objects.get(username="segreteria")
    esegui(scheda, segreteria, "riapri_bozza", motivazione="Revisione degli indicatori")
    return scheda


def _esci(page):
    page.get_by_role("button", name="Esci").click()
    page.get_by_role("heading", name="Accesso").wait_for()


def test_plan_approve_report_end_to_end(live_server, chiavari_in_bozza, browser_page):  # noqa: F811
    scheda, page, url = chiavari_in_bozza, browser_page, live_server.url
    ARTIFACTS.mkdir(exist_ok=True)

    # meschi plans: changes a target and the weights, sees the sums and readings live.
    _login(page, url, "meschi")
    page.goto(f"{url}/chiavari/obiettivi/{scheda.pk}/")
    page.get_by_role("link", name="Modifica la scheda").click()
    page.get_by_role("heading", name="Modifica della scheda VI - 1 (2019)").wait_for()
    somma = page.locator("#pesi-indicatori")
    expect(somma).to_have_text("Somma dei pesi: 100,00% OK")
    page.locator("#id_indicatori-0-peso").fill("25")
    expect(somma).to_have_text("Somma dei pesi: 95,00% (mancano 5,00%)")
    page.locator("#id_indicatori-1-peso").fill("75")
    expect(somma).to_have_text("Somma dei pesi: 100,00% OK")
    page.locator("#id_indicatori-1-data_attesa").fill("2019-12-15")
    lettura = page.locator("#lettura-indicatori-1")
    page.locator("#id_indicatori-1-graduazione").fill("più o meno")
    expect(lettura).to_contain_text("Graduazione non leggibile")
    page.locator("#id_indicatori-1-graduazione").fill("gg di ritardo +5 =90 % +10gg = 80%")
    expect(lettura).to_contain_text("da 1 a 5 giorni di ritardo: 90,00%")
    page.screenshot(path=str(ARTIFACTS / "pianificazione_vi_1_2019.png"), full_page=True)
    page.get_by_role("button", name="Salva la scheda").click()
    page.get_by_text("VI - 1 (2019): scheda salvata.").wait_for()
    testo = page.inner_text("main")
    assert "15 dicembre 2019" in testo and "100,00% OK" in testo
    page.get_by_role("button", name="Proponi").click()
    page.get_by_text("ora «Proposto»").wait_for()
    _esci(page)

    # The segreteria approves with the delibera and starts the monitoring.
    _login(page, url, "segreteria")
    page.goto(f"{url}/chiavari/obiettivi/{scheda.pk}/")
    page.get_by_text("Approva…").click()
    page.get_by_label("Delibera n.").fill("112")
    page.get_by_label("del", exact=True).fill("2019-03-28")
    page.get_by_role("button", name="Approva", exact=True).click()
    conferma(page)
    page.get_by_text("ora «Approvato»").wait_for()
    assert "delibera n. 112 del 28 marzo 2019" in page.inner_text("main")
    page.get_by_role("button", name="Avvia il monitoraggio").click()
    page.get_by_text("ora «In monitoraggio»").wait_for()
    _esci(page)

    # meschi reports: the score follows what is typed before saving, then he submits.
    _login(page, url, "meschi")
    page.goto(f"{url}/chiavari/obiettivi/{scheda.pk}/rendicontazione/")
    conseguimento = page.locator("#conseguimento h2")
    expect(conseguimento).to_have_text("Conseguimento dell'obiettivo: incompleto")
    # Indicatore 1 due 30 settembre, done 8 ottobre: 8 days late → 80%.
    page.get_by_label("Rilevazione finale: data effettiva").first.fill("2019-10-08")
    page.get_by_label("Rilevazione finale: valore raggiunto").nth(1).fill("0")
    expect(conseguimento).to_have_text("Conseguimento dell'obiettivo: 95,00%")  # 80 × 25 + 100 × 75
    page.get_by_role("button", name="Salva la rendicontazione").click()
    page.get_by_text("Rendicontazione salvata.").wait_for()
    page.get_by_role("button", name="Invia la rendicontazione").click()
    conferma(page)
    page.get_by_text("ora «Rendicontato»").wait_for()
    # No ORM here: Playwright's event loop runs in this thread. The page says it.
    assert "Rendicontato" in page.locator(".badge").first.inner_text()
    assert "Inserisci la rendicontazione" not in page.inner_text("main")
    _esci(page)

    # conti (Cinisello Balsamo) is refused on the edit URL of that scheda.
    _login(page, url, "conti")
    response = page.goto(f"{url}/chiavari/obiettivi/{scheda.pk}/modifica/")
    assert response.status == 404


def test_a_concurrent_edit_is_refused_in_the_browser(live_server, chiavari_in_bozza, browser_page):  # noqa: F811
    scheda, page, url = chiavari_in_bozza, browser_page, live_server.url
    # Two people on the same draft: meschi here, the segreteria in another browser context.
    altra = page.context.browser.new_context(locale="it-IT").new_page()
    _login(page, url, "meschi")
    _login(altra, url, "segreteria")
    modifica = f"{url}/chiavari/obiettivi/{scheda.pk}/modifica/"
    page.goto(modifica)
    altra.goto(modifica)

    altra.locator("#id_indicatori-0-peso").fill("20")
    altra.locator("#id_indicatori-1-peso").fill("80")
    altra.get_by_role("button", name="Salva la scheda").click()
    altra.get_by_text("VI - 1 (2019): scheda salvata.").wait_for()

    page.locator("#id_denominazione").fill("Titolo cambiato da meschi")
    page.get_by_role("button", name="Salva la scheda").click()
    avviso = page.get_by_role("alert").filter(has_text="Nel frattempo la scheda è cambiata")
    avviso.wait_for()
    assert "Segreteria Generale" in avviso.inner_text()
    assert "peso (%) 30,00 → 20,00" in avviso.inner_text()
    assert "non sono state salvate" in page.inner_text("body")

    page.goto(f"{url}/chiavari/obiettivi/{scheda.pk}/")
    assert "Titolo cambiato da meschi" not in page.inner_text("main")
    altra.context.close()
