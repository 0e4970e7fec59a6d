"""The admin for the segreteria: Italian, scoped to its comuni, refusing bad data."""

import json
import re
from decimal import Decimal as D

import pytest
from django.urls import reverse

from indicators.models import Indicatore
from objectives.demo_accounts import gruppo_segreteria
from objectives.models import Obiettivo, RisorsaFinanziaria
from peg.models import Comune, Ruolo

from .factories import ComuneFactory, RuoloFactory, UserFactory
from .html_form import campi

pytestmark = pytest.mark.django_db


@pytest.fixture
def segreteria_chiavari(client, demo):
    chiavari, soresina = demo("chiavari", "soresina")
    user = UserFactory(username="segr-chiavari", is_staff=True)
    user.groups.add(gruppo_segreteria())
    RuoloFactory(utente=user, comune=chiavari, tipo=Ruolo.Tipo.SEGRETERIA)
    client.force_login(user)
    return user


def _in_bozza():
    """Chiavari VI - 1 (2019) back in draft: the admin changes only drafts and proposals."""
    obiettivo = Obiettivo.objects.get(piano__comune__slug="chiavari", codice="VI - 1", anno=2019)
    Obiettivo.objects.filter(pk=obiettivo.pk).update(stato=Obiettivo.Stato.BOZZA)
    obiettivo.refresh_from_db()
    return obiettivo


@pytest.mark.parametrize(
    "model",
    [
        "peg/comune",
        "peg/piano",
        "peg/settore",
        "peg/persona",
        "peg/nododup",
        "peg/ruolo",
        "peg/missione",
        "peg/programma",
        "objectives/obiettivo",
        "objectives/ambitoperformance",
        "indicators/indicatore",
    ],
)
def test_changelists_open(client, segreteria_chiavari, model):
    response = client.get(f"/admin/{model}/")
    assert response.status_code == 200


def test_obiettivo_changelist_is_scoped_and_searchable(client, segreteria_chiavari):
    page = client.get("/admin/objectives/obiettivo/?q=VI+-+1").content.decode()
    assert "PROGETTO &quot;LE STORIE&quot;" in page
    page = client.get("/admin/objectives/obiettivo/").content.decode()
    assert "Garantire il servizio di assistenza domiciliare" not in page  # Soresina N 1
    soresina_n1 = Obiettivo.objects.get(piano__comune__slug="soresina", codice="N 1")
    response = client.get(reverse("admin:objectives_obiettivo_change", args=[soresina_n1.pk]))
    assert response.status_code == 302  # "does not exist" redirect, nothing disclosed


def test_obiettivo_change_page_has_inlines_and_weight_sum(client, segreteria_chiavari):
    obiettivo = Obiettivo.objects.get(piano__comune__slug="chiavari", codice="VI - 1", anno=2019)
    page = client.get(
        reverse("admin:objectives_obiettivo_change", args=[obiettivo.pk])
    ).content.decode()
    for text in ("Indicatori", "Fasi (piano operativo)", "Risorse finanziarie", "100,00% OK"):
        assert text in page, text


