"""Codes in natural order everywhere (N 1, N 2 … N 10; VI - 2 … VI - 10): one key
(indicators.engine.formatting.chiave_naturale), stored on the scheda for the queries."""

import datetime
import io
import re

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from indicators.engine.formatting import chiave_naturale
from objectives import campagne
from objectives.models import Obiettivo
from reporting import excel

from .factories import CampagnaFactory, IndicatoreFactory

pytestmark = pytest.mark.django_db

ORDINE = ["N 1", "N 2", "N 10", "VI - 2", "VI - 10"]
CREAZIONE = ["N 10", "VI - 10", "N 2", "VI - 2", "N 1"]


def _in_ordine(testo: str, codici=ORDINE) -> list[str]:
    """The codes as they first appear in ``testo``."""
    posizioni = {}
    for codice in codici:
        trovato = re.search(re.escape(codice) + r"(?!\d)", testo)
        assert trovato, f"{codice} manca"
        posizioni[codice] = trovato.start()
    return sorted(codici, key=posizioni.get)


def test_natural_key_orders_numbers_as_numbers():
    assert sorted(CREAZIONE, key=chiave_naturale) == ORDINE
    assert sorted(["2019_S08_10", "2019_S08_9", "2019_S8_1"], key=chiave_naturale) == [
        "2019_S8_1",
        "2019_S08_9",
        "2019_S08_10",
    ]
    assert chiave_naturale("n 2") == chiave_naturale("N 2")


@pytest.fixture
def schede(ente):
    return [ente.scheda("rendicontato", "con_rilevazioni", codice=c) for c in CREAZIONE]


def test_the_stored_key_orders_the_queries(schede):
    codici = Obiettivo.objects.order_by("codice_ordinabile").values_list("codice", flat=True)
    assert list(codici) == ORDINE
    scheda = Obiettivo.objects.get(codice="N 1")
    scheda.codice = "N 11"
    scheda.save()
    codici = Obiettivo.objects.order_by("codice_ordinabile").values_list("codice", flat=True)
    assert list(codici) == ["N 2", "N 10", "N 11", "VI - 2", "VI - 10"]


@pytest.mark.parametrize(
    "pagina, chi",
    [
        ("piano", "segreteria"),
        ("home", "responsabile_a"),
        ("coda_valutazione", "oiv"),
        ("cruscotto_settore", "segreteria"),
        ("relazione", "segreteria"),
    ],
)
def test_pages_list_codes_in_natural_order(client, ente, schede, pagina, chi):
    client.force_login(ente.profilo(chi))
    slug = ente.comune.slug
    args = {
        "home": [],
        "coda_valutazione": [slug],
        "cruscotto_settore": [slug, ente.piano.pk, ente.settore_a.pk],
    }.get(pagina, [slug, ente.piano.pk])
    response = client.get(reverse(pagina, args=args), {"anno": 2019})
    assert response.status_code == 200
    assert _in_ordine(response.content.decode()) == ORDINE


def test_excel_rows_in_natural_order(ente, schede):
    dati = excel.cartella(excel.obiettivi_da_esportare(Obiettivo.objects.all(), ente.piano))
    foglio = load_workbook(io.BytesIO(dati))["Obiettivi"]
    colonna = [c.value for c in foglio[1]].index("Codice obiettivo")
    codici = [r[colonna] for r in foglio.iter_rows(min_row=2, values_only=True)]
    assert codici == ORDINE


def test_campaign_email_lists_codes_in_natural_order(ente):
    for codice in CREAZIONE:
        scheda = ente.scheda("in_monitoraggio", codice=codice)
        IndicatoreFactory(obiettivo=scheda, numero=1)
    campagna = CampagnaFactory(piano=ente.piano, momento="intermedia", creata_da=ente.segreteria)
    campagne.apri(campagna, datetime.date(2019, 7, 1), ente.segreteria)
    (email,) = [m for m in mail.outbox if ente.responsabile_a.email in m.to]
    assert _in_ordine(email.body) == ORDINE
