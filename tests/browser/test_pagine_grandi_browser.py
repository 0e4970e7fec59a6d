"""In Chromium: a piano above PIANO_SCHEDE_IN_PAGINA shows its settori collapsed; the
segreteria opens one and sees its schede (loaded by htmx), the OIV does the same in
the relazione; without JavaScript the settore's own page lists them too."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from objectives.models import Obiettivo
from peg.models import Piano, Ruolo

from .test_scheda_browser import ARTIFACTS, _login, browser_page  # noqa: F401 (fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def piano_grande(settings):
    # DB work here, before Playwright's event loop starts (see test_scheda_browser).
    settings.PIANO_SCHEDE_IN_PAGINA = 10
    call_command(
        "genera_dati",
        *("--comune", "grande", "--settori", "3", "--obiettivi", "6"),
        *("--indicatori", "2", "--fasi", "1"),
        stdout=io.StringIO(),
    )
    piano = Piano.objects.get(comune__slug="grande")
    Obiettivo.objects.filter(piano=piano).update(stato=Obiettivo.Stato.RENDICONTATO)
    for tipo in ("segreteria", "oiv"):
        utente = get_user_model().objects.create_user(f"{tipo}-grande", password="demo")
        Ruolo.objects.create(utente=utente, comune=piano.comune, tipo=tipo)
    settore = piano.comune.settori.order_by("codice")[1]
    codici = list(
        Obiettivo.objects.filter(piano=piano, settore=settore).values_list("codice", flat=True)
    )
    return piano.pk, settore, codici


def test_a_collapsed_settore_opens_with_its_schede(
    live_server,
    piano_grande,
    browser_page,  # noqa: F811
):
    (piano_id, s, codici), page = piano_grande, browser_page
    settore = str(s)
    _login(page, live_server.url, "segreteria-grande")
    page.goto(f"{live_server.url}/grande/piani/{piano_id}/")
    page.get_by_text("18 schede: sono raggruppate per settore").wait_for()
    assert page.get_by_role("link", name=codici[0], exact=True).count() == 0
    pulsante = page.get_by_role("button", name=f"{settore} · 6 schede")
    expect(pulsante).to_have_attribute("aria-expanded", "false")
    # Keyboard: focus and Enter open the section; htmx brings its schede.
    pulsante.focus()
    page.keyboard.press("Enter")
    expect(pulsante).to_have_attribute("aria-expanded", "true")
    for codice in codici:
        expect(page.get_by_role("link", name=codice, exact=True)).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "piano_per_settori.png"), full_page=True)
    # The plain link: the settore's page, as a browser without JavaScript gets it.
    page.get_by_role("link", name="Schede del settore").nth(1).click()
    page.get_by_role("heading", name=settore).wait_for()
    for codice in codici:
        expect(page.get_by_role("link", name=codice, exact=True)).to_be_visible()

    page.get_by_role("button", name="Esci").click()
    _login(page, live_server.url, "oiv-grande")
    page.goto(f"{live_server.url}/grande/piani/{piano_id}/relazione/")
    page.get_by_text("la relazione è raggruppata per settore").wait_for()
    page.get_by_role("button", name=f"{s.codice} {s.nome} · 6 obiettivi").click()
    for codice in codici:
        expect(page.get_by_role("link", name=codice, exact=True)).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "relazione_per_settori.png"), full_page=True)
