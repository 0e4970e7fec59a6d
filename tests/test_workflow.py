"""Workflow of a scheda: every role against every transition, the audit trail, visibility."""

import datetime

import pytest
from django.urls import reverse

from objectives.models import CambioStato, Obiettivo
from objectives.modifiche import approva_piano, esegui
from objectives.workflow import (
    TRANSIZIONI,
    TransizioneNonAmmessa,
    puo_modificare,
    transizioni_possibili,
)

from .factories import FaseFactory, IndicatoreFactory

pytestmark = pytest.mark.django_db
S = Obiettivo.Stato


@pytest.fixture
def mondo(ente):
    """A draft of settore A and a user for each role (tests.utenti), plus a responsabile of
    another settore and a segreteria of another comune."""
    utenti = {
        "segreteria": ente.segreteria,
        "oiv": ente.oiv,
        "lettore": ente.lettore,
        "responsabile": ente.responsabile_a,
        "altro_settore": ente.responsabile_b,
        "altro_comune": ente.estraneo,
    }
    return ente.scheda("bozza"), utenti


# (stato di partenza, azione) -> ruoli che possono eseguirla
PERMESSI = {
    (S.BOZZA, "proponi"): {"responsabile", "segreteria"},
    (S.PROPOSTO, "restituisci"): {"segreteria"},
    (S.PROPOSTO, "approva"): {"segreteria"},
    (S.APPROVATO, "avvia_monitoraggio"): {"segreteria"},
    (S.IN_MONITORAGGIO, "rendiconta"): {"responsabile"},
    (S.RENDICONTATO, "valida"): {"oiv"},
    (S.RENDICONTATO, "richiedi_integrazione"): {"oiv"},
    (S.RENDICONTATO, "riapri_monitoraggio"): {"segreteria"},
    (S.VALIDATO, "riapri_monitoraggio"): {"segreteria"},
    (S.APPROVATO, "riapri_bozza"): {"segreteria"},
}
RUOLI = ("segreteria", "responsabile", "altro_settore", "oiv", "lettore", "altro_comune")
DATI = {
    "motivazione": "Errore nel target",
    "delibera_numero": "12",
    "delibera_data": datetime.date(2019, 2, 5),
}


@pytest.mark.parametrize("stato, azione", list(PERMESSI))
@pytest.mark.parametrize("ruolo", RUOLI)
def test_transition_matrix(mondo, stato, azione, ruolo):
    obiettivo, utenti = mondo
    Obiettivo.objects.filter(pk=obiettivo.pk).update(stato=stato)
    obiettivo.refresh_from_db()
    if ruolo in PERMESSI[(stato, azione)]:
        cambio = esegui(obiettivo, utenti[ruolo], azione, **DATI)
        assert cambio.a == TRANSIZIONI[azione].a
        obiettivo.refresh_from_db()
        assert obiettivo.stato == TRANSIZIONI[azione].a
    else:
        with pytest.raises(TransizioneNonAmmessa):
            esegui(obiettivo, utenti[ruolo], azione, **DATI)
        obiettivo.refresh_from_db()
        assert obiettivo.stato == stato


@pytest.mark.parametrize(
    "stato, azione",
    [(stato, nome) for nome, t in sorted(TRANSIZIONI.items()) for stato in S if stato not in t.da],
)
def test_no_transition_from_a_wrong_state(mondo, stato, azione):
    obiettivo, utenti = mondo
    Obiettivo.objects.filter(pk=obiettivo.pk).update(stato=stato)
    obiettivo.refresh_from_db()
    # The state is checked before the role: the segreteria hears why for every action.
    with pytest.raises(TransizioneNonAmmessa, match="non è possibile"):
        esegui(obiettivo, utenti["segreteria"], azione, **DATI)
    obiettivo.refresh_from_db()
    assert obiettivo.stato == stato
    assert not CambioStato.objects.exists()


def test_approval_needs_delibera_and_reopen_needs_motivazione(mondo):
    obiettivo, utenti = mondo
    esegui(obiettivo, utenti["responsabile"], "proponi")
    with pytest.raises(TransizioneNonAmmessa, match="numero e data della delibera"):
        esegui(obiettivo, utenti["segreteria"], "approva")
    esegui(
        obiettivo,
        utenti["segreteria"],
        "approva",
        delibera_numero="17",
        delibera_data=datetime.date(2019, 2, 5),
    )
    with pytest.raises(TransizioneNonAmmessa, match="richiede una motivazione"):
        esegui(obiettivo, utenti["segreteria"], "riapri_bozza", motivazione="  ")
    obiettivo.refresh_from_db()
    assert (obiettivo.stato, obiettivo.delibera_numero) == (S.APPROVATO, "17")
    assert list(CambioStato.objects.filter(obiettivo=obiettivo).values_list("da", "a")) == [
        (S.BOZZA, S.PROPOSTO),
        (S.PROPOSTO, S.APPROVATO),
    ]


