"""Planning in the browser: create and edit a scheda with its rows, variazioni, refusals,
no lost updates, live previews; every form posted as the page renders it."""

import datetime
import re
from decimal import Decimal as D

import pytest
from django.urls import reverse

from indicators.models import Indicatore
from objectives.models import Fase, Obiettivo, RisorsaFinanziaria, Variazione
from objectives.modifiche import modifica
from peg.models import Ruolo

from .factories import (
    ComuneFactory,
    FaseFactory,
    IndicatoreFactory,
    ObiettivoFactory,
    RilevazioneFactory,
    RisorsaFinanziariaFactory,
    RisorsaStrumentaleFactory,
    SettoreFactory,
)
from .fotografia import fotografia
from .html_form import campi
from .utenti import utente

pytestmark = pytest.mark.django_db
S = Obiettivo.Stato
T = Ruolo.Tipo


@pytest.fixture
def scheda():
    obiettivo = ObiettivoFactory(bozza=True, codice="VI - 1")
    IndicatoreFactory(obiettivo=obiettivo, numero=1, peso=D(30), denominazione="Tavolo tecnico")
    IndicatoreFactory(
        obiettivo=obiettivo,
        numero=2,
        peso=D(70),
        denominazione="Incontri con le famiglie",
        graduazione="4 incontri = 100%; 3 incontri = 90%",
        valore_atteso=D(4),
        valore_atteso_testo="4 incontri",
    )
    FaseFactory(obiettivo=obiettivo, numero=1, peso=D(60), descrizione="Analisi")
    FaseFactory(obiettivo=obiettivo, numero=2, peso=D(40), descrizione="Realizzazione")
    return obiettivo


def _responsabile(client, obiettivo):
    user = utente(obiettivo.piano.comune, T.RESPONSABILE, [obiettivo.settore], username="meschi")
    client.force_login(user)
    return user


def _segreteria(client, obiettivo):
    user = utente(obiettivo.piano.comune, T.SEGRETERIA, username="segreteria")
    client.force_login(user)
    return user


def _url(obiettivo, nome="modifica_obiettivo"):
    return reverse(nome, args=[obiettivo.piano.comune.slug, obiettivo.pk])