def test_admin_refuses_negative_peso_with_italian_message(client, segreteria_chiavari):
    obiettivo = _in_bozza()
    indicatore = obiettivo.indicatori.get(numero=1)
    url = reverse("admin:indicators_indicatore_change", args=[indicatore.pk])
    data = {
        "versione_scheda": obiettivo.versione,
        "obiettivo": obiettivo.pk,
        "numero": 1,
        "peso": "-10",
        "denominazione": indicatore.denominazione,
        "polarita": "decrescente",
        "rilevazioni-TOTAL_FORMS": 0,
        "rilevazioni-INITIAL_FORMS": 0,
        "storico-TOTAL_FORMS": 0,
        "storico-INITIAL_FORMS": 0,
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Peso: non può essere negativo." in response.content.decode()
    indicatore.refresh_from_db()
    assert indicatore.peso == 30


def test_segreteria_cannot_edit_national_classification(client, segreteria_chiavari):
    assert client.get("/admin/peg/missione/add/").status_code == 403


def test_comune_choices_are_limited_to_own_comuni(client, segreteria_chiavari):
    ComuneFactory(nome="Altrove", slug="altrove")
    page = client.get("/admin/peg/piano/add/").content.decode()
    assert "Comune di Chiavari" in page
    assert "Altrove" not in page and "Soresina" not in page


def test_non_staff_user_cannot_enter_admin(client, demo):
    user = UserFactory(username="solo-lettore")
    client.force_login(user)
    assert client.get("/admin/objectives/obiettivo/").status_code == 302


def test_obiettivo_changelist_queries_are_bounded(
    client, segreteria_chiavari, django_assert_max_num_queries
):
    with django_assert_max_num_queries(15):
        response = client.get("/admin/objectives/obiettivo/")
    assert response.status_code == 200
    assert response.content.decode().count("100,00% OK") == 23


@pytest.fixture
def segreteria_due_comuni(client, demo):
    chiavari, soresina = demo("chiavari", "soresina")
    user = UserFactory(username="segr-due", is_staff=True)
    user.groups.add(gruppo_segreteria())
    for comune in (chiavari, soresina):
        RuoloFactory(utente=user, comune=comune, tipo=Ruolo.Tipo.SEGRETERIA)
    client.force_login(user)
    return chiavari, soresina


ANNI_DI_CHIAVARI = ("2019", "2020", "2021")  # Soresina's 2017 is not offered


@pytest.mark.parametrize(
    "url, di_chiavari, filtro_anni",
    [
        (
            "/admin/objectives/obiettivo/",
            ["SERVIZI SOCIALI, ISTRUZIONE, CASA", "VI - 1"],
            [f"?anno={a}" for a in ANNI_DI_CHIAVARI],
        ),
        (
            "/admin/indicators/indicatore/",
            ["VI - 1"],
            [f"?obiettivo__anno={a}" for a in ANNI_DI_CHIAVARI],
        ),
        ("/admin/peg/settore/", ["SERVIZI SOCIALI, ISTRUZIONE, CASA"], []),
    ],
)
def test_list_filters_offer_only_own_comuni(
    client, segreteria_chiavari, url, di_chiavari, filtro_anni
):
    page = client.get(url).content.decode()
    for testo in di_chiavari:
        assert testo in page
    assert "Soresina" not in page and "AREA SOCIO EDUCATIVA" not in page
    assert re.findall(r'href="(\?(?:obiettivo__)?anno=\d+)"', page) == filtro_anni


def test_user_choices_are_limited_to_own_comuni(client, segreteria_chiavari, demo):
    altro = UserFactory(username="utente-di-soresina")
    RuoloFactory(utente=altro, comune=Comune.objects.get(slug="soresina"))
    UserFactory(username="nuovo-senza-ruolo")
    page = client.get("/admin/peg/ruolo/add/").content.decode()
    assert "nuovo-senza-ruolo" in page
    assert "utente-di-soresina" not in page


def test_links_to_another_comune_are_refused(client, segreteria_due_comuni):
    chiavari, soresina = segreteria_due_comuni
    user = UserFactory(username="nuovo-responsabile")
    settore_soresina = soresina.settori.get()
    response = client.post(
        "/admin/peg/ruolo/add/",
        {
            "utente": user.pk,
            "comune": chiavari.pk,
            "tipo": "responsabile",
            "settori": [settore_soresina.pk],
        },
    )
    assert response.status_code == 200
    assert f"«{settore_soresina}» appartiene a un altro comune" in response.content.decode()
    assert not Ruolo.objects.filter(utente=user).exists()


def test_comune_of_existing_objects_cannot_be_changed(client, segreteria_due_comuni):
    chiavari, soresina = segreteria_due_comuni
    settore = chiavari.settori.get()
    page = client.get(reverse("admin:peg_settore_change", args=[settore.pk])).content.decode()
    assert 'name="comune"' not in page
    client.post(
        reverse("admin:peg_settore_change", args=[settore.pk]),
        {
            "comune": soresina.pk,
            "codice": "VI",
            "nome": settore.nome,
            "tipo": "settore",
            "servizi-TOTAL_FORMS": 0,
            "servizi-INITIAL_FORMS": 0,
        },
    )
    settore.refresh_from_db()
    assert settore.comune == chiavari


def test_segreteria_cannot_create_or_delete_comuni(client, segreteria_chiavari):
    assert client.get("/admin/peg/comune/add/").status_code == 403
    chiavari = Comune.objects.get(slug="chiavari")
    assert client.get(reverse("admin:peg_comune_delete", args=[chiavari.pk])).status_code == 403


def test_indicatore_page_shows_the_rule_read_from_the_text(client, segreteria_chiavari):
    obiettivo = Obiettivo.objects.get(piano__comune__slug="chiavari", codice="VI - 1", anno=2019)
    indicatore = obiettivo.indicatori.get(numero=1)
    page = client.get(
        reverse("admin:indicators_indicatore_change", args=[indicatore.pk])
    ).content.decode()
    assert "gg di ritardo +5 =90 % +10gg = 80% +15gg =60%" in page
    assert "da 6 a 10 giorni di ritardo: 80,00%" in page


def test_admin_refuses_an_unreadable_graduazione(client, segreteria_chiavari):
    obiettivo = _in_bozza()
    indicatore = obiettivo.indicatori.get(numero=1)
    response = client.post(
        reverse("admin:indicators_indicatore_change", args=[indicatore.pk]),
        {
            "versione_scheda": obiettivo.versione,
            "obiettivo": obiettivo.pk,
            "numero": 1,
            "peso": "30",
            "denominazione": indicatore.denominazione,
            "polarita": "decrescente",
            "graduazione": "più o meno bene",
            "rilevazioni-TOTAL_FORMS": 0,
            "rilevazioni-INITIAL_FORMS": 0,
            "storico-TOTAL_FORMS": 0,
            "storico-INITIAL_FORMS": 0,
        },
    )
    assert (
        "Graduazione non leggibile: Non riesco a leggere «più o meno bene»"
        in response.content.decode()
    )
    indicatore.refresh_from_db()
    assert indicatore.graduazione.startswith("gg di ritardo")


def test_after_approval_an_admin_change_is_a_variazione_with_motivazione(
    client, segreteria_chiavari
):
    obiettivo = Obiettivo.objects.get(piano__comune__slug="chiavari", codice="VI - 1", anno=2019)
    assert obiettivo.stato == Obiettivo.Stato.APPROVATO
    indicatore = obiettivo.indicatori.get(numero=1)
    url = reverse("admin:indicators_indicatore_change", args=[indicatore.pk])
    page = client.get(url).content.decode()
    assert "Motivazione della variazione" in page
    dati = campi(page, "indicatore_form")
    dati["peso"] = "10"

    # Without a motivazione: the form says so, nothing changes.
    response = client.post(url, dati)
    assert response.status_code == 200
    assert "Questo campo è obbligatorio" in response.content.decode()
    indicatore.refresh_from_db()
    obiettivo.refresh_from_db()
    assert (indicatore.peso, obiettivo.versione, obiettivo.variazioni.count()) == (30, 1, 0)

    # With it: a variazione on the scheda, its versione raised.
    dati["motivazione_variazione"] = "Peso rivisto con la giunta"
    assert client.post(url, dati).status_code == 302
    indicatore.refresh_from_db()
    obiettivo.refresh_from_db()
    assert indicatore.peso == 10
    assert obiettivo.versione == 2
    variazione = obiettivo.variazioni.get()
    assert variazione.motivazione == "Peso rivisto con la giunta"
    assert variazione.utente == segreteria_chiavari
    assert variazione.riepilogo.startswith("indicatore 1. ")
    assert variazione.riepilogo.endswith(": Peso (%) 30,00 → 10,00")
    storia = indicatore.history.latest()
    assert storia.history_change_reason == "Variazione: Peso rivisto con la giunta"
    assert storia.history_user == segreteria_chiavari


@pytest.mark.parametrize("stato", [Obiettivo.Stato.RENDICONTATO, Obiettivo.Stato.VALIDATO])
def test_a_rendicontata_or_validated_scheda_is_read_only_in_the_admin(
    client, segreteria_chiavari, stato
):
    obiettivo = Obiettivo.objects.get(piano__comune__slug="chiavari", codice="VI - 1", anno=2019)
    Obiettivo.objects.filter(pk=obiettivo.pk).update(stato=stato)
    url = reverse("admin:objectives_obiettivo_change", args=[obiettivo.pk])
    page = client.get(url).content.decode()
    assert 'name="_save"' not in page
    assert client.post(url, {"denominazione": "Cambiata"}).status_code == 403
    indicatore = obiettivo.indicatori.get(numero=1)
    url = reverse("admin:indicators_indicatore_change", args=[indicatore.pk])
    assert client.post(url, {"peso": "10", "motivazione_variazione": "x"}).status_code == 403
    indicatore.refresh_from_db()
    obiettivo.refresh_from_db()
    assert indicatore.peso == 30
    assert obiettivo.denominazione != "Cambiata" and obiettivo.versione == 1


def test_an_admin_save_makes_open_page_forms_stale(client, segreteria_chiavari):
    obiettivo = _in_bozza()
    url = reverse("admin:objectives_obiettivo_change", args=[obiettivo.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="_save"' in page.content.decode()
    dati = campi(page.content.decode(), "obiettivo_form")
    dati["denominazione"] = "Rinominata dall'amministrazione"
    response = client.post(url, dati)
    assert response.status_code == 302, response.content.decode()[-3000:]
    obiettivo.refresh_from_db()
    assert obiettivo.denominazione == "Rinominata dall'amministrazione"
    assert obiettivo.versione == 2


def test_a_stale_admin_form_is_refused_with_what_changed(client, segreteria_chiavari):
    obiettivo = _in_bozza()
    url = reverse("admin:objectives_obiettivo_change", args=[obiettivo.pk])
    vecchio = campi(client.get(url).content.decode(), "obiettivo_form")
    nuovo = dict(vecchio, denominazione="Salvata per prima")
    assert client.post(url, nuovo).status_code == 302
    vecchio["denominazione"] = "Salvata per seconda"
    response = client.post(url, vecchio)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Nel frattempo la scheda è cambiata" in html
    assert "Salvata per prima" in html
    # Only what changed after the form was opened, not the scheda's whole history.
    assert html.count("<li>") == 1
    obiettivo.refresh_from_db()
    assert (obiettivo.denominazione, obiettivo.versione) == ("Salvata per prima", 2)


def test_an_admin_form_without_the_versione_is_refused(client, segreteria_chiavari):
    obiettivo = _in_bozza()
    url = reverse("admin:objectives_obiettivo_change", args=[obiettivo.pk])
    dati = campi(client.get(url).content.decode(), "obiettivo_form")
    del dati["versione_scheda"]
    dati["denominazione"] = "Senza versione"
    response = client.post(url, dati, follow=True)
    assert "Modulo incompleto" in response.content.decode()
    obiettivo.refresh_from_db()
    assert obiettivo.denominazione != "Senza versione" and obiettivo.versione == 1


def test_an_admin_save_in_a_popup_is_kept(client, segreteria_chiavari):
    obiettivo = _in_bozza()
    url = reverse("admin:objectives_obiettivo_change", args=[obiettivo.pk])
    dati = campi(client.get(url + "?_popup=1").content.decode(), "obiettivo_form")
    dati["denominazione"] = "Dal popup"
    response = client.post(url + "?_popup=1", dati)
    assert response.status_code == 200  # the popup's closing page
    obiettivo.refresh_from_db()
    assert (obiettivo.denominazione, obiettivo.versione) == ("Dal popup", 2)


# -- Italian values and messages ------------------------------------------------------


@pytest.fixture
def segreteria_ente(client, ente):
    ente.segreteria.is_staff = True
    ente.segreteria.save()
    ente.segreteria.groups.add(gruppo_segreteria())
    client.force_login(ente.segreteria)
    return ente.segreteria


def _input(html: str, nome: str) -> str:
    trovato = re.search(rf'<input[^>]*name="{re.escape(nome)}"[^>]*>', html)
    assert trovato, nome
    return trovato.group(0)


def test_admin_numbers_are_written_and_read_the_italian_way(client, ente, segreteria_ente):
    obiettivo = ente.scheda("bozza", "con_indicatori", "con_risorse", strategicita=D("2.5"))
    RisorsaFinanziaria.objects.filter(obiettivo=obiettivo).update(importo=D("23000.50"))
    url = reverse("admin:objectives_obiettivo_change", args=[obiettivo.pk])
    html = client.get(url).content.decode()
    for nome, valore in [
        ("strategicita", "2,5"),
        ("indicatori-0-peso", "60"),
        ("risorse_finanziarie-0-importo", "23000,5"),
    ]:
        campo = _input(html, nome)
        assert 'type="text"' in campo and 'inputmode="decimal"' in campo, campo
        assert f'value="{valore}"' in campo, campo

    dati = campi(html, "obiettivo_form")
    dati["indicatori-0-peso"] = "12,5"
    dati["risorse_finanziarie-0-importo"] = "1.500,25"
    assert client.post(url, dati).status_code == 302
    indicatore = obiettivo.indicatori.get(numero=1)
    assert indicatore.peso == D("12.5")
    assert RisorsaFinanziaria.objects.get(obiettivo=obiettivo).importo == D("1500.25")


def test_admin_messages_and_values_read_as_italian(client, ente, segreteria_ente):
    obiettivo = ente.scheda("bozza", "con_indicatori", "con_fasi")
    url = reverse("admin:objectives_obiettivo_change", args=[obiettivo.pk])
    html = client.get(url).content.decode()
    assert ">None<" not in html and "None</div>" not in html
    assert "non calcolabile: mancano strategicità, complessità o tipologia" in html

    dati = campi(html, "obiettivo_form")
    dati["denominazione"] = "Rinominata"
    pagina = client.post(url, dati, follow=True).content.decode()
    assert "Modifiche salvate: obiettivo «" in pagina
    assert "Il obiettivo" not in pagina and "con successo" not in pagina

    Obiettivo.objects.filter(pk=obiettivo.pk).update(strategicita=3, complessita=2, tipologia=2)
    html = client.get(url).content.decode()
    assert "10,00" in html  # (3 + 2) × 2
    assert "Aggiungi un altro" not in html

    indicatori = client.get(reverse("admin:indicators_indicatore_changelist")).content.decode()
    assert "60,00%" in indicatori and "31 dicembre 2019" in indicatori
    assert ">10<" in indicatori  # the target, not 10,0000


def test_admin_deletion_message_is_italian(client, ente, segreteria_ente):
    obiettivo = ente.scheda("bozza", "con_indicatori")
    indicatore = obiettivo.indicatori.get(numero=2)
    url = reverse("admin:indicators_indicatore_delete", args=[indicatore.pk])
    pagina = client.post(url, {"post": "yes"}, follow=True).content.decode()
    assert "Eliminazione eseguita: indicatore «" in pagina
    assert not Indicatore.objects.filter(pk=indicatore.pk).exists()


def test_the_admin_wording_is_compiled():
    """locale/it/LC_MESSAGES/django.mo says what django.po says (compile after a change)."""
    from django.conf import settings
    from django.utils import translation

    po = (settings.BASE_DIR / "locale/it/LC_MESSAGES/django.po").read_text()
    voci = re.findall(r'^msgid (".+")\nmsgstr (".+")$', po, re.M)
    assert len(voci) > 20
    with translation.override("it"):
        for msgid, msgstr in voci:
            assert translation.gettext(json.loads(msgid)) == json.loads(msgstr)