# (stato, ambito) -> ruoli che possono modificare
MODIFICHE = {
    (S.BOZZA, "pianificazione"): {"responsabile", "segreteria"},
    (S.PROPOSTO, "pianificazione"): {"segreteria"},
    (S.APPROVATO, "pianificazione"): set(),
    (S.APPROVATO, "variazione"): {"segreteria"},
    (S.IN_MONITORAGGIO, "rendicontazione"): {"responsabile", "segreteria"},
    (S.RENDICONTATO, "rendicontazione"): set(),
    (S.VALIDATO, "variazione"): set(),
}


@pytest.mark.parametrize("stato, ambito", list(MODIFICHE))
def test_what_may_change_in_each_state(mondo, stato, ambito):
    obiettivo, utenti = mondo
    obiettivo.stato = stato
    permessi = {ruolo for ruolo in RUOLI if puo_modificare(utenti[ruolo], obiettivo, ambito)}
    assert permessi == MODIFICHE[(stato, ambito)]


def test_drafts_are_hidden_from_other_settori_and_lettori(client, mondo):
    obiettivo, utenti = mondo
    url = reverse("obiettivo", args=[obiettivo.piano.comune.slug, obiettivo.pk])
    for ruolo, status in (
        ("responsabile", 200),
        ("segreteria", 200),
        ("oiv", 200),
        ("altro_settore", 404),
        ("lettore", 404),
        ("altro_comune", 404),
    ):
        client.force_login(utenti[ruolo])
        assert client.get(url).status_code == status, ruolo
    Obiettivo.objects.filter(pk=obiettivo.pk).update(stato=S.APPROVATO)
    for ruolo in ("altro_settore", "lettore"):
        client.force_login(utenti[ruolo])
        assert client.get(url).status_code == 200, ruolo


def test_state_change_through_the_page(client, mondo):
    obiettivo, utenti = mondo
    url = reverse("cambia_stato", args=[obiettivo.piano.comune.slug, obiettivo.pk])
    client.force_login(utenti["altro_settore"])
    assert client.post(url, {"azione": "proponi"}).status_code == 404  # cannot even see the draft
    client.force_login(utenti["oiv"])
    assert client.post(url, {"azione": "proponi"}).status_code == 403
    client.force_login(utenti["responsabile"])
    page = client.get(
        reverse("obiettivo", args=[obiettivo.piano.comune.slug, obiettivo.pk])
    ).content.decode()
    assert 'value="proponi"' in page and 'value="approva"' not in page
    response = client.post(url, {"azione": "proponi"}, follow=True)
    assert "ora «Proposto»" in response.content.decode()
    client.force_login(utenti["segreteria"])
    response = client.post(
        url, {"azione": "approva", "delibera_numero": "", "delibera_data": ""}, follow=True
    )
    assert "L&#x27;approvazione richiede numero e data della delibera." in response.content.decode()
    client.post(url, {"azione": "approva", "delibera_numero": "17", "delibera_data": "2019-02-05"})
    obiettivo.refresh_from_db()
    assert obiettivo.stato == S.APPROVATO
    assert client.get(url).status_code == 405


def test_every_change_is_in_the_history_with_who_and_old_new(client, mondo):
    obiettivo, utenti = mondo
    indicatore = IndicatoreFactory(
        obiettivo=obiettivo, numero=1, peso=100, denominazione="Incontri"
    )
    client.force_login(utenti["segreteria"])
    # A change made through a request carries its user (HistoryRequestMiddleware).
    indicatore.denominazione = "Incontri con le famiglie"
    indicatore._history_user = utenti["segreteria"]
    indicatore.save()
    esegui(obiettivo, utenti["responsabile"], "proponi")
    page = client.get(
        reverse("obiettivo", args=[obiettivo.piano.comune.slug, obiettivo.pk])
    ).content.decode()
    assert "denominazione: Incontri → Incontri con le famiglie" in page
    assert "Bozza → <strong>Proposto</strong>" in page
    assert 'indicatore 1 <span class="text-muted">(creato)</span>' in page


