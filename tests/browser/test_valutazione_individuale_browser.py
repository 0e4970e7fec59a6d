"""In Chromium, issue 16's walk on the demo's Cinisello Balsamo 2019: the OIV validates
the whole queue in one act in a seduta and proposes Conti's evaluation there; the
sindaco decides and delivers it; Conti acknowledges it, asks the conciliazione on one
comportamento and gets the answer; he cannot open another person's scheda (404); the
staff member with a login sees only her own."""

import datetime
import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from individuale.models import SchedaIndividuale
from objectives.models import Obiettivo
from valutazione.models import Nucleo, Seduta

from .conftest import conferma
from .test_scheda_browser import ARTIFACTS, _login, browser_page  # noqa: F401 (fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
COMUNE = "cinisello-balsamo"


@pytest.fixture
def cinisello():
    # DB work here, before Playwright's event loop starts (see test_scheda_browser).
    call_command("carica_demo", COMUNE, stdout=io.StringIO())
    nucleo = Nucleo.objects.get(comuni__slug=COMUNE)
    seduta = Seduta.objects.create(
        nucleo=nucleo,
        comune=nucleo.comuni.get(slug=COMUNE),
        anno=2020,
        numero=1,
        data=datetime.date(2020, 3, 12),
        ordine_del_giorno="Validazione della relazione 2019; proposte di valutazione.",
    )
    seduta.presenti.set(nucleo.componenti.all())
    schede = SchedaIndividuale.objects.filter(smvp__comune__slug=COMUNE)
    return {
        "conti": schede.get(persona__nome__iexact="Mario Conti").pk,
        "esempio": schede.get(persona__nome="Anna Esempio").pk,
        "da_validare": Obiettivo.objects.filter(
            piano__comune__slug=COMUNE, anno=2019, stato=Obiettivo.Stato.RENDICONTATO
        ).count(),
    }


def _esci(page):
    page.get_by_role("button", name="Esci").click()


