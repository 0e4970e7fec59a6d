"""The responsabile enters the rendicontazione: who may, atomic saves, no lost updates."""

import datetime
import re
from decimal import Decimal as D

import pytest
from django.urls import reverse

from indicators.models import Rilevazione
from objectives.models import Fase, Obiettivo
from objectives.modifiche import esegui
from objectives.workflow import TransizioneNonAmmessa
from peg.models import Ruolo

from .factories import (
    CampagnaFactory,
    ComuneFactory,
    FaseFactory,
    IndicatoreFactory,
    ObiettivoFactory,
    RilevazioneFactory,
    SettoreFactory,
)
from .fotografia import fotografia
from .html_form import campi
from .utenti import utente

pytestmark = pytest.mark.django_db
S = Obiettivo.Stato
T = Ruolo.Tipo
RITARDO = "gg di ritardo +5 =90 % +10gg = 80% +15gg =60%"


@pytest.fixture
def scheda():
    obiettivo = ObiettivoFactory(stato=S.IN_MONITORAGGIO)
    IndicatoreFactory(
        obiettivo=obiettivo,
        numero=1,
        peso=D(30),
        graduazione=RITARDO,
        data_attesa=datetime.date(2019, 9, 30),
    )
    IndicatoreFactory(
        obiettivo=obiettivo,
        numero=2,
        peso=D(70),
        graduazione="4 incontri = 100%; 3 incontri = 90%",
        valore_atteso=D(4),
    )
    FaseFactory(obiettivo=obiettivo, numero=1, peso=D(100))
    return obiettivo


def _url(obiettivo):
    return reverse("rendicontazione", args=[obiettivo.piano.comune.slug, obiettivo.pk])


def _post(obiettivo, **override):
    i1, i2 = obiettivo.indicatori.order_by("numero")
    fase = obiettivo.fasi.get()
    data = {
        "obiettivo-versione": obiettivo.versione,
        "obiettivo-caricato_il": "2019-01-01 00:00:00",
        "obiettivo-stato_attuazione": "Svolto",
        f"ind-{i1.pk}-finale_data": "2019-10-08",
        f"ind-{i2.pk}-finale_valore": "3",
        f"fase-{fase.pk}-avanzamento": "100",
    }
    data.update(override)
    return data


def test_responsabile_enters_values_and_sees_the_score(client, scheda):
    responsabile = utente(scheda.piano.comune, T.RESPONSABILE, [scheda.settore])
    client.force_login(responsabile)
    page = client.get(_url(scheda)).content.decode()
    assert "Mancano ancora (2)" in page
    response = client.post(_url(scheda), _post(scheda), follow=True)
    page = response.content.decode()
    assert "Rendicontazione salvata." in page
    assert "Conseguimento dell'obiettivo: 87,00%" in page  # 80 × 30 + 90 × 70
    finale = Rilevazione.objects.get(
        indicatore__obiettivo=scheda, indicatore__numero=2, tipo="finale"
    )
    assert finale.valore == D(3) and finale.inserita_da == responsabile
    scheda.refresh_from_db()
    assert (scheda.stato_attuazione, scheda.versione) == ("Svolto", 2)
    assert scheda.fasi.get().avanzamento == D(100)


def test_italian_decimal_comma_is_accepted(client, scheda):
    client.force_login(utente(scheda.piano.comune, T.RESPONSABILE, [scheda.settore]))
    i2 = scheda.indicatori.get(numero=2)
    client.post(_url(scheda), _post(scheda, **{f"ind-{i2.pk}-finale_valore": "3,5"}))
    assert Rilevazione.objects.get(indicatore=i2, tipo="finale").valore == D("3.5")


@pytest.mark.parametrize("ruolo", ["altro_settore", "lettore", "oiv"])
def test_others_are_refused(client, scheda, ruolo):
    if ruolo == "altro_settore":
        user = utente(
            scheda.piano.comune, T.RESPONSABILE, [SettoreFactory(comune=scheda.piano.comune)]
        )
    else:
        user = utente(scheda.piano.comune, ruolo)
    client.force_login(user)
    assert client.get(_url(scheda)).status_code == 403
    assert client.post(_url(scheda), _post(scheda)).status_code == 403
    assert not Rilevazione.objects.filter(indicatore__obiettivo=scheda).exists()


