"""The open data of a published piano (CSV, JSON) and the DCAT-AP_IT catalogue."""

import csv
import io
import json

import pytest

from indicators.models import Indicatore
from peg.scrittura import cella_csv_sicura as cella_sicura
from trasparenza import pubblicazioni
from trasparenza.models import Pubblicazione

pytestmark = pytest.mark.django_db
T = Pubblicazione.Tipo
EU = "http://publications.europa.eu/resource/authority/"


@pytest.fixture
def pubblicato(ente):
    scheda = ente.scheda("approvato", "con_indicatori", denominazione="=SOMMA(A1:A9)")
    Indicatore.objects.filter(obiettivo=scheda, numero=1).update(
        denominazione='=HYPERLINK("http://x.example","clic")', formula="+1+1", unita_misura="@x"
    )
    pubblicazioni.pubblica(ente.piano, 2019, T.PIANO, utente=ente.segreteria)
    return ente


@pytest.mark.parametrize(
    ("valore", "atteso"),
    [("=1+1", "'=1+1"), ("+39", "'+39"), ("-2", "'-2"), ("@A1", "'@A1"), ("ok", "ok"), ("", "")],
)
def test_cella_sicura(valore, atteso):
    assert cella_sicura(valore) == atteso


def test_csv_senza_formule_e_numeri_col_punto(pubblicato, client):
    risposta = client.get("/trasparenza/borgo/dati/piano-2019.csv")
    assert risposta.status_code == 200 and risposta["Content-Type"].startswith("text/csv")
    righe = list(csv.DictReader(io.StringIO(risposta.content.decode("utf-8"))))
    assert len(righe) == 2
    prima = righe[0]
    assert prima["obiettivo"] == "'=SOMMA(A1:A9)"
    assert prima["indicatore"] == '\'=HYPERLINK("http://x.example","clic")'
    assert (prima["formula"], prima["unita_misura"]) == ("'+1+1", "'@x")
    assert (prima["peso"], righe[1]["peso"]) == ("60", "40")
    assert prima["valore_raggiunto"] == ""  # approved, not validated
    for riga in righe:
        for colonna, valore in riga.items():
            assert not valore.startswith(("=", "+", "@")), (colonna, valore)


def test_json_dei_dati(pubblicato, client):
    dati = json.loads(client.get("/trasparenza/borgo/dati/piano-2019.json").content)
    assert dati["anno"] == 2019 and dati["licenza"].endswith("/by/4.0/")
    assert [r["peso"] for r in dati["indicatori"]] == [60, 40]
    assert dati["indicatori"][0]["obiettivo"] == "=SOMMA(A1:A9)"  # JSON: no spreadsheet


def test_dati_di_un_anno_non_pubblicato_404(pubblicato, client):
    assert client.get("/trasparenza/borgo/dati/piano-2020.csv").status_code == 404
    assert client.get("/trasparenza/borgo/dati/piano-2020.json").status_code == 404


def _catalogo(client):
    risposta = client.get("/trasparenza/borgo/dati/catalogo.jsonld")
    assert risposta.status_code == 200
    assert risposta["Content-Type"].startswith("application/ld+json")
    return json.loads(risposta.content)


OBBLIGATORI_CATALOGO = ("dct:title", "dct:description", "dct:publisher", "dct:modified")
OBBLIGATORI_DATASET = (
    "dct:identifier",
    "dct:title",
    "dct:description",
    "dct:modified",
    "dcat:theme",
    "dct:rightsHolder",
    "dct:accrualPeriodicity",
)
RACCOMANDATI_DATASET = ("dct:publisher", "dcat:contactPoint", "dct:issued", "dcat:distribution")
OBBLIGATORI_DISTRIBUZIONE = ("dcat:accessURL", "dct:format", "dct:license")


def test_catalogo_dcat_ap_it(pubblicato, client):
    comune = pubblicato.comune
    comune.codice_ipa = "c_b999"
    comune.email_accessibilita = "urp@borgo.example.org"
    comune.save()
    cat = _catalogo(client)
    assert "dcatapit:Catalog" in cat["@type"]
    assert cat["@context"]["dcatapit"] == "http://dati.gov.it/onto/dcatapit#"
    for chiave in OBBLIGATORI_CATALOGO:
        assert cat.get(chiave), chiave
    assert cat["dct:publisher"]["dct:identifier"] == "c_b999"
    assert "dcatapit:Agent" in cat["dct:publisher"]["@type"]
    (dataset,) = cat["dcat:dataset"]
    for chiave in OBBLIGATORI_DATASET + RACCOMANDATI_DATASET:
        assert dataset.get(chiave), chiave
    assert dataset["dct:identifier"] == "c_b999:piano-performance-2019"
    assert dataset["dcat:theme"]["@id"] == EU + "data-theme/GOVE"
    assert dataset["dct:accrualPeriodicity"]["@id"] == EU + "frequency/ANNUAL"
    assert dataset["dct:rightsHolder"]["@id"] == cat["dct:publisher"]["@id"]
    assert dataset["dcat:contactPoint"]["vcard:hasEmail"]["@id"] == "mailto:urp@borgo.example.org"
    assert dataset["dct:modified"]["@type"] == "xsd:date"
    formati = {}
    for distribuzione in dataset["dcat:distribution"]:
        for chiave in OBBLIGATORI_DISTRIBUZIONE:
            assert distribuzione.get(chiave), chiave
        licenza = distribuzione["dct:license"]
        assert licenza["@type"] == "dct:LicenseDocument"
        assert licenza["@id"] == "https://creativecommons.org/licenses/by/4.0/"
        url = distribuzione["dcat:downloadURL"]["@id"]
        formati[distribuzione["dct:format"]["@id"]] = url
        # Unique across comuni and years: prefixed like the datasets, the year in it.
        formato = url.rsplit(".", 1)[1]
        assert distribuzione["dct:identifier"] == f"c_b999:piano-performance-2019-{formato}"
        assert distribuzione["dcat:mediaType"]["@id"].startswith(
            "http://www.iana.org/assignments/media-types/"
        )
        # The distribution's URL is real and public.
        assert client.get(url.removeprefix("http://testserver")).status_code == 200
    assert formati == {
        EU + "file-type/CSV": "http://testserver/trasparenza/borgo/dati/piano-2019.csv",
        EU + "file-type/JSON": "http://testserver/trasparenza/borgo/dati/piano-2019.json",
    }


def test_catalogo_senza_codice_ipa_usa_lo_slug_e_lo_dice(pubblicato, client):
    cat = _catalogo(client)
    assert cat["dcat:dataset"][0]["dct:identifier"] == "borgo:piano-performance-2019"
    assert "non ha indicato il codice IPA" in cat["dct:description"]["@value"]
    contatto = cat["dcat:dataset"][0]["dcat:contactPoint"]
    assert contatto["vcard:hasURL"]["@id"] == "http://testserver/trasparenza/borgo/"


def test_catalogo_modificato_quando_arriva_la_relazione(ente, client):
    import datetime

    ente.scheda("validato")
    pubblicazioni.pubblica(ente.piano, 2019, T.PIANO, utente=None, data=datetime.date(2019, 4, 1))
    pubblicazioni.pubblica(
        ente.piano, 2019, T.RELAZIONE, utente=None, data=datetime.date(2020, 6, 30)
    )
    dataset = _catalogo(client)["dcat:dataset"][0]
    assert dataset["dct:issued"]["@value"] == "2019-04-01"
    assert dataset["dct:modified"]["@value"] == "2020-06-30"
