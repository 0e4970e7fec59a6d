"""In Chromium, as a user would: open each form with data, save it unchanged twice, and
find the database identical (rows, history rows, variazioni, versione). A number shown
as "50,00" inside a type="number" input would be posted empty and erase the value."""

import datetime
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal as D

import pytest
from django.contrib.auth import get_user_model
from django.db import connections

from indicators.models import Rilevazione
from objectives.demo_accounts import crea_utenti_demo
from objectives.demo_loader import DEMO_DIR, carica_file
from objectives.models import Fase, Obiettivo
from objectives.modifiche import esegui

from ..factories import FaseFactory, RisorsaFinanziariaFactory, RisorsaStrumentaleFactory
from ..fotografia import fotografia
from .test_scheda_browser import _login, browser_page  # noqa: F401 (fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _fotografia(obiettivo_id: int) -> dict:
    """The dump, read in another thread: Playwright's event loop runs in this one, where
    Django refuses database work."""

    def leggi():
        try:
            return fotografia(obiettivo_id)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as esecutore:
        return esecutore.submit(leggi).result()


def _chiavari():
    carica_file(DEMO_DIR / "chiavari.json")
    crea_utenti_demo(["chiavari"])
    scheda = Obiettivo.objects.get(piano__comune__slug="chiavari", codice="VI - 1", anno=2019)
    if not scheda.fasi.exists():
        FaseFactory(obiettivo=scheda, numero=1, peso=D(100), descrizione="Unica fase")
    return scheda, get_user_model().objects.get(username="segreteria")


@pytest.fixture
def in_bozza_con_righe():
    scheda, segreteria = _chiavari()
    Obiettivo.objects.filter(pk=scheda.pk).update(
        descrizione="Prima riga\nseconda riga", strategicita=D("2.5")
    )
    RisorsaFinanziariaFactory(obiettivo=scheda, importo=D("23000.50"), descrizione="Fondi\nvari")
    RisorsaStrumentaleFactory(obiettivo=scheda, descrizione="PC\nportatile")
    esegui(scheda, segreteria, "riapri_bozza", motivazione="Revisione degli indicatori")
    return scheda.pk


@pytest.fixture
def in_monitoraggio_con_valori():
    scheda, segreteria = _chiavari()
    esegui(scheda, segreteria, "avvia_monitoraggio")
    primo, secondo = scheda.indicatori.order_by("numero")[:2]
    Rilevazione.objects.create(
        indicatore=primo, tipo="finale", data=datetime.date(2019, 10, 8), note="Con\nritardo"
    )
    Rilevazione.objects.create(indicatore=secondo, tipo="intermedia", valore=D("2.5"))
    Rilevazione.objects.create(indicatore=secondo, tipo="finale", valore=D("1234.75"))
    Fase.objects.filter(obiettivo=scheda).update(
        avanzamento=D("50.50"),
        data_inizio_effettiva=datetime.date(2019, 2, 1),
        monitoraggio="Riga uno\nriga due",
    )
    Obiettivo.objects.filter(pk=scheda.pk).update(stato_attuazione="Fatto.\nTutto bene.")
    return scheda.pk


def test_the_planning_page_saved_unchanged_twice_changes_nothing(
    live_server,
    in_bozza_con_righe,
    browser_page,  # noqa: F811
):
    pk, page, url = in_bozza_con_righe, browser_page, live_server.url
    prima = _fotografia(pk)
    _login(page, url, "meschi")
    for _ in range(2):
        page.goto(f"{url}/chiavari/obiettivi/{pk}/modifica/")
        assert page.locator("#id_finanziarie-0-importo").input_value() == "23000,50"
        assert page.locator('input[type="number"]').count() == 0
        page.get_by_role("button", name="Salva la scheda").click()
        page.get_by_text("VI - 1 (2019): nessuna modifica da salvare.").wait_for()
        assert _fotografia(pk) == prima


def test_the_rendicontazione_saved_unchanged_twice_changes_nothing(
    live_server,
    in_monitoraggio_con_valori,
    browser_page,  # noqa: F811
):
    pk, page, url = in_monitoraggio_con_valori, browser_page, live_server.url
    prima = _fotografia(pk)
    _login(page, url, "meschi")
    for _ in range(2):
        page.goto(f"{url}/chiavari/obiettivi/{pk}/rendicontazione/")
        avanzamento = page.get_by_label("Avanzamento (%)").first
        assert avanzamento.input_value() == "50,50"  # shown, so posted back as it is
        assert page.locator('input[type="number"]').count() == 0
        page.get_by_role("button", name="Salva la rendicontazione").click()
        page.get_by_text("Nessuna modifica da salvare.").wait_for()
        assert _fotografia(pk) == prima