def test_another_comune_does_not_even_see_it(client, scheda):
    client.force_login(utente(ComuneFactory(), T.SEGRETERIA))
    assert client.get(_url(scheda)).status_code == 404


@pytest.mark.parametrize("stato", [S.BOZZA, S.APPROVATO, S.RENDICONTATO, S.VALIDATO])
def test_no_rendicontazione_outside_monitoring(client, scheda, stato):
    Obiettivo.objects.filter(pk=scheda.pk).update(stato=stato)
    client.force_login(utente(scheda.piano.comune, T.RESPONSABILE, [scheda.settore]))
    assert client.post(_url(scheda), _post(scheda)).status_code == 403
    assert not Rilevazione.objects.filter(indicatore__obiettivo=scheda).exists()


def test_invalid_value_saves_nothing(client, scheda):
    client.force_login(utente(scheda.piano.comune, T.RESPONSABILE, [scheda.settore]))
    fase = scheda.fasi.get()
    response = client.post(_url(scheda), _post(scheda, **{f"fase-{fase.pk}-avanzamento": "120"}))
    page = response.content.decode()
    assert "Avanzamento: non può superare 100,00%." in page
    assert not Rilevazione.objects.filter(indicatore__obiettivo=scheda).exists()
    scheda.refresh_from_db()
    assert scheda.stato_attuazione == "" and scheda.versione == 1


def test_concurrent_edit_is_refused_with_what_changed(client, scheda):
    responsabile = utente(scheda.piano.comune, T.RESPONSABILE, [scheda.settore])
    segreteria = utente(scheda.piano.comune, T.SEGRETERIA)
    stale = _post(scheda)  # both open the page at version 1
    client.force_login(segreteria)
    client.post(
        _url(scheda), _post(scheda, **{"obiettivo-stato_attuazione": "Versione della segreteria"})
    )
    client.force_login(responsabile)
    response = client.post(_url(scheda), stale)
    assert response.status_code == 409
    page = response.content.decode()
    assert "modificata da un altro utente" in page
    assert "stato di attuazione" in page and "Versione della segreteria" in page
    scheda.refresh_from_db()
    assert scheda.stato_attuazione == "Versione della segreteria"


def test_rendiconta_is_refused_while_values_are_missing(client, scheda):
    responsabile = utente(scheda.piano.comune, T.RESPONSABILE, [scheda.settore])
    with pytest.raises(TransizioneNonAmmessa, match="mancano: .*indicatore 1"):
        esegui(scheda, responsabile, "rendiconta")
    client.force_login(responsabile)
    client.post(_url(scheda), _post(scheda))
    esegui(scheda, responsabile, "rendiconta")
    scheda.refresh_from_db()
    assert scheda.stato == S.RENDICONTATO
    assert (
        client.post(_url(scheda), _post(scheda)).status_code == 403
    )  # locked for the responsabile


def test_scheda_offers_the_rendicontazione_only_to_who_may(client, scheda):
    url = reverse("obiettivo", args=[scheda.piano.comune.slug, scheda.pk])
    client.force_login(utente(scheda.piano.comune, T.RESPONSABILE, [scheda.settore]))
    assert "Inserisci la rendicontazione" in client.get(url).content.decode()
    client.force_login(utente(scheda.piano.comune, T.OIV))
    assert "Inserisci la rendicontazione" not in client.get(url).content.decode()


def test_rendicontazione_page_queries_are_bounded(client, scheda, django_assert_max_num_queries):
    for numero in range(3, 30):
        IndicatoreFactory(obiettivo=scheda, numero=numero, peso=D(0))
        FaseFactory(obiettivo=scheda, numero=numero, peso=D(0))
    client.force_login(utente(scheda.piano.comune, T.RESPONSABILE, [scheda.settore]))
    # The scheda is read once (with the user's roles on it), its indicatori with their
    # rilevazioni in one query, its fasi in one; one query says it has no allegati, its
    # piano no campagne and its last move is not the OIV's request: none of them is read.
    # The comune comes with the roles.
    with django_assert_max_num_queries(7):
        assert client.get(_url(scheda)).status_code == 200


