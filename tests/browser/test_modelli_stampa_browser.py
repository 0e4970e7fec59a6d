"""A print model made by the segreteria, in a real Chromium: copy Chiavari's model,
rename a section, hide a column, save, see the preview, choose it for the piano, then
the scheda's PDF prints that way (the renamed label there, the hidden column's header
not)."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from tests.browser.conftest import conferma
from tests.browser.test_csp import ASCOLTA_VIOLAZIONI
from tests.factories import IndicatoreFactory
from tests.utenti import crea_ente

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
RINOMINATA = "INDICATORI DI RISULTATO DEL BORGO"


@pytest.fixture
def ente_con_scheda():
    # Before Playwright starts its event loop: the DB work stays synchronous.
    ente = crea_ente()
    scheda = ente.scheda("approvato", codice="A - 1", denominazione="Biblioteca aperta")
    IndicatoreFactory(obiettivo=scheda, numero=1, formula="prestiti / abitanti")
    return ente, scheda, reverse("comune", args=[ente.comune.slug])


@pytest.fixture
def browser_page():
    from playwright.sync_api import sync_playwright

    assert shutil.which(CHROMIUM) or Path(CHROMIUM).exists(), f"Chromium non trovato in {CHROMIUM}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        contesto = browser.new_context(
            viewport={"width": 1366, "height": 900}, locale="it-IT", accept_downloads=True
        )
        page = contesto.new_page()
        yield page
        browser.close()


def _sezione(page, tipo: str) -> str:
    """The form index of the section of that kind (its hidden ``sez-N-tipo`` field)."""
    nome = page.locator(f"input[type=hidden][value={tipo}]").get_attribute("name")
    return nome.split("-")[1]


def test_copia_rinomina_nasconde_sceglie_e_stampa(
    live_server, ente_con_scheda, browser_page, tmp_path
):
    ente, scheda, pagina_comune = ente_con_scheda
    page = browser_page
    errori = []
    page.on("console", lambda m: m.type == "error" and errori.append(m.text))
    page.add_init_script(ASCOLTA_VIOLAZIONI)  # the CSP holds on these pages too
    page.goto(f"{live_server.url}{pagina_comune}")
    page.get_by_label("Nome utente").fill(ente.segreteria.username)
    page.get_by_label("Password").fill("demo")
    page.get_by_label("Password").press("Enter")

    # The comune's page → its print models → a copy of Chiavari's.
    page.get_by_role("link", name="Modelli di stampa").click()
    page.get_by_text("Crea una copia di Scheda obiettivo PDO (Chiavari)").click()
    page.get_by_label("Nome della copia").first.fill("PDO del Borgo")
    page.get_by_role("button", name="Crea la copia").first.click()
    page.get_by_text("Creato «PDO del Borgo» (versione 1)").wait_for()

    # Rename the Indicatori section, hide its FORMULA DI CALCOLO column.
    i = _sezione(page, "chiavari_indicatori")
    page.fill(f"#sez-{i}-etichetta", RINOMINATA)
    casella = page.locator(f"#sez-{i}-col-formula-visibile")
    page.locator(f"label[for=sez-{i}-col-formula-visibile]").click()
    assert not casella.is_checked()

    # The preview of the unsaved form, as images on the page.
    page.get_by_role("button", name="Anteprima").click()
    page.locator("#anteprima img").first.wait_for(timeout=60_000)
    assert "A - 1 (2019)" in page.inner_text("#anteprima")
    assert page.evaluate("window.__violazioni") == []

    page.get_by_role("button", name="Salva", exact=True).last.click()
    page.get_by_text("Salvata la versione 2 di «PDO del Borgo».").wait_for()

    # The piano's page → its print models → the copy for the plan (approved: confirm).
    page.goto(f"{live_server.url}{reverse('piano', args=[ente.comune.slug, ente.piano.pk])}")
    page.get_by_role("link", name="Modelli di stampa").click()
    page.select_option("#modello-piano", label="PDO del Borgo (versione 2)")
    page.locator("#scelta-piano").get_by_role("button", name="Usa questo modello").click()
    conferma(page)
    page.get_by_text("Stampa del piano: ora con «PDO del Borgo».").wait_for()
    assert "versione 2 (fissata per questo piano)" in page.inner_text("main")

    # The scheda's PDF follows the copy.
    page.goto(f"{live_server.url}{reverse('obiettivo', args=[ente.comune.slug, scheda.pk])}")
    with page.expect_download() as scaricato:
        page.get_by_role("link", name="Scarica PDF").first.click()
    pdf = tmp_path / "scheda.pdf"
    scaricato.value.save_as(pdf)
    testo = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert RINOMINATA in testo
    assert "FORMULA DI CALCOLO" not in testo
    assert "DENOMINAZIONE" in testo  # the other columns are still there
    assert "prestiti / abitanti" not in testo  # the hidden column's cells too
    assert "biblioteca aperta" in testo.lower()  # the scheda itself
    assert errori == []
