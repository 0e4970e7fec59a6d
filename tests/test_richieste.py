"""A responsabile asks for a variazione of an approved scheda; the segreteria accepts it
(the change is then a Variazione with the request's motivazione, linked to it) or
refuses it with a reason. Both sides get an e-mail with a link that works."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from objectives.models import Obiettivo, RichiestaVariazione, Variazione

from .html_form import campi

pytestmark = pytest.mark.django_db
S = Obiettivo.Stato
R = RichiestaVariazione.Stato
SITO = "https://peg.example.it"


@pytest.fixture(autouse=True)
def sito(settings):
    settings.SITE_URL = SITO + "/"


def _url(nome, *args):
    return reverse(nome, args=list(args))


def _link(email) -> str:
    """The one link of the e-mail, as a path of this site."""
    (link,) = re.findall(re.escape(SITO) + r"(/\S+)", email.body)
    return link


def _chiedi(client, ente, scheda, **dati):
    client.force_login(ente.responsabile_a)
    url = _url("richiedi_variazione", ente.comune.slug, scheda.pk)
    corpo = {
        "cosa": "Portare il valore atteso dell'indicatore 1 da 4 a 3 incontri",
        "motivazione": "Il servizio ha un operatore in meno da marzo",
        **dati,
    }
    return client.post(url, corpo, follow=True)


def test_a_responsabile_asks_and_the_segreteria_is_mailed_a_working_link(client, ente):
    scheda = ente.scheda("in_monitoraggio", "con_indicatori")
    indicatore = scheda.indicatori.order_by("numero").first()
    client.force_login(ente.responsabile_a)
    pagina = client.get(_url("obiettivo", ente.comune.slug, scheda.pk)).content.decode()
    assert "Chiedi una variazione" in pagina
    modulo = client.get(_url("richiedi_variazione", ente.comune.slug, scheda.pk))
    assert modulo.status_code == 200
    assert f"Indicatore {indicatore.numero}" in modulo.content.decode()

    risposta = _chiedi(client, ente, scheda, indicatore=indicatore.pk)
    html = risposta.content.decode()
    assert "Richiesta di variazione inviata alla segreteria" in html
    richiesta = RichiestaVariazione.objects.get()
    assert (richiesta.stato, richiesta.richiesta_da, richiesta.indicatore) == (
        R.IN_ATTESA,
        ente.responsabile_a,
        indicatore,
    )
    assert [m.to for m in mail.outbox] == [[ente.segreteria.email]]
    email = mail.outbox[0]
    assert email.subject == (
        f"[PEG {ente.comune.nome}] Richiesta di variazione di {scheda.codice} ({scheda.anno})"
    )
    assert "Il servizio ha un operatore in meno da marzo" in email.body
    client.force_login(ente.segreteria)
    dettaglio = client.get(_link(email))
    assert dettaglio.status_code == 200
    html = dettaglio.content.decode()
    assert "Portare il valore atteso" in html and "In attesa" in html
    assert "Accogli" in html and "Respingi" in html

    # Pending: on the piano page, the list of the piano, the scheda, the homes.
    piano = client.get(_url("piano", ente.comune.slug, ente.piano.pk)).content.decode()
    elenco = _url("richieste_variazione", ente.comune.slug, ente.piano.pk)
    assert "1 richiesta di variazione in attesa" in piano and elenco in piano
    assert scheda.codice in client.get(elenco).content.decode()
    scheda_html = client.get(_url("obiettivo", ente.comune.slug, scheda.pk)).content.decode()
    assert "Richieste di variazione" in scheda_html and "Portare il valore atteso" in scheda_html
    assert "richiesta di variazione" in client.get(_url("home")).content.decode()
    client.force_login(ente.responsabile_a)
    home = client.get(_url("home")).content.decode()
    assert "Le tue richieste di variazione" in home and "in attesa" in home


def test_accepted_the_change_is_a_variazione_with_its_motivazione_linked_to_it(client, ente):
    scheda = ente.scheda("approvato", "con_indicatori")
    _chiedi(client, ente, scheda)
    richiesta = RichiestaVariazione.objects.get()
    mail.outbox.clear()
    client.force_login(ente.segreteria)
    accogli = _url("accogli_richiesta", ente.comune.slug, richiesta.pk)
    risposta = client.post(accogli, {"delibera_numero": "12", "delibera_data": "2019-05-02"})
    modifica = _url("modifica_obiettivo", ente.comune.slug, scheda.pk)
    assert risposta.status_code == 302 and risposta["Location"] == modifica
    richiesta.refresh_from_db()
    assert (richiesta.stato, richiesta.decisa_da, richiesta.delibera_numero) == (
        R.ACCOLTA,
        ente.segreteria,
        "12",
    )
    assert [m.to for m in mail.outbox] == [[ente.responsabile_a.email]]
    assert "è stata accolta" in mail.outbox[0].body
    assert "delibera n. 12 del 2 maggio 2019" in mail.outbox[0].body

    pagina = client.get(modifica).content.decode()
    assert "Portare il valore atteso" in pagina  # what was asked, beside the form
    dati = campi(pagina, "scheda-form")
    attesa = (
        f"Richiesta di {ente.responsabile_a.get_full_name() or ente.responsabile_a.username}"
        " accolta (delibera n. 12 del 2 maggio 2019): Il servizio ha un operatore in meno da marzo"
    )
    assert dati["motivazione"] == attesa
    dati["denominazione"] = "Obiettivo ridimensionato"
    assert client.post(modifica, dati).status_code == 302
    variazione = Variazione.objects.get(obiettivo=scheda)
    assert variazione.motivazione == attesa
    richiesta.refresh_from_db()
    assert richiesta.variazione == variazione
    # A later variazione is not the request's.
    dati = campi(client.get(modifica).content.decode(), "scheda-form")
    assert dati["motivazione"] == ""
    client.force_login(ente.responsabile_a)
    html = client.get(_link(mail.outbox[0])).content.decode()
    assert "Accolta" in html
    assert "variazione registrata il" in html


def test_refused_with_a_reason_the_responsabile_is_told_why(client, ente):
    scheda = ente.scheda("in_monitoraggio", "con_indicatori")
    _chiedi(client, ente, scheda)
    richiesta = RichiestaVariazione.objects.get()
    mail.outbox.clear()
    client.force_login(ente.segreteria)
    respingi = _url("respingi_richiesta", ente.comune.slug, richiesta.pk)
    html = client.post(respingi, {"risposta": "  "}, follow=True).content.decode()
    assert "Scrivi perché la richiesta è respinta." in html
    richiesta.refresh_from_db()
    assert richiesta.stato == R.IN_ATTESA and mail.outbox == []

    client.post(respingi, {"risposta": "Il target è già stato ridotto a marzo"})
    richiesta.refresh_from_db()
    assert (richiesta.stato, richiesta.risposta) == (
        R.RESPINTA,
        "Il target è già stato ridotto a marzo",
    )
    assert [m.to for m in mail.outbox] == [[ente.responsabile_a.email]]
    assert "è stata respinta" in mail.outbox[0].body
    assert "Il target è già stato ridotto a marzo" in mail.outbox[0].body
    client.force_login(ente.responsabile_a)
    html = client.get(_link(mail.outbox[0])).content.decode()
    assert "Respinta" in html and "Il target è già stato ridotto a marzo" in html
    # Decided once: a second decision is refused with the reason.
    client.force_login(ente.segreteria)
    accogli = _url("accogli_richiesta", ente.comune.slug, richiesta.pk)
    risposta = client.post(accogli, {})
    assert risposta.status_code == 403
    assert "è già stata respinta" in risposta.content.decode()
    assert Variazione.objects.count() == 0


def test_who_may_ask_and_when(client, ente):
    bozza = ente.scheda("bozza")
    client.force_login(ente.responsabile_a)
    url = _url("richiedi_variazione", ente.comune.slug, bozza.pk)
    risposta = client.get(url)
    assert risposta.status_code == 403
    assert "solo per una scheda approvata o in monitoraggio" in risposta.content.decode()
    approvata = ente.scheda("approvato")
    url = _url("richiedi_variazione", ente.comune.slug, approvata.pk)
    for chi in (ente.responsabile_b, ente.oiv, ente.lettore, ente.segreteria):
        client.force_login(chi)
        assert client.post(url, {"cosa": "x", "motivazione": "y"}).status_code == 403
    assert not RichiestaVariazione.objects.exists()
    html = _chiedi(client, ente, approvata, cosa=" ", motivazione="").content.decode()
    assert "Scrivi che cosa cambiare." in html and "Scrivi perché." in html
    assert not RichiestaVariazione.objects.exists()


def test_the_responsabile_may_not_decide_and_others_do_not_see(client, ente):
    scheda = ente.scheda("approvato")
    _chiedi(client, ente, scheda)
    richiesta = RichiestaVariazione.objects.get()
    for nome in ("accogli_richiesta", "respingi_richiesta"):
        url = _url(nome, ente.comune.slug, richiesta.pk)
        client.force_login(ente.responsabile_a)
        assert client.post(url, {"risposta": "no"}).status_code == 403
    dettaglio = _url("richiesta_variazione", ente.comune.slug, richiesta.pk)
    for chi in (ente.responsabile_b, ente.oiv, ente.lettore):
        client.force_login(chi)
        assert client.get(dettaglio).status_code == 403
    client.force_login(ente.estraneo)
    assert client.get(dettaglio).status_code == 404
    richiesta.refresh_from_db()
    assert richiesta.stato == R.IN_ATTESA


def test_a_request_on_a_scheda_no_longer_variable_cannot_be_accepted(client, ente):
    scheda = ente.scheda("in_monitoraggio")
    _chiedi(client, ente, scheda)
    richiesta = RichiestaVariazione.objects.get()
    Obiettivo.objects.filter(pk=scheda.pk).update(stato=S.RENDICONTATO)
    client.force_login(ente.segreteria)
    risposta = client.post(_url("accogli_richiesta", ente.comune.slug, richiesta.pk), {})
    assert risposta.status_code == 403
    assert "riaprila prima di accogliere la richiesta" in risposta.content.decode()
    richiesta.refresh_from_db()
    assert richiesta.stato == R.IN_ATTESA