@pytest.fixture
def soresina_n1(demo):
    """Soresina N 1 (2017) in monitoraggio: indicatore 1 has a target (n. 50 utenti),
    indicatori 2 and 3 none, as the document prints them."""
    soresina = demo("soresina")
    obiettivo = Obiettivo.objects.get(piano__comune=soresina, codice="N 1", anno=2017)
    Obiettivo.objects.filter(pk=obiettivo.pk).update(stato=S.IN_MONITORAGGIO)
    obiettivo.refresh_from_db()
    return obiettivo


def _valori_soresina(obiettivo, **valori):
    dati = {
        "obiettivo-versione": obiettivo.versione,
        "obiettivo-caricato_il": "2017-01-01 00:00:00",
        "obiettivo-stato_attuazione": "Servizio garantito",
    }
    for indicatore in obiettivo.indicatori.all():
        valore = valori.get(f"i{indicatore.numero}")
        if valore is not None:
            dati[f"ind-{indicatore.pk}-finale_valore"] = valore
    return dati


def test_indicatore_without_target_does_not_block_the_rendicontazione(client, soresina_n1):
    responsabile = utente(soresina_n1.piano.comune, T.RESPONSABILE, [soresina_n1.settore])
    client.force_login(responsabile)
    page = client.get(_url(soresina_n1)).content.decode()
    # What is missing, exactly: the values, and for 2 and 3 that the target is not there.
    assert "N 1 (2017) › indicatore 2: manca il valore raggiunto (manca anche il valore" in page
    assert "indicatore 1: manca il valore raggiunto</li>" in page
    client.post(_url(soresina_n1), _valori_soresina(soresina_n1, i1="48", i3="1"))
    with pytest.raises(TransizioneNonAmmessa) as exc:
        esegui(soresina_n1, responsabile, "rendiconta")
    assert str(exc.value) == (
        "Prima di inviare mancano: N 1 (2017) › indicatore 2: manca il valore raggiunto "
        "(manca anche il valore atteso: l'indicatore sarà «non misurabile»)."
    )
    soresina_n1.refresh_from_db()
    client.post(_url(soresina_n1), _valori_soresina(soresina_n1, i1="48", i2="1", i3="1"))
    page = client.get(_url(soresina_n1)).content.decode()
    assert "Tutti i valori finali sono inseriti." in page
    assert "Non misurabili (2)" in page and "manca il valore atteso" in page
    assert "si aggiunge solo con una variazione" in page
    # Sent: 2 and 3 as non misurabili with their values, the score from indicatore 1 alone.
    esegui(soresina_n1, responsabile, "rendiconta")
    soresina_n1.refresh_from_db()
    assert soresina_n1.stato == S.RENDICONTATO
    scheda = client.get(
        reverse("obiettivo", args=[soresina_n1.piano.comune.slug, soresina_n1.pk])
    ).content.decode()
    assert 'Conseguimento dell\'obiettivo: <span class="peso-ok">96,00%</span>' in scheda
    assert scheda.count("non misurabile") >= 2


def test_every_indicatore_needs_its_value_even_when_fasi_measure_the_obiettivo(client, scheda):
    scheda.piano.base_obiettivo = "fasi"
    scheda.piano.save()
    responsabile = utente(scheda.piano.comune, T.RESPONSABILE, [scheda.settore])
    client.force_login(responsabile)
    i1 = scheda.indicatori.get(numero=1)
    client.post(_url(scheda), _post(scheda, **{f"ind-{i1.pk}-finale_data": ""}))
    with pytest.raises(TransizioneNonAmmessa, match=r"indicatore 1: mancano la data"):
        esegui(scheda, responsabile, "rendiconta")


