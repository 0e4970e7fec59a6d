"""The home page shows what it showed before it was made cheaper: the page of each demo
role (segreteria and OIV of the four comuni, each demo responsabile) and of the
segreteria and a responsabile of a small ``genera_dati`` comune with something of every
kind to do (an open round, a scheda sent back, an integration asked, requests of
variazione), on two fixed days, compared with the pages captured before
(tests/dati/home.json).

Normalised: csrf tokens, the dates of today (moves made while the test runs) and the
primary keys in addresses and ids (their order of appearance: PostgreSQL does not reuse
the keys of earlier tests). Set PEG_AGGIORNA_HOME=1 to write the file again after a
deliberate change of the page.
"""

import datetime
import io
import json
import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from indicators.engine.formatting import data_lunga
from objectives.demo_accounts import crea_campagne_demo, crea_utenti_demo
from objectives.models import (
    CambioStato,
    Campagna,
    Fase,
    Obiettivo,
    RiaperturaSettore,
    RichiestaVariazione,
)
from peg.models import Comune, Ruolo

from .factories import UserFactory

pytestmark = pytest.mark.django_db

DATI = Path(__file__).parent / "dati" / "home.json"
DEMO = ("chiavari", "cinisello-balsamo", "seregno", "soresina")
# Mid-year (deadlines ahead and past due) and inside the demo's final round of 2019.
GIORNI = (datetime.date(2019, 10, 15), datetime.date(2020, 2, 10))
UTENTI = (
    "segreteria",
    "oiv",
    "meschi",
    "chiozzi",
    "pacchetti",
    "conti",
    "segr-piccolo",
    "resp-piccolo-s01",
)
S = Obiettivo.Stato
CSRF = re.compile(
    r'(name="csrfmiddlewaretoken" value=|csrf[-_]?token["\']?[:=] ?)["\'][^"\']*["\']'
)
NONCE = re.compile(r'nonce="[^"]*"')
# A primary key in an address (/comune/obiettivi/12/) or an element's id (comune-3).
PK = re.compile(r'(/[a-z_-]+/|"comune-)(\d+)\b')


def _quando(giorno, ore=9):
    return timezone.make_aware(datetime.datetime.combine(giorno, datetime.time(ore)))


def _piccolo():
    """A small generated comune (3 settori × 4 schede, their users) with schede in every
    state and, for settore 1, what a responsabile has to do."""
    call_command(
        "genera_dati",
        *("--comune", "piccolo", "--seme", "5", "--settori", "3", "--obiettivi", "4"),
        *("--indicatori", "4", "--fasi", "3", "--non-rilevati", "0.3", "--utenti", "x"),
        stdout=io.StringIO(),
    )
    comune = Comune.objects.get(slug="piccolo")
    schede = list(Obiettivo.objects.filter(piano__comune=comune).order_by("id"))
    stati = (S.IN_MONITORAGGIO, S.APPROVATO, S.RENDICONTATO, S.BOZZA, S.PROPOSTO, S.VALIDATO)
    for i, obiettivo in enumerate(schede):
        obiettivo.stato = stati[i % len(stati)]
        Obiettivo.objects.filter(pk=obiettivo.pk).update(stato=obiettivo.stato)
    oiv = UserFactory(username="oiv-piccolo", first_name="Nucleo", last_name="Piccolo")
    segreteria = UserFactory(username="segr-piccolo")
    responsabile = UserFactory(username="resp-piccolo-s01")
    piano = schede[0].piano
    primo = [o for o in schede if o.settore_id == schede[0].settore_id]
    # Settore 1: the OIV asks an integration, the segreteria sends a proposal back.
    CambioStato.objects.create(
        obiettivo=primo[0],
        azione="richiedi_integrazione",
        da=S.RENDICONTATO,
        a=S.IN_MONITORAGGIO,
        utente=oiv,
        quando=_quando(GIORNI[0] - datetime.timedelta(days=3)),
        motivazione="Manca la fonte del dato dell'indicatore 2",
    )
    CambioStato.objects.create(
        obiettivo=primo[3],
        azione="restituisci",
        da=S.PROPOSTO,
        a=S.BOZZA,
        utente=segreteria,
        quando=_quando(GIORNI[0] - datetime.timedelta(days=2)),
        motivazione="Pesi da rivedere",
    )
    # Requests of variazione: one waiting, one granted, one refused.
    for k, (stato, decisa) in enumerate(
        [(RichiestaVariazione.Stato.IN_ATTESA, None)]
        + [(s, segreteria) for s in (RichiestaVariazione.Stato.ACCOLTA, "respinta")]
    ):
        RichiestaVariazione.objects.create(
            obiettivo=primo[1],
            richiesta_da=responsabile,
            richiesta_il=_quando(GIORNI[0] - datetime.timedelta(days=10 - k)),
            cosa=f"Valore atteso dell'indicatore {k + 1} da 10 a 8",
            motivazione="Un operatore in meno da marzo",
            stato=stato,
            decisa_da=decisa,
            # Decided today (a responsabile sees those of the last 30 days).
            decisa_il=_quando(timezone.localdate(), 0) if decisa else None,
            risposta="Non coerente con il DUP" if stato == "respinta" else "",
        )
    # An intermedia round open on the first day (reopened for settore 1 until the
    # second), a finale one on the second, where a fase of settore 1 has no value.
    Fase.objects.filter(obiettivo=primo[0], numero=2).update(
        avanzamento=None, raggiunto="", data_fine_effettiva=None
    )
    intermedia = Campagna.objects.create(
        piano=piano,
        anno=2019,
        momento=Campagna.Momento.INTERMEDIA,
        data_riferimento=datetime.date(2019, 9, 30),
        apertura=datetime.date(2019, 10, 1),
        scadenza=datetime.date(2019, 10, 31),
        creata_da=segreteria,
    )
    RiaperturaSettore.objects.create(
        campagna=intermedia,
        settore_id=primo[0].settore_id,
        fino_al=datetime.date(2020, 2, 15),
        motivazione="Dati arrivati in ritardo",
        utente=segreteria,
        quando=_quando(datetime.date(2020, 2, 1)),
    )
    Campagna.objects.create(
        piano=piano,
        anno=2019,
        momento=Campagna.Momento.FINALE,
        data_riferimento=datetime.date(2019, 12, 31),
        apertura=datetime.date(2020, 1, 7),
        scadenza=datetime.date(2020, 2, 20),
        creata_da=segreteria,
    )
    Ruolo.objects.create(utente=oiv, comune=comune, tipo=Ruolo.Tipo.OIV)