def test_dalla_validazione_in_blocco_alla_conciliazione(
    live_server,
    cinisello,
    browser_page,  # noqa: F811
):
    page, url = browser_page, live_server.url
    scheda = f"{url}/{COMUNE}/valutazione-individuale/schede/{cinisello['conti']}/"
    assert cinisello["da_validare"] > 0

    # The Nucleo validates the whole 2019 queue in one act, in the seduta.
    _login(page, url, "oiv")
    page.goto(f"{url}/{COMUNE}/valutazione/?anno=2019")
    caselle = page.locator("input[name=scelte]")
    expect(caselle).to_have_count(cinisello["da_validare"])
    page.get_by_label("Seleziona tutte le schede da validare della pagina").check()
    for i in range(caselle.count()):
        expect(caselle.nth(i)).to_be_checked()
    page.get_by_label("Seduta del nucleo").select_option(index=0)
    page.get_by_role("button", name="Valida le selezionate…").click()
    page.get_by_role("button", name=f"Valida {cinisello['da_validare']} schede").click()
    expect(page.locator("main")).to_contain_text("12 marzo 2020")
    # (No DB queries here: Playwright's loop runs in this thread.) Nothing left to validate.
    page.goto(f"{url}/{COMUNE}/valutazione/?anno=2019")
    expect(page.locator("input[name=scelte]")).to_have_count(0)

    # ... and proposes Conti's evaluation in the same seduta.
    page.goto(scheda)
    expect(page.locator("main")).not_to_contain_text("Punteggio provvisorio")
    page.get_by_label("Seduta del Nucleo").select_option(index=1)
    page.get_by_role("button", name="Proponi al sindaco").click()
    conferma(page)
    expect(page.locator("main")).to_contain_text("nella seduta del 12 marzo 2020")
    _esci(page)

    # The sindaco decides and delivers it after the colloquio.
    _login(page, url, "sindaco")
    page.goto(scheda)
    page.get_by_label("Data del colloquio").fill("2020-03-20")
    page.get_by_label("Note del colloquio").fill("Colloquio con il sindaco e il Nucleo.")
    page.get_by_role("button", name="Decidi e consegna").click()
    conferma(page)
    expect(page.locator("main")).to_contain_text("Consegnata al valutato")
    _esci(page)

    # Conti finds it on his home, takes note and asks the conciliazione on one vote.
    _login(page, url, "conti")
    page.get_by_role("link", name="Valutazione 2019").click()
    page.get_by_role("button", name="Presa visione").click()
    conferma(page)
    expect(page.locator("main")).to_contain_text("si può chiedere fino al")
    page.get_by_label("Su un comportamento (facoltativo)").select_option(
        label="Programmazione e controllo (voto 7)"
    )
    page.get_by_label("Motivi della richiesta").fill(
        "Il piano delle attività è stato rispettato nonostante due pensionamenti."
    )
    page.get_by_role("button", name="Chiedo la conciliazione").click()
    conferma(page)
    expect(page.locator("main")).to_contain_text("In conciliazione")
    # Another person's scheda does not exist for him.
    risposta = page.goto(f"{url}/{COMUNE}/valutazione-individuale/schede/{cinisello['esempio']}/")
    assert risposta.status == 404
    expect(page.locator("main")).to_contain_text("non")
    _esci(page)

    # The sindaco answers: accepted in part, the vote goes from 7 to 8.
    _login(page, url, "sindaco")
    page.goto(scheda)
    page.get_by_label("Esito").select_option(label="Accolta in parte")
    page.get_by_label("Nuovo voto (se cambia)").fill("8")
    page.get_by_label("Risposta").fill("Riconosciuto l'impegno; resta il ritardo sul bando.")
    page.get_by_role("button", name="Rispondi alla conciliazione").click()
    conferma(page)
    main = page.locator("main")
    expect(main).to_contain_text("Definitiva")
    expect(main).to_contain_text("Punteggio finale prima:")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "scheda_individuale.png"), full_page=True)
    expect(main).to_contain_text("Punteggio finale (definitivo)")
    _esci(page)

    # The staff member with a login sees her own scheda (delivered), nobody else's.
    _login(page, url, "esempio")
    page.get_by_role("link", name="Valutazione 2019").click()
    expect(page.locator("h1")).to_contain_text("Anna Esempio")
    assert page.goto(scheda).status == 404
    _esci(page)

    # The segreteria makes the staff's schede definitive (their term expired in 2020)
    # and distributes the fondo unico of € 10.000,00 among the six.
    _login(page, url, "segreteria")
    page.goto(f"{url}/{COMUNE}/")
    page.get_by_role("link", name="Sistema di valutazione e premi").click()
    page.get_by_role("link", name="2019", exact=True).click()
    page.get_by_role("link", name="le schede di valutazione individuale 2019").click()
    page.get_by_role("button", name="Rendi definitive le schede con termine scaduto").click()
    conferma(page)
    expect(page.locator("main")).not_to_contain_text("Consegnata al valutato")
    page.goto(f"{url}/{COMUNE}/smvp/2019/")
    page.get_by_role("link", name="i premi 2019").click()
    page.get_by_role("button", name="Distribuisci…").click()
    expect(page.locator("main")).to_contain_text("su fondo € 10.000,00")
    page.get_by_role("button", name="Distribuisci", exact=True).click()
    conferma(page)
    main = page.locator("main")
    expect(page.locator("body")).to_contain_text("Premi 2019 distribuiti")
    expect(
        main.locator("#in-vigore ~ div tbody tr, section[aria-labelledby=in-vigore] tbody tr")
    ).to_have_count(6)
    expect(main).to_contain_text("su fondo € 10.000,00, residuo € 0,")
    page.screenshot(path=str(ARTIFACTS / "premi.png"), full_page=True)
    # The art. 20 tables have no names.
    tabelle = main.locator("section[aria-labelledby=art20]")
    for nome in ("Conti", "Esempio", "Fittizio", "Prova", "Campione", "Modello"):
        expect(tabelle).not_to_contain_text(nome)