def test_the_oiv_request_for_integration_is_shown_with_its_text(client, ente):
    from .factories import MOTIVAZIONE_INTEGRAZIONE

    obiettivo = ente.scheda("integrazione_richiesta")
    client.force_login(ente.responsabile_a)
    for url in (
        reverse("obiettivo", args=[ente.comune.slug, obiettivo.pk]),
        _url(obiettivo),
    ):
        page = client.get(url).content.decode()
        assert "L'OIV chiede un'integrazione" in page, url
        assert MOTIVAZIONE_INTEGRAZIONE.replace("'", "&#x27;") in page, url
    esegui(obiettivo, ente.responsabile_a, "rendiconta")  # sent again: the request is answered
    page = client.get(reverse("obiettivo", args=[ente.comune.slug, obiettivo.pk])).content.decode()
    assert "L'OIV chiede un'integrazione" not in page


def _modulo(client, obiettivo):
    response = client.get(_url(obiettivo))
    assert response.status_code == 200
    return response.content.decode(), campi(response.content.decode(), "rendicontazione-form")


@pytest.fixture
def rendicontata(scheda):
    """The scheda with values entered: the fase at 50,5%, both rilevazioni of indicatore 2."""
    i2 = scheda.indicatori.get(numero=2)
    RilevazioneFactory(indicatore=i2, tipo="intermedia", valore=D("2.5"), note="Prima\nseconda")
    RilevazioneFactory(
        indicatore=i2, tipo="finale", valore=D(3), data=datetime.date(2019, 12, 20), note=""
    )
    Fase.objects.filter(obiettivo=scheda).update(
        avanzamento=D("50.50"),
        data_inizio_effettiva=datetime.date(2019, 2, 1),
        monitoraggio="Riga uno\nriga due",
    )
    Obiettivo.objects.filter(pk=scheda.pk).update(stato_attuazione="Fatto.\nTutto bene.")
    return scheda


def test_numbers_are_text_inputs_read_the_italian_way(client, rendicontata):
    client.force_login(utente(rendicontata.piano.comune, T.RESPONSABILE, [rendicontata.settore]))
    html, dati = _modulo(client, rendicontata)
    fase = rendicontata.fasi.get()
    campo = re.search(rf'<input[^>]*name="fase-{fase.pk}-avanzamento"[^>]*>', html).group(0)
    assert 'type="text"' in campo and 'inputmode="decimal"' in campo
    assert dati[f"fase-{fase.pk}-avanzamento"] == "50,50"
    assert 'type="number"' not in html


def test_an_unchanged_save_changes_nothing_twice(client, rendicontata):
    """The browser posts what the page shows: nothing may be lost or rewritten."""
    client.force_login(utente(rendicontata.piano.comune, T.RESPONSABILE, [rendicontata.settore]))
    prima = fotografia(rendicontata.pk)
    for _ in range(2):
        _, dati = _modulo(client, rendicontata)
        response = client.post(_url(rendicontata), dati, follow=True)
        assert "Nessuna modifica da salvare." in response.content.decode()
        assert fotografia(rendicontata.pk) == prima
    assert rendicontata.fasi.get().avanzamento == D("50.50")


def test_a_changed_value_saves_only_what_changed(client, rendicontata):
    client.force_login(utente(rendicontata.piano.comune, T.RESPONSABILE, [rendicontata.settore]))
    _, dati = _modulo(client, rendicontata)
    fase = rendicontata.fasi.get()
    dati[f"fase-{fase.pk}-avanzamento"] = "75,25"
    storico_rilevazioni = Rilevazione.history.filter(indicatore__obiettivo=rendicontata).count()
    storico_scheda = Obiettivo.history.filter(id=rendicontata.pk).count()
    assert client.post(_url(rendicontata), dati).status_code == 302
    assert rendicontata.fasi.get().avanzamento == D("75.25")
    rendicontata.refresh_from_db()
    assert rendicontata.versione == 2
    assert rendicontata.stato_attuazione == "Fatto.\nTutto bene."  # not rewritten with CRLF
    assert (
        Rilevazione.history.filter(indicatore__obiettivo=rendicontata).count()
        == storico_rilevazioni
    )
    # The obiettivo's own fields were not changed: no history row for it.
    assert Obiettivo.history.filter(id=rendicontata.pk).count() == storico_scheda


