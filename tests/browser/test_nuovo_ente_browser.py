"""In Chromium, issue 15's first walk: the system's administrator creates the comune
«Prova»; its segreteria, invited by e-mail, chooses her password, imports an
organigramma of 3 settori and 12 persone (a file with one wrong row is refused naming
that row, then the fixed file goes in); a responsabile invited by the import chooses his
password from the e-mail's link and logs in."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from ..test_organigramma import AREA_SBAGLIATA, PERSONE_FILE, compila, con_riga
from .test_scheda_browser import ARTIFACTS, browser_page  # noqa: F401 (fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Una-password-lunga-42"


@pytest.fixture
def amministratore():
    # DB work here, before Playwright's event loop starts (see test_scheda_browser).
    get_user_model().objects.create_superuser("amministratore", "admin@example.org", PASSWORD)


def _accedi(page, url, username, password=PASSWORD):
    page.goto(f"{url}/accesso/")
    page.get_by_label("Nome utente").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Accedi").click()
    page.get_by_role("heading", name="I tuoi comuni").wait_for()


def _esci(page):
    page.get_by_role("button", name="Esci").click()
    page.get_by_role("heading", name="Accesso").wait_for()


def _scegli_password(page, messaggio, url):
    link = re.search(r"https?://\S+", messaggio.body).group(0)
    page.goto(url + "/" + link.split("://", 1)[1].split("/", 1)[1])
    page.get_by_role("heading", name="Benvenuto in PEG - Piano degli obiettivi").wait_for()
    page.locator("#id_new_password1").fill(PASSWORD)
    page.locator("#id_new_password2").fill(PASSWORD)
    page.get_by_role("button", name="Imposta la password").click()


def test_a_new_ente_from_the_pages_to_a_responsabile_logged_in(
    live_server,
    amministratore,
    mailoutbox,
    browser_page,  # noqa: F811
    tmp_path,
):
    page, url = browser_page, live_server.url
    ARTIFACTS.mkdir(exist_ok=True)

    _accedi(page, url, "amministratore")
    page.get_by_role("link", name="Nuovo comune").click()
    page.locator("#id_nome").fill("Prova")
    page.get_by_label("Provincia").fill("Genova")
    page.get_by_label("Codice ISTAT").fill("010099")
    page.get_by_label("Numero di dipendenti").fill("42")
    page.get_by_label("Nome e cognome").fill("Maria Rossi")
    page.locator("#id_segreteria_email").fill("maria.rossi@example.org")
    page.screenshot(path=str(ARTIFACTS / "nuovo_comune.png"), full_page=True)
    page.get_by_role("button", name="Crea il comune").click()
    page.get_by_role("heading", name="Organigramma").wait_for()
    expect(page.get_by_role("alert").first).to_contain_text(
        "Comune di Prova creato. L'invito ad accedere è partito per Maria Rossi"
    )
    _esci(page)

    # The segreteria's invitation: her user name and the link to choose the password.
    assert [m.to for m in mailoutbox] == [["maria.rossi@example.org"]]
    assert "Il tuo nome utente è: maria.rossi" in mailoutbox[0].body
    _scegli_password(page, mailoutbox[0], url)
    page.get_by_role("heading", name="Password impostata").wait_for()
    _accedi(page, url, "maria.rossi")
    page.get_by_role("link", name="Comune di Prova").click()
    page.get_by_role("link", name="Organigramma").click()
    page.get_by_role("link", name="Importa da Excel o CSV").click()

    sbagliato = tmp_path / "organigramma-sbagliato.xlsx"
    sbagliato.write_bytes(compila(persone=con_riga(PERSONE_FILE, 7, area="Dirigente")))
    page.get_by_label("File dell'organigramma").set_input_files(str(sbagliato))
    page.get_by_role("button", name="Importa", exact=True).click()
    expect(page.get_by_role("alert").first).to_contain_text(
        "Il file contiene 1 errore: non è stato salvato nulla."
    )
    riga = page.get_by_role("row").filter(has_text="Dirigente")
    expect(riga).to_contain_text("Persone")
    expect(riga).to_contain_text("7")
    assert AREA_SBAGLIATA.split(": ", 1)[1] in riga.inner_text()
    page.screenshot(path=str(ARTIFACTS / "organigramma_errore.png"), full_page=True)

    giusto = tmp_path / "organigramma.xlsx"
    giusto.write_bytes(compila())
    page.get_by_label("File dell'organigramma").set_input_files(str(giusto))
    page.get_by_role("button", name="Importa", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Importazione completata.")
    expect(page.get_by_role("status")).to_contain_text("Settori creati: 3")
    page.get_by_role("link", name="Torna all'organigramma").click()
    expect(page.get_by_role("table").nth(1).get_by_role("row")).to_have_count(13)
    page.screenshot(path=str(ARTIFACTS / "organigramma.png"), full_page=True)
    _esci(page)

    # Luca Bianchi, responsabile of settore II, logs in from his invitation.
    invito = next(m for m in mailoutbox if m.to == ["luca.bianchi@example.org"])
    _scegli_password(page, invito, url)
    _accedi(page, url, "luca.bianchi")
    expect(page.get_by_role("link", name="Comune di Prova")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "responsabile_invitato.png"), full_page=True)
