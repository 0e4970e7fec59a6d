"""«Valida le selezionate» in the OIV's queue: a confirmation with how many and which,
then all of them as computed in one transaction referencing the seduta, or none (the
message says which scheda failed and why); bounded queries."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from objectives.models import Obiettivo
from valutazione import review
from valutazione.models import Commento, Validazione

from .factories import NucleoFactory, SedutaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seduta(ente):
    nucleo = NucleoFactory(comuni=[ente.comune], collegiale=True)
    return SedutaFactory(comune=ente.comune, nucleo=nucleo, numero=3)


def _url(ente):
    return reverse("valida_selezionate", args=[ente.comune.slug])


def _dati(schede, seduta, conferma=True, **versioni):
    dati = {"scelte": [s.pk for s in schede], "seduta": seduta.pk if seduta else ""}
    for s in schede:
        dati[f"versione-{s.pk}"] = versioni.get(s.codice, s.versione)
    if conferma:
        dati["conferma"] = "1"
    return dati


def _messaggi(risposta) -> str:
    return " ".join(str(m) for m in get_messages(risposta.wsgi_request))


def test_la_coda_offre_le_caselle_solo_all_oiv(client, ente, seduta):
    da_validare = ente.scheda("rendicontato")
    ente.scheda("validato")
    client.force_login(ente.oiv)
    pagina = client.get(reverse("coda_valutazione", args=[ente.comune.slug]) + "?stato=tutti")
    html = pagina.content.decode()
    assert html.count('name="scelte"') == 1  # only the rendicontata can be validated
    assert f'name="versione-{da_validare.pk}" value="{da_validare.versione}"' in html
    assert "Valida le selezionate" in html and "verbale n. 3/2020" in html
    client.force_login(ente.segreteria)
    html = client.get(reverse("coda_valutazione", args=[ente.comune.slug])).content.decode()
    assert 'name="scelte"' not in html


def test_conferma_dice_quante_e_quali_senza_validare(client, ente, seduta):
    schede = [ente.scheda("rendicontato"), ente.scheda("rendicontato")]
    client.force_login(ente.oiv)
    risposta = client.post(_url(ente), _dati(schede, seduta, conferma=False))
    assert risposta.status_code == 200
    html = risposta.content.decode()
    assert "Validare 2 schede come calcolato?" in html
    assert all(s.codice in html for s in schede)
    assert "seduta del 12 marzo 2020, verbale n. 3/2020" in html
    assert not Validazione.objects.exists()


def test_valida_tutte_nella_seduta(client, ente, seduta):
    schede = [ente.scheda("rendicontato") for _ in range(3)]
    client.force_login(ente.oiv)
    risposta = client.post(_url(ente), _dati(schede, seduta))
    assert risposta.status_code == 302
    assert "3 schede validate come calcolato nella seduta del 12 marzo 2020" in _messaggi(risposta)
    validazioni = Validazione.objects.filter(obiettivo__in=schede)
    assert validazioni.count() == 3
    assert {v.seduta_id for v in validazioni} == {seduta.pk}
    assert all(v.punteggio == v.punteggio_calcolato for v in validazioni)  # as computed
    assert set(
        Obiettivo.objects.filter(pk__in=[s.pk for s in schede]).values_list("stato", flat=True)
    ) == {"validato"}
    assert Commento.objects.filter(tipo="validazione", seduta=seduta).count() == 3


def test_una_scheda_cambiata_e_nessuna_validata(client, ente, seduta):
    buone = [ente.scheda("rendicontato"), ente.scheda("rendicontato")]
    cambiata = ente.scheda("rendicontato")
    client.force_login(ente.oiv)
    dati = _dati([*buone, cambiata], seduta, **{cambiata.codice: cambiata.versione - 1})
    risposta = client.post(_url(ente), dati)
    assert risposta.status_code == 302
    messaggio = _messaggi(risposta)
    assert "Nessuna scheda è stata validata" in messaggio
    assert f"{cambiata.codice} (2019)" in messaggio and "modificata" in messaggio
    assert not Validazione.objects.exists()
    assert set(Obiettivo.objects.values_list("stato", flat=True)) == {"rendicontato"}


def test_una_scheda_nello_stato_sbagliato_e_nessuna_validata(client, ente, seduta):
    buona = ente.scheda("rendicontato")
    in_monitoraggio = ente.scheda("in_monitoraggio", "con_rilevazioni")
    client.force_login(ente.oiv)
    risposta = client.post(_url(ente), _dati([buona, in_monitoraggio], seduta))
    messaggio = _messaggi(risposta)
    assert "Nessuna scheda è stata validata" in messaggio
    assert in_monitoraggio.codice in messaggio
    assert not Validazione.objects.exists()
    assert Obiettivo.objects.get(pk=buona.pk).stato == "rendicontato"


def test_scheda_di_un_altro_comune_rifiuta_tutto(client, ente, seduta):
    from .utenti import crea_ente

    altro = crea_ente("altrove")
    estranea = altro.scheda("rendicontato")
    buona = ente.scheda("rendicontato")
    client.force_login(ente.oiv)
    client.post(_url(ente), _dati([buona, estranea], seduta))
    assert not Validazione.objects.exists()


def test_senza_seduta_niente(client, ente, seduta):
    scheda = ente.scheda("rendicontato")
    client.force_login(ente.oiv)
    risposta = client.post(_url(ente), _dati([scheda], None))
    assert "Indica la seduta del nucleo" in _messaggi(risposta)
    assert not Validazione.objects.exists()
    with pytest.raises(review.BloccoRifiutato, match="Indica la seduta"):
        review.valida_in_blocco(ente.comune, ente.oiv, {scheda.pk: scheda.versione}, None)


def test_seduta_chiusa_niente(client, ente, seduta):
    scheda = ente.scheda("rendicontato")
    seduta.chiusa = True
    seduta.save()
    client.force_login(ente.oiv)
    risposta = client.post(_url(ente), _dati([scheda], seduta))
    assert "Nessuna scheda validata" in _messaggi(risposta)
    assert not Validazione.objects.exists()


def test_nessuna_selezione(client, ente, seduta):
    client.force_login(ente.oiv)
    risposta = client.post(_url(ente), {"seduta": seduta.pk, "conferma": "1"})
    assert "Seleziona almeno una scheda" in _messaggi(risposta)


def test_dati_malformati_non_danno_500(client, ente, seduta):
    scheda = ente.scheda("rendicontato")
    client.force_login(ente.oiv)
    for dati in (
        {"scelte": ["x", "99999999999999999999"], "seduta": "abc", "conferma": "1"},
        {"scelte": [scheda.pk], f"versione-{scheda.pk}": "dieci", "seduta": seduta.pk},
        {"scelte": [scheda.pk], "seduta": seduta.pk, "filtri": "stato=%%%&anno=x"},
    ):
        assert client.post(_url(ente), dati).status_code == 302
    assert not Validazione.objects.exists()


@pytest.mark.parametrize(
    ("profilo", "codice"),
    [("responsabile_a", 403), ("lettore", 403), ("segreteria", 403), ("estraneo", 404)],
)
def test_rifiuti(client, ente, seduta, profilo, codice):
    scheda = ente.scheda("rendicontato")
    client.force_login(ente.profilo(profilo))
    assert client.post(_url(ente), _dati([scheda], seduta)).status_code == codice
    assert not Validazione.objects.exists()


def test_query_limitate(client, ente, seduta, django_assert_max_num_queries):
    """The check before the loop is one query; then each scheda costs what ``valida``
    costs, whatever the others: at most PER_SCHEDA each plus a fixed part."""
    schede = [ente.scheda("rendicontato") for _ in range(6)]
    client.force_login(ente.oiv)
    client.get(reverse("coda_valutazione", args=[ente.comune.slug]))  # session warmed
    with django_assert_max_num_queries(FISSE + PER_SCHEDA * len(schede)):
        client.post(_url(ente), _dati(schede, seduta))
    assert Validazione.objects.count() == 6


FISSE, PER_SCHEDA = 10, 24  # measured: 8 + 23 per scheda


def test_identificativi_con_cifre_non_ascii_non_sono_un_500(client, ente):
    """Review finding: "²" passes str.isdigit() and int("²") raised: a 500."""

    nucleo = NucleoFactory(comuni=[ente.comune], collegiale=True)
    seduta = SedutaFactory(comune=ente.comune, nucleo=nucleo, numero=3)
    s = ente.scheda("rendicontato")
    client.force_login(ente.oiv)
    url = reverse("valida_selezionate", args=[ente.comune.slug])
    # Refused like any bad selection: back to the queue with the message, nothing done.
    assert client.post(url, {"scelte": ["²"], "seduta": seduta.pk}).status_code == 302
    dati = {"scelte": [s.pk], f"versione-{s.pk}": "²", "seduta": seduta.pk, "conferma": "1"}
    assert client.post(url, dati).status_code == 302
    assert not Validazione.objects.exists()
