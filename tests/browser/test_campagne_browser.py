"""In Chromium: the segreteria opens a campagna di rilevazione (the e-mails go out) and
closes it; meschi then cannot change a value of that round."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from indicators.engine.formatting import data_lunga
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
def chiavari_approvato():
    # DB work here, before Playwright's event loop starts (see test_scheda_browser).
    carica_file(DEMO_DIR / "chiavari.json")
    crea_utenti_demo(["chiavari"])
    scheda = Obiettivo.objects.get(piano__comune__slug="chiavari", codice="VI - 1", anno=2019)
    assert scheda.stato == Obiettivo.Stato.APPROVATO
    return scheda, scheda.indicatori.get(numero=1).pk


def _esci(page):
    page.get_by_role("button", name="Esci").click()
    page.get_by_role("heading", name="Accesso").wait_for()


def test_segreteria_opens_a_round_and_a_closed_round_refuses_values(
    live_server,
    chiavari_approvato,
    mailoutbox,
    browser_page,  # noqa: F811
):
    (scheda, indicatore_id), page, url = chiavari_approvato, browser_page, live_server.url
    oggi = timezone.localdate()
    scadenza = oggi + datetime.timedelta(days=10)
    ARTIFACTS.mkdir(exist_ok=True)

    # The segreteria opens the intermediate round from the home page.
    _login(page, url, "segreteria")
    page.get_by_role("link", name="campagne di rilevazione").first.click()
    page.get_by_role("heading", name="Campagne di rilevazione").wait_for()
    page.get_by_label("Anno delle schede").select_option("2019")
    page.get_by_label("Rilevazione").select_option("intermedia")
    page.get_by_label("Valori alla data").fill("2019-06-30")
    page.get_by_label("Aperta dal").fill(oggi.isoformat())
    page.get_by_label("Da completare entro il").fill(scadenza.isoformat())
    page.get_by_label("Note per i responsabili").fill("Indicare anche le note.")
    page.get_by_role("button", name="Crea la campagna").click()
    page.get_by_role("heading", name="Rilevazione intermedia 2019").wait_for()
    expect(page.get_by_role("alert").last).to_have_text(
        "Campagna aperta: 10 schede passate in monitoraggio; 1 e-mail inviata a 1 settore."
    )
    testo = page.inner_text("main")
    assert f"Aperta fino al {data_lunga(scadenza)}" in testo
    assert "meschi@example.org" in testo  # responsabile, and the avviso sent

    # The live server runs in this process: its e-mails are in the test outbox.
    assert [m.to for m in mailoutbox] == [["meschi@example.org"]]
    email = mailoutbox[0]
    assert email.subject == "[PEG Chiavari] Rilevazione intermedia 2019: è aperta"
    assert f"da inserire entro il {data_lunga(scadenza)}" in email.body
    assert "VI - 1 (2019)" in email.body and "Indicare anche le note." in email.body
    assert f"/chiavari/obiettivi/{scheda.pk}/rendicontazione/" in email.body
    page.screenshot(path=str(ARTIFACTS / "campagna_aperta.png"), full_page=True)

    page.get_by_role("button", name="Chiudi la campagna").click()
    conferma(page)
    page.get_by_text("Campagna chiusa:").wait_for()
    _esci(page)

    # meschi sees the round closed; its fields are read-only and a forced value is refused.
    _login(page, url, "meschi")
    assert "Rilevazione intermedia 2019" in page.inner_text("main")
    page.goto(f"{url}/chiavari/obiettivi/{scheda.pk}/rendicontazione/")
    page.get_by_role("heading", name="Rendicontazione · VI - 1 (2019)").wait_for()
    expect(page.locator("#campagna-intermedia")).to_contain_text(
        "Rilevazione intermedia: chiusa il"
    )
    campo = page.locator(f"#id_ind-{indicatore_id}-intermedia_valore")
    expect(campo).not_to_be_editable()
    page.evaluate(
        "document.querySelectorAll('[readonly]').forEach(e => e.removeAttribute('readonly'))"
    )
    campo.fill("5")
    page.get_by_role("button", name="Salva la rendicontazione").click()
    errore = (
        f"Indicatore 1 – Rilevazione intermedia: la campagna è stata chiusa il {data_lunga(oggi)}; "
        "chiedi alla segreteria di riaprirla per il tuo settore."
    )
    page.get_by_text(errore).wait_for()
    assert "Rendicontazione salvata" not in page.inner_text("main")
    page.screenshot(path=str(ARTIFACTS / "campagna_chiusa_rifiuto.png"), full_page=True)
    page.goto(f"{url}/chiavari/obiettivi/{scheda.pk}/rendicontazione/")
    expect(page.locator(f"#id_ind-{indicatore_id}-intermedia_valore")).to_have_value("")
