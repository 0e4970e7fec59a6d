"""The home page per role: a responsabile's schede, the segreteria's progress."""

import datetime
import io
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from indicators.engine.formatting import data_lunga
from objectives.models import Obiettivo
from peg.models import Comune, Ruolo, Settore

from .factories import FaseFactory, IndicatoreFactory, ObiettivoFactory, RuoloFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_responsabile_sees_own_schede_with_state_score_and_next_deadline(client, settings):
    mia = ObiettivoFactory(stato=Obiettivo.Stato.IN_MONITORAGGIO, codice="MIO-1")
    IndicatoreFactory(obiettivo=mia, numero=1, peso=D(100), data_attesa=datetime.date(2099, 3, 31))
    FaseFactory(obiettivo=mia, numero=1, data_fine_prevista=datetime.date(2099, 2, 28))
    altrui = ObiettivoFactory(piano=mia.piano, codice="ALTRO-1")
    user = UserFactory(username="resp-home")
    RuoloFactory(utente=user, comune=mia.piano.comune, tipo=Ruolo.Tipo.RESPONSABILE).settori.add(
        mia.settore
    )
    client.force_login(user)
    page = client.get(reverse("home")).content.decode()
    assert "Le tue schede" in page
    assert "MIO-1" in page and "In monitoraggio" in page and "incompleto" in page
    assert "28 febbraio 2099" in page  # the fase ends before the indicatore is due
    assert altrui.codice not in page
    assert "Avanzamento del comune" not in page


def test_segreteria_sees_progress_and_past_deadlines(client, demo):
    chiavari = demo("chiavari")
    Obiettivo.objects.filter(piano__comune=chiavari, anno=2019).update(
        stato=Obiettivo.Stato.IN_MONITORAGGIO
    )
    user = UserFactory(username="segr-home")
    RuoloFactory(utente=user, comune=chiavari, tipo=Ruolo.Tipo.SEGRETERIA)
    client.force_login(user)
    page = client.get(reverse("home")).content.decode()
    assert "In monitoraggio: <strong>10</strong>" in page
    assert "Approvato: <strong>13</strong>" in page
    assert (
        "Settori in ritardo" in page and "SETTORE VI - SERVIZI SOCIALI, ISTRUZIONE, CASA:" in page
    )
    assert "30 settembre 2019" in page  # VI - 1 indicatore 1, past due, no value
    assert "Le tue schede" not in page


def test_home_queries_do_not_grow_with_the_comune(client, django_assert_max_num_queries):
    call_command(
        "genera_dati",
        "--comune",
        "grande",
        "--settori",
        "5",
        "--obiettivi",
        "10",
        "--indicatori",
        "3",
        "--fasi",
        "2",
        stdout=io.StringIO(),
    )
    comune = Comune.objects.get(slug="grande")
    user = UserFactory(username="tutti-i-ruoli")
    RuoloFactory(utente=user, comune=comune, tipo=Ruolo.Tipo.SEGRETERIA)
    RuoloFactory(utente=user, comune=comune, tipo=Ruolo.Tipo.RESPONSABILE).settori.set(
        Settore.objects.filter(comune=comune)
    )
    client.force_login(user)
    # Both roles: the segreteria's rounds and the responsabile's are read apart.
    with django_assert_max_num_queries(16):  # 15 + the schede individuali
        page = client.get(reverse("home")).content.decode()
    assert page.count("2019_S0") >= 50
    # One role each (the plan-wide pages' bound is 15): the session and the user, the
    # comuni with their piani, the roles, and what the role sees.
    segreteria = UserFactory(username="solo-segreteria")
    RuoloFactory(utente=segreteria, comune=comune, tipo=Ruolo.Tipo.SEGRETERIA)
    oiv = UserFactory(username="solo-oiv")
    RuoloFactory(utente=oiv, comune=comune, tipo=Ruolo.Tipo.OIV)
    responsabile = UserFactory(username="solo-responsabile")
    RuoloFactory(utente=responsabile, comune=comune, tipo=Ruolo.Tipo.RESPONSABILE).settori.set(
        Settore.objects.filter(comune=comune)[:2]
    )
    # +1 each: the schede individuali on the home (individuale.templatetags.schede_tags).
    for user, massimo in ((segreteria, 10), (oiv, 8), (responsabile, 11)):
        client.force_login(user)
        with django_assert_max_num_queries(massimo):
            risposta = client.get(reverse("home"))
        assert risposta.status_code == 200 and len(risposta.content) <= 250_000


