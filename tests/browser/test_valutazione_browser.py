"""In Chromium: the OIV validates a rendicontazione of Chiavari with a different score
for one indicatore and a motivazione; meschi then finds the scheda locked."""

import datetime

import pytest
from playwright.sync_api import expect

from indicators.models import Rilevazione
from objectives.demo_accounts import crea_utenti_demo
from objectives.demo_loader import DEMO_DIR, carica_file
from objectives.models import Obiettivo

from .conftest import conferma
from .test_scheda_browser import ARTIFACTS, _login, browser_page  # noqa: F401 (fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def chiavari_rendicontato():
    # DB work here, before Playwright's event loop starts (see test_scheda_browser).
    carica_file(DEMO_DIR / "chiavari.json")
    crea_utenti_demo(["chiavari"])
    scheda = Obiettivo.objects.get(piano__comune__slug="chiavari", codice="VI - 1", anno=2019)
    # Indicatore 1 completed 7 days late (80%), indicatore 2 on time (100%): 94,00%.
    for indicatore, giorni in zip(scheda.indicatori.order_by("numero"), (7, 0), strict=True):
        Rilevazione.objects.create(
            indicatore=indicatore,
            tipo="finale",
            data=indicatore.data_attesa + datetime.timedelta(days=giorni),
        )
    Obiettivo.objects.filter(pk=scheda.pk).update(stato=Obiettivo.Stato.RENDICONTATO)
    return scheda.pk


def test_oiv_validates_with_a_different_score_and_meschi_finds_it_locked(
    live_server,
    chiavari_rendicontato,
    browser_page,  # noqa: F811
):
    page, pk = browser_page, chiavari_rendicontato
    _login(page, live_server.url, "oiv")
    page.get_by_role("link", name="Validazione dei risultati").first.click()
    page.get_by_role("heading", name="Validazione dei risultati").wait_for()
    page.get_by_label("Settore").select_option(
        label="VI - SETTORE VI - SERVIZI SOCIALI, ISTRUZIONE, CASA"
    )
    page.get_by_role("button", name="Filtra").click()
    page.get_by_role("link", name="Esamina VI - 1 (2019)").click()
    page.get_by_role("heading", name="Valutazione di VI - 1 (2019)").wait_for()
    expect(page.locator("#h-esito")).to_contain_text("94,00%")

    # A different score without a motivazione is refused at the field.
    page.get_by_label("Punteggio validato dell'indicatore 1 (%)").fill("100")
    page.get_by_role("button", name="Valida").click()
    conferma(page)
    expect(page.locator(".invalid-feedback").first).to_contain_text("scrivi la motivazione")
    page.get_by_label("Motivazione per l'indicatore 1").fill(
        "Ritardo dovuto alla chiusura dell'ufficio per lavori: documentato nel verbale."
    )
    page.get_by_role("button", name="Valida").click()
    conferma(page)
    expect(page.locator("#bloccato")).to_be_visible()
    expect(page.locator("#h-esito")).to_contain_text("100,00%")
    expect(page.locator("#h-esito")).to_contain_text("calcolato 94,00%")
    expect(page.locator("#validazione")).to_contain_text("chiusura dell'ufficio")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "valutazione_oiv.png"), full_page=True)
    page.get_by_role("button", name="Esci").click()

    _login(page, live_server.url, "meschi")
    page.goto(f"{live_server.url}/chiavari/obiettivi/{pk}/")
    expect(page.locator("#stato-obiettivo, .badge.stato-validato").first).to_have_text("Validato")
    main = page.locator("main")
    expect(main).to_contain_text("validato: scheda bloccata")
    expect(main).to_contain_text("100,00% validato (calcolato 94,00%)")
    expect(page.get_by_role("link", name="Inserisci la rendicontazione")).to_have_count(0)
    expect(page.get_by_role("link", name="Modifica la scheda")).to_have_count(0)
    page.screenshot(path=str(ARTIFACTS / "valutazione_meschi.png"), full_page=True)
    # Typing the address does not help: the rendicontazione is refused.
    risposta = page.goto(f"{live_server.url}/chiavari/obiettivi/{pk}/rendicontazione/")
    assert risposta.status == 403
