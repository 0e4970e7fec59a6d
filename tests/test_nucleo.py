"""The Nucleo as a collegial body: who configures it and records its sedute, the verbale
numbering, closing a verbale, decisions recorded in a seduta and shown with its date."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from objectives.models import Obiettivo
from valutazione import nucleo as servizio
from valutazione.demo import NOME, crea_nucleo_demo
from valutazione.models import Commento, Componente, Nucleo, Seduta, Validazione

from .factories import ComponenteFactory, ComuneFactory, NucleoFactory, SedutaFactory
from .utenti import crea_ente

pytestmark = pytest.mark.django_db

MARZO = datetime.date(2020, 3, 12)


@pytest.fixture
def nucleo(ente):
    return NucleoFactory(comuni=[ente.comune], collegiale=True)


def _url(nome, ente, **kwargs):
    return reverse(nome, kwargs={"comune": ente.comune.slug, **kwargs})


# ---------------------------------------------------------------- access


@pytest.mark.parametrize(
    ("profilo", "codice"),
    [
        ("segreteria", 200),
        ("oiv", 200),
        ("responsabile_a", 403),
        ("lettore", 403),
        ("estraneo", 404),
    ],
)
def test_pagina_del_nucleo_per_ruolo(client, ente, nucleo, profilo, codice):
    client.force_login(ente.profilo(profilo))
    risposta = client.get(_url("nucleo", ente))
    assert risposta.status_code == codice
    if codice == 200:
        assert "Ada Esempio" in risposta.content.decode()


def test_solo_la_segreteria_configura_il_nucleo(client, ente):
    client.force_login(ente.oiv)
    assert client.post(_url("nucleo", ente), {"nome": "Nucleo"}).status_code == 403
    assert client.get(_url("nucleo_componente_nuovo", ente)).status_code == 403
    client.force_login(ente.segreteria)
    risposta = client.post(_url("nucleo", ente), {"nome": "Nucleo associato"})
    assert risposta.status_code == 302
    assert list(Nucleo.objects.filter(comuni=ente.comune).values_list("nome", flat=True)) == [
        "Nucleo associato"
    ]


def test_componente_di_un_altro_comune_non_si_trova(client, ente):
    altro = NucleoFactory(comuni=[ente.altro_comune], collegiale=True)
    membro = altro.componenti.first()
    client.force_login(ente.segreteria)
    url = _url("nucleo_componente", ente, componente_id=membro.pk)
    assert client.get(url).status_code == 404


def test_seduta_di_un_altro_comune_risponde_404(client, ente, nucleo):
    seduta = SedutaFactory(comune=ente.altro_comune)
    client.force_login(ente.oiv)
    assert client.get(_url("seduta", ente, seduta_id=seduta.pk)).status_code == 404
    client.force_login(ente.estraneo)
    assert client.get(_url("seduta", ente, seduta_id=seduta.pk)).status_code == 404


@pytest.mark.parametrize("profilo", ["responsabile_a", "lettore"])
def test_solo_oiv_e_segreteria_registrano_sedute(client, ente, nucleo, profilo):
    client.force_login(ente.profilo(profilo))
    risposta = client.post(_url("seduta_nuova", ente), {"data": "2020-03-12"})
    assert risposta.status_code == 403
    assert not Seduta.objects.exists()


def test_senza_nucleo_la_seduta_si_rifiuta_dicendo_perche(client, ente):
    client.force_login(ente.oiv)
    risposta = client.get(_url("seduta_nuova", ente))
    assert risposta.status_code == 403
    assert "non ha ancora un nucleo" in risposta.context["motivo"]


# ---------------------------------------------------------------- composition


def test_presidente_obbligatorio_con_piu_componenti(client, ente):
    nucleo = NucleoFactory(comuni=[ente.comune])
    ComponenteFactory(nucleo=nucleo, nome="Unico")
    assert servizio.verifica_presidenza(nucleo) is None  # monocratic: no presidente
    client.force_login(ente.segreteria)
    risposta = client.post(
        _url("nucleo_componente_nuovo", ente), {"nome": "Secondo", "esterno": "on"}
    )
    assert risposta.status_code == 400
    assert "indica chi è il presidente" in risposta.content.decode()
    assert nucleo.componenti.count() == 1
    risposta = client.post(
        _url("nucleo_componente_nuovo", ente),
        {"nome": "Secondo", "esterno": "on", "presidente": "on"},
    )
    assert risposta.status_code == 302
    assert nucleo.componenti.get(presidente=True).nome == "Secondo"


def test_fine_incarico_prima_dell_inizio_rifiutata(client, ente, nucleo):
    client.force_login(ente.segreteria)
    risposta = client.post(
        _url("nucleo_componente_nuovo", ente),
        {"nome": "X", "dal": "2020-05-01", "al": "2020-01-01"},
    )
    assert risposta.status_code == 400
    assert "non può precedere" in risposta.content.decode()


# ---------------------------------------------------------------- verbali


def _registra(nucleo, comune, data=MARZO, presenti=(), utente=None):
    return servizio.registra_seduta(
        nucleo,
        comune,
        data=data,
        presenti=presenti,
        ordine_del_giorno="Validazione",
        verbale="",
        utente=utente,
    )


def test_verbali_numerati_per_comune_e_anno(ente, nucleo):
    altro = ComuneFactory()
    nucleo.comuni.add(altro)
    assert [_registra(nucleo, ente.comune).numero for _ in range(3)] == [1, 2, 3]
    assert _registra(nucleo, altro).numero == 1  # another comune starts again
    assert _registra(nucleo, ente.comune, datetime.date(2021, 1, 15)).numero == 1  # a new year
    assert _registra(nucleo, ente.comune).numero == 4


def test_numero_preso_nel_frattempo_si_riprova(ente, nucleo, monkeypatch):
    """Two sedute recorded at once read the same last number: the second is refused by
    the unique constraint and takes the next one."""
    _registra(nucleo, ente.comune)
    reale = servizio.prossimo_numero
    chiamate = []

    def in_ritardo(*args):
        chiamate.append(args)
        return 1 if len(chiamate) == 1 else reale(*args)  # 1: read before the other's commit

    monkeypatch.setattr(servizio, "prossimo_numero", in_ritardo)
    assert _registra(nucleo, ente.comune).numero == 2
    assert len(chiamate) == 2


def test_numero_sempre_occupato_alla_fine_rinuncia(ente, nucleo, monkeypatch):
    _registra(nucleo, ente.comune)
    monkeypatch.setattr(servizio, "prossimo_numero", lambda *args: 1)
    with pytest.raises(IntegrityError):
        _registra(nucleo, ente.comune)


def test_presenti_solo_tra_i_componenti_in_carica(ente, nucleo):
    uscito = ComponenteFactory(nucleo=nucleo, al=datetime.date(2019, 12, 31))
    with pytest.raises(ValidationError, match=uscito.nome):
        _registra(nucleo, ente.comune, presenti=[uscito])


def test_registra_modifica_e_chiude_dalle_pagine(client, ente, nucleo):
    presidente = nucleo.componenti.get(presidente=True)
    client.force_login(ente.oiv)
    risposta = client.post(
        _url("seduta_nuova", ente),
        {"data": "2020-03-12", "presenti": [presidente.pk], "ordine_del_giorno": "1. Validazioni"},
    )
    seduta = Seduta.objects.get()
    assert risposta.status_code == 302 and (seduta.numero, seduta.anno) == (1, 2020)
    assert list(seduta.presenti.all()) == [presidente]
    url = _url("seduta", ente, seduta_id=seduta.pk)
    dati = {"data": "2020-03-12", "verbale": "Il nucleo valida.", "presenti": [presidente.pk]}
    assert client.post(url, dati).status_code == 302
    # Another year would change the verbale's numbering: refused with why.
    risposta = client.post(url, {**dati, "data": "2021-01-10"})
    assert risposta.status_code == 400
    assert "numerato nel 2020" in risposta.content.decode()
    pagina = client.get(url).content.decode()
    assert "data-conferma=" in pagina and "Chiudi il verbale" in pagina
    assert client.post(_url("chiudi_seduta", ente, seduta_id=seduta.pk)).status_code == 302
    seduta.refresh_from_db()
    assert seduta.chiusa and seduta.verbale == "Il nucleo valida."
    # A closed verbale is final.
    assert client.post(url, dati).status_code == 403
    assert client.post(_url("chiudi_seduta", ente, seduta_id=seduta.pk)).status_code == 403
    assert "Verbale chiuso" in client.get(url).content.decode()


def test_un_verbale_vuoto_non_si_chiude(client, ente, nucleo):
    seduta = SedutaFactory(comune=ente.comune, nucleo=nucleo, verbale="")
    client.force_login(ente.segreteria)
    risposta = client.post(_url("chiudi_seduta", ente, seduta_id=seduta.pk))
    assert risposta.status_code == 403
    assert "scrivi il testo del verbale" in risposta.context["motivo"]
    seduta.refresh_from_db()
    assert not seduta.chiusa


# ---------------------------------------------------------------- decisions in a seduta


def test_validazione_nella_seduta_mostrata_con_la_data(client, ente, nucleo):
    scheda = ente.scheda("rendicontato")
    seduta = SedutaFactory(comune=ente.comune, nucleo=nucleo, numero=3)
    client.force_login(ente.oiv)
    url_revisione = _url("revisione", ente, obiettivo_id=scheda.pk)
    pagina = client.get(url_revisione).content.decode()
    assert 'name="seduta"' in pagina and "verbale n. 3/2020" in pagina
    risposta = client.post(
        _url("valida", ente, obiettivo_id=scheda.pk),
        {"versione": scheda.versione, "seduta": seduta.pk},
        follow=True,
    )
    assert "nella seduta del 12 marzo 2020, verbale n. 3/2020" in risposta.content.decode()
    validazione = Validazione.objects.get(obiettivo=scheda)
    assert validazione.seduta == seduta and validazione.quando is not None
    assert Commento.objects.get(obiettivo=scheda, tipo="validazione").seduta == seduta
    pagina = client.get(_url("seduta", ente, seduta_id=seduta.pk)).content.decode()
    assert scheda.codice in pagina.split('id="validazioni-seduta"')[1].split("</ul>")[0]


def test_con_sedute_aperte_la_seduta_e_obbligatoria(client, ente, nucleo):
    scheda = ente.scheda("rendicontato")
    SedutaFactory(comune=ente.comune, nucleo=nucleo)
    client.force_login(ente.oiv)
    risposta = client.post(
        _url("valida", ente, obiettivo_id=scheda.pk), {"versione": scheda.versione}
    )
    assert risposta.status_code == 400
    assert "Indica la seduta del nucleo" in risposta.content.decode()
    assert Obiettivo.objects.get(pk=scheda.pk).stato == "rendicontato"


def test_seduta_chiusa_o_di_altri_comuni_rifiutata(client, ente, nucleo):
    scheda = ente.scheda("rendicontato")
    SedutaFactory(comune=ente.comune, nucleo=nucleo)
    chiusa = SedutaFactory(comune=ente.comune, nucleo=nucleo, chiusa=True)
    altrui = SedutaFactory(comune=ente.altro_comune)
    client.force_login(ente.oiv)
    for seduta in (chiusa, altrui):
        risposta = client.post(
            _url("valida", ente, obiettivo_id=scheda.pk),
            {"versione": scheda.versione, "seduta": seduta.pk},
        )
        assert risposta.status_code == 400
        assert "non è più aperta" in risposta.content.decode()
    assert not Validazione.objects.exists()


def test_senza_sedute_la_validazione_resta_possibile(client, ente):
    scheda = ente.scheda("rendicontato")
    client.force_login(ente.oiv)
    assert (
        'name="seduta"'
        not in client.get(_url("revisione", ente, obiettivo_id=scheda.pk)).content.decode()
    )
    client.post(_url("valida", ente, obiettivo_id=scheda.pk), {"versione": scheda.versione})
    assert Validazione.objects.get(obiettivo=scheda).seduta is None


def test_integrazione_nella_seduta(client, ente, nucleo):
    scheda = ente.scheda("rendicontato")
    seduta = SedutaFactory(comune=ente.comune, nucleo=nucleo)
    client.force_login(ente.oiv)
    client.post(
        _url("integrazione", ente, obiettivo_id=scheda.pk),
        {"versione": scheda.versione, "seduta": seduta.pk, "messaggio": "Manca il verbale."},
    )
    commento = Commento.objects.get(obiettivo=scheda, tipo="integrazione")
    assert commento.seduta == seduta
    pagina = client.get(_url("revisione", ente, obiettivo_id=scheda.pk)).content.decode()
    assert "decisa nella seduta del 12 marzo 2020, verbale n." in pagina
    pagina = client.get(_url("seduta", ente, seduta_id=seduta.pk)).content.decode()
    assert "Manca il verbale." in pagina.split('id="integrazioni-seduta"')[1]


def test_verbale_chiuso_durante_la_decisione(ente, nucleo):
    """The seduta is read again, locked, when the decision is recorded."""
    from valutazione import review

    scheda = ente.scheda("rendicontato")
    seduta = SedutaFactory(comune=ente.comune, nucleo=nucleo)
    Seduta.objects.filter(pk=seduta.pk).update(chiusa=True)
    with pytest.raises(review.TransizioneNonAmmessa, match="è chiuso"):
        review.valida(scheda, ente.oiv, [], seduta=seduta)
    assert not Validazione.objects.exists()


# ---------------------------------------------------------------- demo


def test_nucleo_demo_idempotente():
    a, b = crea_ente("uno"), crea_ente("due")
    slugs = [a.comune.slug, b.comune.slug]
    crea_nucleo_demo(slugs=slugs)
    crea_nucleo_demo(slugs=slugs)
    nucleo = Nucleo.objects.get(nome=NOME)
    assert set(nucleo.comuni.values_list("slug", flat=True)) == set(slugs)
    assert Componente.objects.filter(nucleo=nucleo, esterno=True).count() == 3
    assert servizio.verifica_presidenza(nucleo) is None


def test_dati_malformati_non_danno_500(client, ente, nucleo):
    client.force_login(ente.segreteria)
    altro = crea_ente("fuori")
    for url, dati in (
        (_url("seduta_nuova", ente), {"data": "12/03/20", "presenti": ["x", "999999999999"]}),
        (_url("seduta_nuova", ente), {"data": "2020-02-30"}),
        (_url("nucleo_componente_nuovo", ente), {"nome": "", "utente": altro.segreteria.pk}),
        (_url("nucleo_componente_nuovo", ente), {"nome": "X", "dal": "ieri"}),
        (_url("nucleo", ente), {"nome": ""}),
    ):
        assert client.post(url, dati).status_code == 400, (url, dati)
    assert client.get(_url("seduta", ente, seduta_id=2**40)).status_code == 404
    assert client.get(_url("nucleo_componente", ente, componente_id=2**40)).status_code == 404
    assert not Seduta.objects.exists()


def test_nucleo_condiviso_lo_cambia_solo_chi_e_segreteria_di_tutti(client, ente):
    """Review finding: Borgo's segreteria renamed a member of a Nucleo shared with Altro
    (and could end his mandate, changing who sits in Altro's sedute)."""
    altro = crea_ente("altro", "Altro")
    nucleo = NucleoFactory(comuni=[ente.comune, altro.comune], collegiale=True)
    membro = nucleo.componenti.get(presidente=True)
    nome = membro.nome
    client.force_login(ente.segreteria)
    url = reverse("nucleo_componente", args=[ente.comune.slug, membro.pk])
    risposta = client.post(url, {"nome": "Cambiato da Borgo", "presidente": "on"})
    assert risposta.status_code == 403
    assert "serve anche Altro" in risposta.content.decode()
    membro.refresh_from_db()
    assert membro.nome == nome
    # The page still shows the Nucleo, read only.
    assert client.get(reverse("nucleo", args=[ente.comune.slug])).status_code == 200