def test_rendicontazione_with_campagne_reads_them_once(client, demo, django_assert_max_num_queries):
    """Seregno's closed campagne make the final values read-only and show a notice: both
    from one reading of the campagne (the richest demo scheda, ≤ 9 queries: the OIV's
    request read only if it is the last move)."""
    demo("seregno")
    obiettivo = Obiettivo.objects.get(piano__comune__slug="seregno", codice="Ob_Obiet051101")
    CampagnaFactory(piano=obiettivo.piano, anno=obiettivo.anno, finale=True, chiusa=True)
    Obiettivo.objects.filter(pk=obiettivo.pk).update(stato=S.IN_MONITORAGGIO)
    client.force_login(utente(obiettivo.piano.comune, T.RESPONSABILE, [obiettivo.settore]))
    with django_assert_max_num_queries(9):
        html = client.get(_url(obiettivo)).content.decode()
    assert 'id="campagna-finale"' in html and "readonly" in html


def test_a_changed_date_is_checked_against_the_stored_one(client, scheda):
    """Only the end of a fase changed, before its stored start: the model's constraint is
    still checked (unchanged forms skip it, a changed one does not) and nothing is saved."""
    fase = scheda.fasi.get()
    Fase.objects.filter(pk=fase.pk).update(data_inizio_effettiva=datetime.date(2019, 5, 1))
    client.force_login(utente(scheda.piano.comune, T.RESPONSABILE, [scheda.settore]))
    dati = campi(client.get(_url(scheda)).content.decode(), "rendicontazione-form")
    dati[f"fase-{fase.pk}-data_fine_effettiva"] = "2019-04-30"
    html = client.post(_url(scheda), dati).content.decode()
    assert "Date effettive: la data di fine non può precedere la data di inizio." in html
    fase.refresh_from_db()
    assert fase.data_fine_effettiva is None
    assert Obiettivo.objects.get(pk=scheda.pk).versione == scheda.versione


def test_a_save_queries_do_not_grow_with_the_scheda(client, scheda, django_assert_max_num_queries):
    """One value changed on a scheda of 29 indicatori and 29 fasi: the unchanged forms
    cost no query (no constraint checks), the changed rilevazione three (its update, its
    history row, no re-checks of what it keeps), the scheda's lock and versione two."""
    for numero in range(3, 30):
        IndicatoreFactory(obiettivo=scheda, numero=numero, peso=D(0))
        FaseFactory(obiettivo=scheda, numero=numero, peso=D(0), avanzamento=D(50))
    RilevazioneFactory(indicatore=scheda.indicatori.get(numero=2), tipo="finale", valore=D(1))
    client.force_login(utente(scheda.piano.comune, T.RESPONSABILE, [scheda.settore]))
    dati = campi(client.get(_url(scheda)).content.decode(), "rendicontazione-form")
    i2 = scheda.indicatori.get(numero=2)
    dati[f"ind-{i2.pk}-finale_valore"] = "3"
    with django_assert_max_num_queries(13):
        assert client.post(_url(scheda), dati).status_code == 302
    assert Rilevazione.objects.get(indicatore=i2, tipo="finale").valore == D(3)
    assert Rilevazione.history.filter(indicatore_id=i2.pk).count() == 2


def test_the_fields_a_page_shares_do_not_reach_another_page(scheda):
    """The fasi of a page share their fields; a page rendered with crispy-forms (which
    writes its classes into the widget, «is-invalid» for a field with errors) leaves the
    next page's fields as they were."""
    from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

    from objectives.campi_html import campo
    from objectives.rendicontazione import carica, moduli

    fase = scheda.fasi.get()
    nome = f"fase-{fase.pk}-avanzamento"
    prima = moduli(carica(scheda), {**_post(scheda), nome: "non un numero"})
    assert not prima.fasi[0].is_valid()
    as_crispy_field(prima.fasi[0]["avanzamento"])
    dopo = moduli(carica(Obiettivo.objects.get(pk=scheda.pk)))
    assert "is-invalid" not in campo(dopo.fasi[0]["avanzamento"])