def _da_fare_scenario(ente, n=1):
    """For settore A, ``n`` schede of each kind the responsabile must act on: in a round
    with values missing, sent back by the OIV, sent back by the segreteria, with a
    deadline ahead; and a scheda of settore B asked for an integration (not his)."""
    from objectives.modifiche import esegui

    from .factories import CampagnaFactory

    CampagnaFactory(piano=ente.piano, finale=True, aperta=True, creata_da=ente.segreteria)
    schede = {"campagna": [], "integrazione": [], "restituita": [], "scadenza": []}
    for k in range(n):
        schede["campagna"].append(ente.scheda("in_monitoraggio", "con_indicatori", codice=f"M-{k}"))
        schede["integrazione"].append(ente.scheda("integrazione_richiesta", codice=f"I-{k}"))
        restituita = ente.scheda("proposto", codice=f"R-{k}")
        esegui(restituita, ente.segreteria, "restituisci", motivazione=f"Manca il target {k}")
        schede["restituita"].append(restituita)
        futura = ente.scheda("approvato", codice=f"F-{k}", anno=2019)
        IndicatoreFactory(obiettivo=futura, numero=1, data_attesa=datetime.date(2099, 5, 31))
        schede["scadenza"].append(futura)
    ente.scheda("integrazione_richiesta", codice="ALTRUI", settore=ente.settore_b)
    return schede


def test_responsabile_home_says_what_to_do(client, ente):
    from objectives.da_fare import da_fare

    from .factories import MOTIVAZIONE_INTEGRAZIONE

    schede = _da_fare_scenario(ente)
    voci = da_fare(ente.responsabile_a, ente.comune, timezone.localdate())
    assert [v.tipo for v in voci] == ["integrazione", "restituita", "campagna", "scadenza"]
    assert all(v.testo and v.link for v in voci)
    client.force_login(ente.responsabile_a)
    page = client.get(reverse("home")).content.decode()
    assert "Cosa devo fare" in page
    slug = ente.comune.slug
    # The OIV's request, with its text, to the rendicontazione.
    integrazione = schede["integrazione"][0]
    assert MOTIVAZIONE_INTEGRAZIONE.replace("'", "&#x27;") in page
    assert reverse("rendicontazione", args=[slug, integrazione.pk]) in page
    # The proposal sent back, with the reason, to the scheda.
    assert "Manca il target 0" in page
    assert reverse("obiettivo", args=[slug, schede["restituita"][0].pk]) in page
    # The open round: its deadline, what is missing, links to the rendicontazione.
    campagna = ente.piano.campagne.get()
    assert "Rilevazione finale 2019" in page and data_lunga(campagna.scadenza) in page
    assert "M-0 (2019): indicatore 1: Pratiche istruite entro l&#x27;anno" in page
    assert reverse("rendicontazione", args=[slug, schede["campagna"][0].pk]) in page
    # The next deadline of a scheda.
    assert "31 maggio 2099" in page and "F-0 (2019)" in page
    assert "ALTRUI" not in page  # another settore's scheda


def test_responsabile_home_queries_do_not_grow_with_the_schede(client, ente):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .utenti import crea_ente

    piccolo, grande = ente, crea_ente("grande", "Grande")
    _da_fare_scenario(piccolo, n=1)
    _da_fare_scenario(grande, n=6)
    conteggi = []
    for e in (piccolo, grande):
        client.force_login(e.responsabile_a)
        with CaptureQueriesContext(connection) as query:
            page = client.get(reverse("home")).content.decode()
        conteggi.append(len(query))
        assert page.count("Manca il target") == (1 if e is piccolo else 6)
    # With an open round: its reopenings and the texts of what is missing, read once.
    assert conteggi[0] == conteggi[1] and conteggi[1] <= 15, conteggi