def _modulo(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return campi(response.content.decode(), "scheda-form")


def _errori(response) -> str:
    """The form errors of a refused page, to read in a failing assertion."""
    import re

    html = response.content.decode()
    return " | ".join(
        re.findall(
            r'class="(?:invalid-feedback|text-danger|alert alert-danger)[^"]*"[^>]*>(.*?)</',
            html,
            re.S,
        )
    )


def _riga(dati, prefix, campo, valore_attuale):
    """The formset row whose ``campo`` holds ``valore_attuale`` (e.g. the denominazione)."""
    for key, value in dati.items():
        if key.startswith(prefix + "-") and key.endswith("-" + campo) and value == valore_attuale:
            return key.removesuffix(campo)
    raise AssertionError(f"nessuna riga {prefix} con {campo}={valore_attuale!r}")


def test_responsabile_changes_a_target_and_the_printed_text_goes(client, scheda):
    _responsabile(client, scheda)
    dati = _modulo(client, _url(scheda))
    riga = _riga(dati, "indicatori", "denominazione", "Incontri con le famiglie")
    assert dati[riga + "valore_atteso"] == "4"  # compact, not 4,0000
    dati[riga + "valore_atteso"] = "5,5"
    dati["denominazione"] = "Progetto «Le storie»"
    response = client.post(_url(scheda), dati)
    assert response.status_code == 302, _errori(response)
    indicatore = scheda.indicatori.get(numero=2)
    assert indicatore.valore_atteso == D("5.5")
    assert indicatore.valore_atteso_testo == ""  # "4 incontri" no longer describes it
    scheda.refresh_from_db()
    assert scheda.denominazione == "Progetto «Le storie»"
    assert scheda.versione == 2
    assert not Variazione.objects.exists()  # a bozza is planned, not varied
    storia = indicatore.history.latest()
    assert storia.history_user.username == "meschi"
    assert storia.history_change_reason == "Pianificazione"


def test_rows_are_reordered_added_and_deleted_together(client, scheda):
    _responsabile(client, scheda)
    dati = _modulo(client, _url(scheda))
    primo = _riga(dati, "indicatori", "denominazione", "Tavolo tecnico")
    dati[primo + "ORDER"] = "3"  # after the second
    analisi = _riga(dati, "fasi", "descrizione", "Analisi")
    dati[analisi + "DELETE"] = "on"
    realizzazione = _riga(dati, "fasi", "descrizione", "Realizzazione")
    dati[realizzazione + "peso"] = "100"
    nuova = f"indicatori-{int(dati['indicatori-TOTAL_FORMS']) - 1}-"
    dati[nuova + "denominazione"] = "Questionari raccolti"
    dati[nuova + "peso"] = "0"
    dati[nuova + "ORDER"] = "1"
    finanziaria = f"finanziarie-{int(dati['finanziarie-TOTAL_FORMS']) - 1}-"
    dati[finanziaria + "capitolo"] = "448900"
    dati[finanziaria + "importo"] = "23.000,00"
    response = client.post(_url(scheda), dati)
    assert response.status_code == 302, _errori(response)
    assert list(scheda.indicatori.values_list("numero", "denominazione")) == [
        (1, "Questionari raccolti"),
        (2, "Incontri con le famiglie"),
        (3, "Tavolo tecnico"),
    ]
    assert list(scheda.fasi.values_list("numero", "descrizione", "peso")) == [
        (1, "Realizzazione", D("100.00"))
    ]
    assert RisorsaFinanziaria.objects.get(obiettivo=scheda).importo == D("23000.00")


def test_an_invalid_row_saves_nothing(client, scheda):
    _responsabile(client, scheda)
    dati = _modulo(client, _url(scheda))
    dati["denominazione"] = "Cambiata"
    riga = _riga(dati, "indicatori", "denominazione", "Tavolo tecnico")
    dati[riga + "peso"] = "130"
    dati[riga + "graduazione"] = "più o meno bene"
    response = client.post(_url(scheda), dati)
    assert response.status_code == 200
    html = response.content.decode()
    assert "La scheda non è stata salvata" in html
    assert "non può superare 100,00%" in html
    assert "Graduazione non leggibile" in html
    scheda.refresh_from_db()
    assert scheda.denominazione == "Obiettivo di prova"
    assert scheda.indicatori.get(numero=1).peso == D(30)


def test_a_stale_form_is_refused_with_what_changed(client, scheda):
    _responsabile(client, scheda)
    vecchio = _modulo(client, _url(scheda))
    nuovo = dict(vecchio)
    riga = _riga(nuovo, "indicatori", "denominazione", "Tavolo tecnico")
    nuovo[riga + "peso"] = "35"
    assert client.post(_url(scheda), nuovo).status_code == 302
    vecchio["denominazione"] = "Sovrascritta"
    response = client.post(_url(scheda), vecchio)
    assert response.status_code == 409
    html = response.content.decode()
    assert "modificata da un altro utente" in html
    assert "indicatore 1: peso (%) 30,00 → 35,00 (Pianificazione)" in html
    scheda.refresh_from_db()
    assert scheda.denominazione == "Obiettivo di prova"


def test_after_approval_a_change_is_a_variazione_with_motivazione(client, scheda):
    Obiettivo.objects.filter(pk=scheda.pk).update(stato=S.APPROVATO)
    _segreteria(client, scheda)
    dati = _modulo(client, _url(scheda))
    riga = _riga(dati, "indicatori", "denominazione", "Incontri con le famiglie")
    dati[riga + "valore_atteso"] = "6"
    response = client.post(_url(scheda), dati)
    assert response.status_code == 200
    assert "Questo campo è obbligatorio" in response.content.decode()
    assert scheda.indicatori.get(numero=2).valore_atteso == D(4)

    dati["motivazione"] = "Delibera di variazione n. 12: più incontri"
    assert client.post(_url(scheda), dati).status_code == 302
    variazione = Variazione.objects.get(obiettivo=scheda)
    assert variazione.stato == S.APPROVATO
    assert "indicatore 2. Incontri con le famiglie" in variazione.riepilogo
    assert "Livello finale atteso (valore target) 4 → 6" in variazione.riepilogo
    pagina = client.get(_url(scheda, "obiettivo")).content.decode()
    assert "Variazioni" in pagina and "Delibera di variazione n. 12" in pagina
    assert (
        scheda.indicatori.get(numero=2).history.latest().history_change_reason
        == "Variazione: Delibera di variazione n. 12: più incontri"
    )


@pytest.mark.parametrize(
    ("stato", "tipo", "atteso"),
    [
        (S.BOZZA, T.OIV, 403),
        (S.BOZZA, T.LETTORE, 404),  # a lettore does not even see drafts
        (S.PROPOSTO, T.RESPONSABILE, 403),  # proposed: only the segreteria changes it
        (S.APPROVATO, T.RESPONSABILE, 403),  # variazioni are the segreteria's
        (S.IN_MONITORAGGIO, T.RESPONSABILE, 403),
        (S.RENDICONTATO, T.SEGRETERIA, 403),
        (S.VALIDATO, T.SEGRETERIA, 403),
    ],
)
def test_who_may_not_change_the_scheda(client, scheda, stato, tipo, atteso):
    Obiettivo.objects.filter(pk=scheda.pk).update(stato=stato)
    settori = [scheda.settore] if tipo == T.RESPONSABILE else []
    client.force_login(utente(scheda.piano.comune, tipo, settori))
    dati = {"denominazione": "Intrusa", "versione": "1"}
    assert client.get(_url(scheda)).status_code == atteso
    assert client.post(_url(scheda), dati).status_code == atteso
    assert client.post(_url(scheda, "anteprima_modifica"), dati).status_code == atteso
    scheda.refresh_from_db()
    assert scheda.denominazione == "Obiettivo di prova"


def test_another_settore_and_another_comune_are_refused(client, scheda):
    altro = SettoreFactory(comune=scheda.piano.comune, nome="Altro settore")
    client.force_login(utente(scheda.piano.comune, T.RESPONSABILE, [altro]))
    assert client.get(_url(scheda)).status_code == 404  # someone else's draft: not visible
    Obiettivo.objects.filter(pk=scheda.pk).update(stato=S.APPROVATO)
    assert client.get(_url(scheda)).status_code == 403
    client.force_login(utente(ComuneFactory(), T.SEGRETERIA))
    assert client.get(_url(scheda)).status_code == 404
    assert client.post(_url(scheda), {"denominazione": "x"}).status_code == 404
    client.logout()
    assert client.get(_url(scheda)).status_code == 302


def test_responsabile_creates_a_scheda_only_in_his_settore(client, scheda):
    _responsabile(client, scheda)
    altro = SettoreFactory(comune=scheda.piano.comune, nome="Altro settore")
    url = reverse("nuovo_obiettivo", args=[scheda.piano.comune.slug, scheda.piano.pk])
    dati = _modulo(client, url)
    html = client.get(url).content.decode()
    scelte = html[
        html.index('name="settore"') : html.index("</select>", html.index('name="settore"'))
    ]
    assert f'value="{scheda.settore.pk}"' in scelte and f'value="{altro.pk}"' not in scelte
    dati.update(
        {
            "codice": "VI - 2",
            "denominazione": "Nuovo servizio di ascolto",
            "anno": "2019",
            "anno_inizio": "2019",
            "anno_fine": "2019",
            "indicatori-0-denominazione": "Sportelli aperti",
            "indicatori-0-peso": "100",
            "indicatori-0-valore_atteso": "3",
            "indicatori-0-graduazione": "3 = 100%; 2 = 60%",
        }
    )
    dati["settore"] = str(altro.pk)
    response = client.post(url, dati)
    assert response.status_code == 200
    assert not Obiettivo.objects.filter(codice="VI - 2").exists()

    dati["settore"] = str(scheda.settore.pk)
    response = client.post(url, dati)
    assert response.status_code == 302, _errori(response)
    nuovo = Obiettivo.objects.get(codice="VI - 2")
    assert nuovo.stato == S.BOZZA and nuovo.settore == scheda.settore
    indicatore = nuovo.indicatori.get()
    assert (indicatore.numero, indicatore.peso, indicatore.regola["tipo"]) == (
        1,
        D(100),
        "soglie",
    )


def test_oiv_and_lettore_cannot_create(client, scheda):
    url = reverse("nuovo_obiettivo", args=[scheda.piano.comune.slug, scheda.piano.pk])
    for tipo in (T.OIV, T.LETTORE):
        client.force_login(utente(scheda.piano.comune, tipo))
        assert client.get(url).status_code == 403
        assert client.post(url, {"codice": "X"}).status_code == 403
    assert not Obiettivo.objects.filter(codice="X").exists()


def test_live_preview_shows_weight_sums_and_graduazione_and_saves_nothing(client, scheda):
    _responsabile(client, scheda)
    dati = _modulo(client, _url(scheda))
    riga = _riga(dati, "indicatori", "denominazione", "Tavolo tecnico")
    dati[riga + "peso"] = "25"
    dati[riga + "graduazione"] = "entro il 30/09 = 100%; con ritardo = 50%"
    altra = _riga(dati, "indicatori", "denominazione", "Incontri con le famiglie")
    dati[altra + "graduazione"] = "boh"
    response = client.post(_url(scheda, "anteprima_modifica"), dati)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="pesi-indicatori"' in html
    assert "Somma dei pesi: 95,00% (mancano 5,00%)" in html
    assert "Somma dei pesi: 100,00% OK" in html  # the fasi
    assert f'id="lettura-{altra.rstrip("-")}"' in html
    assert "Graduazione non leggibile" in html
    dati[riga + "peso"] = "30"
    html = client.post(_url(scheda, "anteprima_modifica"), dati).content.decode()
    assert "Somma dei pesi: 100,00% OK" in html.split('id="pesi-fasi"')[0]
    assert scheda.indicatori.get(numero=1).peso == D(30)
    assert scheda.indicatori.get(numero=1).graduazione != dati[riga + "graduazione"]


def test_edit_page_queries_do_not_grow_with_the_scheda(
    client, scheda, django_assert_max_num_queries
):
    for numero in range(3, 30):
        IndicatoreFactory(obiettivo=scheda, numero=numero, peso=D(0))
        FaseFactory(obiettivo=scheda, numero=numero, peso=D(0))
    _responsabile(client, scheda)
    # The choices of the many-to-many fields are also the scheda's values: one query each.
    with django_assert_max_num_queries(15):
        dati = _modulo(client, _url(scheda))
    # The preview reads only the indicatori and fasi (session, user, roles, scheda, rows).
    with django_assert_max_num_queries(6):
        assert client.post(_url(scheda, "anteprima_modifica"), dati).status_code == 200


def test_scheda_page_offers_the_edit_only_to_who_may(client, scheda):
    user = _responsabile(client, scheda)
    assert _url(scheda) in client.get(_url(scheda, "obiettivo")).content.decode()
    Obiettivo.objects.filter(pk=scheda.pk).update(stato=S.APPROVATO)
    assert _url(scheda) not in client.get(_url(scheda, "obiettivo")).content.decode()
    assert user.username == "meschi"
    _segreteria(client, scheda)
    assert "Registra una variazione" in client.get(_url(scheda, "obiettivo")).content.decode()


def test_indicatore_and_fase_dates_and_rules_round_trip(client, scheda):
    _responsabile(client, scheda)
    dati = _modulo(client, _url(scheda))
    riga = _riga(dati, "indicatori", "denominazione", "Tavolo tecnico")
    assert dati[riga + "data_attesa"] == "2019-09-30"
    dati[riga + "data_attesa"] = "2019-10-31"
    fase = _riga(dati, "fasi", "descrizione", "Analisi")
    dati[fase + "data_fine_prevista"] = "2019-06-30"
    assert client.post(_url(scheda), dati).status_code == 302
    assert Indicatore.objects.get(obiettivo=scheda, numero=1).data_attesa == datetime.date(
        2019, 10, 31
    )
    assert Fase.objects.get(obiettivo=scheda, numero=1).data_fine_prevista == datetime.date(
        2019, 6, 30
    )


def test_a_duplicate_codice_is_a_form_error_not_a_crash(client, scheda):
    ObiettivoFactory(piano=scheda.piano, settore=scheda.settore, codice="VI - 9", anno=2019)
    _responsabile(client, scheda)
    dati = _modulo(client, _url(scheda))
    dati["codice"] = "VI - 9"
    response = client.post(_url(scheda), dati)
    assert response.status_code == 200
    assert "esiste già una scheda con questo codice" in response.content.decode()
    scheda.refresh_from_db()
    assert scheda.codice == "VI - 1"


def test_live_reading_warns_when_the_graduazione_looks_cut_short(client, scheda):
    _responsabile(client, scheda)
    dati = _modulo(client, _url(scheda))
    riga = _riga(dati, "indicatori", "denominazione", "Incontri con le famiglie")
    dati[riga + "graduazione"] = "gg di ritardo +5 = 90%; +10gg ="
    html = client.post(_url(scheda, "anteprima_modifica"), dati).content.decode()
    lettura = html.split(f'id="lettura-{riga.rstrip("-")}"')[1].split("</div>")[0]
    assert "Giorni di ritardo" in lettura
    assert "Attenzione: il testo sembra interrotto" in lettura


def test_a_variazione_names_choices_by_their_label_not_their_code(client, scheda):
    Obiettivo.objects.filter(pk=scheda.pk).update(stato=S.APPROVATO)
    _segreteria(client, scheda)
    dati = _modulo(client, _url(scheda))
    riga = _riga(dati, "indicatori", "denominazione", "Incontri con le famiglie")
    dati[riga + "polarita"] = "decrescente"
    dati["motivazione"] = "Meno è meglio"
    assert client.post(_url(scheda), dati).status_code == 302
    riepilogo = Variazione.objects.get(obiettivo=scheda).riepilogo
    assert "Più alto è meglio → Più basso è meglio" in riepilogo
    assert "crescente" not in riepilogo


def test_a_responsabile_s_new_scheda_has_him_and_his_only_settore_preselected(client, scheda):
    from .factories import PersonaFactory

    user = _responsabile(client, scheda)
    persona = PersonaFactory(comune=scheda.piano.comune, nome="Maura Meschi", utente=user)
    PersonaFactory(comune=scheda.piano.comune, nome="Altra Persona")
    SettoreFactory(comune=scheda.piano.comune, nome="Un altro settore")
    url = reverse("nuovo_obiettivo", args=[scheda.piano.comune.slug, scheda.piano.pk])
    dati = _modulo(client, url)
    assert dati["settore"] == str(scheda.settore.pk)
    assert dati["responsabili"] == str(persona.pk)
    html = client.get(url).content.decode()
    settore = html.split('name="settore"')[1].split("</select>")[0]
    assert f'value="{scheda.settore.pk}" selected' in settore


def test_the_segreteria_s_new_scheda_preselects_nobody(client, scheda):
    from .factories import PersonaFactory

    user = _segreteria(client, scheda)
    PersonaFactory(comune=scheda.piano.comune, nome="Segretaria", utente=user)
    SettoreFactory(comune=scheda.piano.comune, nome="Un altro settore")
    url = reverse("nuovo_obiettivo", args=[scheda.piano.comune.slug, scheda.piano.pk])
    html = client.get(url).content.decode()
    assert "selected" not in html.split('name="responsabili"')[1].split("</select>")[0]


@pytest.fixture
def con_righe(scheda):
    """The scheda with numbers that are not 1, 2, 3, texts on several lines and resources."""
    Indicatore.objects.filter(obiettivo=scheda, numero=2).update(numero=11)
    IndicatoreFactory(obiettivo=scheda, numero=10, peso=D(0), denominazione="Riga\ncon a capo")
    Obiettivo.objects.filter(pk=scheda.pk).update(
        descrizione="Prima riga\nseconda riga", strategicita=D("2.5"), peso=D("12.50")
    )
    Fase.objects.filter(obiettivo=scheda, numero=1).update(avanzamento=D(40))
    RisorsaFinanziariaFactory(obiettivo=scheda, importo=D("23000.00"), descrizione="Fondi\nvari")
    RisorsaStrumentaleFactory(obiettivo=scheda, descrizione="PC")
    return scheda


def _salva_com_e(client, obiettivo, **campi_aggiunti):
    dati = _modulo(client, _url(obiettivo))
    dati.update(campi_aggiunti)
    response = client.post(_url(obiettivo), dati, follow=True)
    assert response.status_code == 200, _errori(response)
    return response.content.decode()


@pytest.mark.parametrize("stato", [S.BOZZA, S.APPROVATO])
def test_an_unchanged_save_changes_nothing_twice(client, con_righe, stato):
    """No renumbering (1, 10, 11 stays), no history rows, no versione, no variazione."""
    Obiettivo.objects.filter(pk=con_righe.pk).update(stato=stato)
    _segreteria(client, con_righe)
    prima = fotografia(con_righe.pk)
    for _ in range(2):
        html = _salva_com_e(client, con_righe)
        assert "nessuna modifica da salvare" in html
        assert fotografia(con_righe.pk) == prima
    assert list(con_righe.indicatori.values_list("numero", flat=True)) == [1, 10, 11]


def test_numbers_are_text_inputs_with_the_numeric_keyboard(client, con_righe):
    _segreteria(client, con_righe)
    html = client.get(_url(con_righe)).content.decode()
    for nome in ("peso", "strategicita", "indicatori-0-peso", "finanziarie-0-importo"):
        campo = re.search(rf'<input[^>]*name="{nome}"[^>]*>', html).group(0)
        assert 'type="text"' in campo and 'inputmode="decimal"' in campo, campo


def test_a_moved_row_still_renumbers(client, con_righe):
    _segreteria(client, con_righe)
    dati = _modulo(client, _url(con_righe))
    riga = _riga(dati, "indicatori", "denominazione", "Tavolo tecnico")
    dati[riga + "ORDER"] = "12"
    assert client.post(_url(con_righe), dati).status_code == 302
    assert list(con_righe.indicatori.values_list("numero", "denominazione")) == [
        (1, "Riga\ncon a capo"),
        (2, "Incontri con le famiglie"),
        (3, "Tavolo tecnico"),
    ]


def test_a_row_of_another_scheda_is_a_form_error_not_a_crash(client, scheda):
    altra = ObiettivoFactory(piano=scheda.piano, settore=scheda.settore, codice="VI - 2")
    estranea = IndicatoreFactory(obiettivo=altra, numero=1, denominazione="Di un'altra scheda")
    _responsabile(client, scheda)
    dati = _modulo(client, _url(scheda))
    riga = _riga(dati, "indicatori", "denominazione", "Tavolo tecnico")
    dati[riga + "id"] = str(estranea.pk)
    dati[riga + "denominazione"] = "Presa"
    response = client.post(_url(scheda), dati)
    assert response.status_code == 200
    assert "non è una riga di questa scheda" in response.content.decode()
    estranea.refresh_from_db()
    assert estranea.denominazione == "Di un'altra scheda"
    assert scheda.indicatori.count() == 2


def test_a_duplicate_row_id_is_a_form_error_not_a_crash(client, scheda):
    _responsabile(client, scheda)
    prima = fotografia(scheda.pk)
    dati = _modulo(client, _url(scheda))
    uno = _riga(dati, "indicatori", "denominazione", "Tavolo tecnico")
    due = _riga(dati, "indicatori", "denominazione", "Incontri con le famiglie")
    dati[due + "id"] = dati[uno + "id"]
    response = client.post(_url(scheda), dati)
    assert response.status_code == 200
    assert "compare due volte" in response.content.decode()
    assert fotografia(scheda.pk) == prima


@pytest.mark.parametrize("cambio", ["eliminata", "aggiunta"])
def test_a_row_deleted_or_added_meanwhile_gives_the_409_page(client, scheda, cambio):
    segreteria = _responsabile(client, scheda)
    dati = _modulo(client, _url(scheda))
    with modifica(scheda, segreteria, versione=scheda.versione):
        if cambio == "eliminata":
            scheda.indicatori.get(numero=1).delete()
        else:
            IndicatoreFactory(obiettivo=scheda, numero=3, denominazione="Aggiunta nel frattempo")
    dopo = fotografia(scheda.pk)
    riga = _riga(dati, "indicatori", "denominazione", "Tavolo tecnico")
    dati[riga + "peso"] = "35"
    response = client.post(_url(scheda), dati)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Nel frattempo la scheda è cambiata" in html
    assert ("indicatore 1 eliminato" if cambio == "eliminata" else "indicatore 3") in html
    assert fotografia(scheda.pk) == dopo


def test_a_row_deleted_without_a_new_versione_is_a_form_error(client, scheda):
    _responsabile(client, scheda)
    dati = _modulo(client, _url(scheda))
    Indicatore.objects.filter(obiettivo=scheda, numero=1).delete()
    response = client.post(_url(scheda), dati)
    assert response.status_code == 200
    assert "non è una riga di questa scheda" in response.content.decode()


def test_deleting_rows_with_recorded_values_is_refused_naming_them(client, scheda):
    """During monitoraggio: an indicatore with rilevazioni, a fase with its avanzamento."""
    Obiettivo.objects.filter(pk=scheda.pk).update(stato=S.IN_MONITORAGGIO)
    indicatore = scheda.indicatori.get(numero=2)
    RilevazioneFactory(
        indicatore=indicatore, tipo="finale", valore=D("3.5"), data=datetime.date(2019, 12, 20)
    )
    Fase.objects.filter(obiettivo=scheda, numero=1).update(avanzamento=D(40))
    _segreteria(client, scheda)
    prima = fotografia(scheda.pk)
    dati = _modulo(client, _url(scheda))
    dati[_riga(dati, "indicatori", "denominazione", "Incontri con le famiglie") + "DELETE"] = "on"
    dati[_riga(dati, "fasi", "descrizione", "Analisi") + "DELETE"] = "on"
    dati["motivazione"] = "Indicatore superato"
    response = client.post(_url(scheda), dati)
    assert response.status_code == 200
    html = response.content.decode()
    assert "non si può eliminare" in html
    assert "rilevazione finale: 3,5 del 20 dicembre 2019" in html
    assert "avanzamento 40,00%" in html
    assert fotografia(scheda.pk) == prima