def test_possible_transitions_follow_role_and_state(mondo):
    obiettivo, utenti = mondo
    assert [t.nome for t in transizioni_possibili(utenti["responsabile"], obiettivo)] == ["proponi"]
    assert transizioni_possibili(utenti["lettore"], obiettivo) == []
    assert transizioni_possibili(utenti["altro_settore"], obiettivo) == []


def _pesi(obiettivo, indicatori=(), fasi=()):
    for numero, peso in enumerate(indicatori, start=1):
        IndicatoreFactory(obiettivo=obiettivo, numero=numero, peso=peso)
    for numero, peso in enumerate(fasi, start=1):
        FaseFactory(obiettivo=obiettivo, numero=numero, peso=peso)


@pytest.mark.parametrize(
    "indicatori, fasi, messaggio",
    [
        (("50", "40"), (), "I pesi degli indicatori sommano 90,00%: mancano 10,00%."),
        (("60", "60"), (), "I pesi degli indicatori sommano 120,00%: eccedono di 20,00%."),
        (
            ("60", None),
            (),
            "I pesi degli indicatori sommano 60,00%: mancano 40,00%; 1 indicatore è senza peso.",
        ),
        ((), ("30", "30"), "I pesi delle fasi sommano 60,00%: mancano 40,00%."),
    ],
)
def test_weights_not_totalling_100_block_the_proposal(mondo, indicatori, fasi, messaggio):
    obiettivo, utenti = mondo
    _pesi(obiettivo, indicatori, fasi)
    with pytest.raises(TransizioneNonAmmessa) as exc:
        esegui(obiettivo, utenti["responsabile"], "proponi")
    assert str(exc.value).startswith(f"«Proponi» non è possibile per {obiettivo.codice} (2019).")
    assert messaggio in str(exc.value)
    obiettivo.refresh_from_db()
    assert obiettivo.stato == S.BOZZA and not CambioStato.objects.exists()


def test_no_weights_at_all_or_a_piano_that_rescales_do_not_block(mondo):
    obiettivo, utenti = mondo
    _pesi(obiettivo, (None, None, None), (None,))  # Soresina, Seregno, Cinisello
    esegui(obiettivo, utenti["responsabile"], "proponi")
    altra = obiettivo.piano.obiettivi.create(
        codice="ALTRA",
        anno=2019,
        anno_inizio=2019,
        anno_fine=2019,
        settore=obiettivo.settore,
        denominazione="Pesi da riproporzionare",
        stato=S.BOZZA,
    )
    _pesi(altra, ("50", "40"))
    obiettivo.piano.riproporziona_pesi = True
    obiettivo.piano.save()
    altra.refresh_from_db()
    esegui(altra, utenti["responsabile"], "proponi")
    assert set(obiettivo.piano.obiettivi.values_list("stato", flat=True)) == {S.PROPOSTO}


def test_weights_block_the_approval_of_the_scheda_and_of_the_piano(client, mondo):
    obiettivo, utenti = mondo
    _pesi(obiettivo, ("100",))
    esegui(obiettivo, utenti["responsabile"], "proponi")
    IndicatoreFactory(obiettivo=obiettivo, numero=2, peso="10")  # the segreteria adds one
    with pytest.raises(TransizioneNonAmmessa, match="eccedono di 10,00%"):
        esegui(obiettivo, utenti["segreteria"], "approva", **DATI)
    piano = obiettivo.piano
    piano.stato, piano.delibera_numero, piano.delibera_data = piano.Stato.BOZZA, "", None
    piano.save()  # a piano not yet approved as a whole
    with pytest.raises(
        TransizioneNonAmmessa, match=f"«Approva» non è possibile per {obiettivo.codice}"
    ):
        approva_piano(obiettivo.piano, utenti["segreteria"], "12", datetime.date(2019, 2, 5))
    obiettivo.refresh_from_db()
    assert obiettivo.stato == S.PROPOSTO
    client.force_login(utenti["segreteria"])
    response = client.post(
        reverse("cambia_stato", args=[obiettivo.piano.comune.slug, obiettivo.pk]),
        {"azione": "approva", "delibera_numero": "17", "delibera_data": "2019-02-05"},
        follow=True,
    )
    assert (
        "I pesi degli indicatori sommano 110,00%: eccedono di 10,00%." in response.content.decode()
    )