def _normale(html: str, oggi: datetime.date) -> str:
    html = NONCE.sub('nonce=""', CSRF.sub(r"\1''", html))
    for giorno in (oggi, oggi - datetime.timedelta(days=1)):
        html = html.replace(data_lunga(giorno), "«oggi»")
    visti: dict[tuple, int] = {}

    def rango(m):
        chiave = (m.group(1), m.group(2))
        n = visti.setdefault(chiave, len([k for k in visti if k[0] == m.group(1)]))
        return f"{m.group(1)}#{n}"

    return PK.sub(rango, html)


@pytest.fixture
def pagine(client, demo, monkeypatch):
    """{"<user> <day>": the normalised HTML of that user's home on that day}."""
    demo(*DEMO)
    crea_utenti_demo(DEMO)
    crea_campagne_demo(DEMO)
    _piccolo()
    vera = timezone.localdate
    oggi = vera()
    risultato = {}
    for giorno in GIORNI:

        def localdate(value=None, timezone=None, giorno=giorno):
            return giorno if value is None and timezone is None else vera(value, timezone)

        monkeypatch.setattr("django.utils.timezone.localdate", localdate)
        for username in UTENTI:
            client.force_login(UserFactory(username=username))
            risposta = client.get(reverse("home"))
            assert risposta.status_code == 200, username
            risultato[f"{username} {giorno}"] = _normale(risposta.content.decode(), oggi)
    return risultato


def test_home_pages_are_unchanged(pagine):
    if os.environ.get("PEG_AGGIORNA_HOME"):
        DATI.parent.mkdir(exist_ok=True)
        DATI.write_text(json.dumps(pagine, ensure_ascii=False, indent=0, sort_keys=True) + "\n")
    attese = json.loads(DATI.read_text())
    assert sorted(pagine) == sorted(attese)
    for chiave, html in pagine.items():
        assert html == attese[chiave], chiave
    # The scenario shows what it is meant to show.
    tutte = "\n".join(pagine.values())
    for testo in (
        "Le tue schede",
        "Cosa devo fare",
        "Integrazione chiesta dall",
        "Pesi da rivedere",
        "Campagne di rilevazione in corso",
        "Scadenze passate",
        "riaperta per il settore fino al 15 febbraio 2020",
        "fase 2: ",
        "Valore atteso dell&#x27;indicatore 1 da 10 a 8",
        "accolta</strong> il «oggi», 00:00",
    ):
        assert testo in tutte, testo
