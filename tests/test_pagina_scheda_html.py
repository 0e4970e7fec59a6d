"""The scheda page (``obiettivo_detail``) shows exactly the HTML it showed before it was
made cheaper: every demo scheda as the segreteria, the OIV and the settore's
responsabile see it, and ``genera_dati`` schede with history, variazioni, moves,
requests, allegati and the OIV's rettifiche, compared with the pages captured before
(tests/dati/pagine_scheda.json.gz).

Only what changes from run to run is normalised: csrf tokens, today's moments (the
history's times, the upload's date), allegati's random uuids and the primary keys in
attributes (by rank: PostgreSQL does not reuse the keys of earlier tests). Set
PEG_AGGIORNA_SCHEDA=1 to write the file again after a deliberate change of the page.
"""

import io
import re
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from indicators.engine.formatting import data_lunga
from indicators.models import Indicatore, Rilevazione
from objectives.demo_accounts import crea_utenti_demo
from objectives.models import Obiettivo
from objectives.modifiche import esegui, modifica
from peg.models import Comune, Ruolo

from .factories import (
    AllegatoFactory,
    PunteggioValidatoFactory,
    RichiestaVariazioneFactory,
    ValidazioneFactory,
    ValoreStoricoFactory,
)
from .fotografie import confronta
from .utenti import utente

pytestmark = pytest.mark.django_db

DATI = Path(__file__).parent / "dati" / "pagine_scheda.json.gz"
DEMO = ("chiavari", "cinisello-balsamo", "seregno", "soresina")
S = Obiettivo.Stato
CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=|csrf[-_]?token["\']?[:=] ?)"[^"]*"')
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# The random ids of the charts (reporting.svg): by rank.
GRAFICO = re.compile(r"\bg[0-9a-f]{10}\b")
CARICA = re.compile(r'<form method="post" enctype="multipart/form-data".*?</form>', re.S)
# Attributes whose numbers are primary keys (URLs, ids, options naming a row).
ATTRIBUTI = re.compile(r'\b(href|action|id|for|value|aria-labelledby|aria-describedby)="([^"]*)"')


def normalizza(html: str) -> str:
    oggi = data_lunga(timezone.localdate())
    html = CSRF.sub(r'\1""', html)
    html = UUID.sub("<uuid>", html)
    grafici: dict[str, str] = {}
    html = GRAFICO.sub(lambda m: grafici.setdefault(m.group(0), f"g#{len(grafici)}"), html)
    html = re.sub(rf"{re.escape(oggi)}(, \d\d:\d\d)?", "<oggi>", html)
    visti: dict[tuple[str, str], str] = {}

    def chiave(m):
        prefisso, numero = m.group(1), m.group(2)
        per_prefisso = sum(1 for p, _ in visti if p == prefisso)
        return prefisso + visti.setdefault((prefisso, numero), f"#{per_prefisso}")

    def attributo(m):
        valore = re.sub(r"([^\d]*[/_-])(\d+)(?=[/_-]|$)", chiave, m.group(2))
        return f'{m.group(1)}="{valore}"'

    html = ATTRIBUTI.sub(attributo, html)
    # The upload form's fields are written in Python (objectives.campi_html, compared
    # with crispy's in tests/test_campi_html.py): the same elements, attributes and
    # texts, not crispy's blank lines between them.
    return senza_spazi_nel_modulo(html)


def senza_spazi_nel_modulo(html: str) -> str:
    def compatto(m):
        return re.sub(r"\s*(<[^>]*>)\s*", lambda t: re.sub(r"\s+", " ", t.group(1)), m.group(0))

    return CARICA.sub(compatto, html)


def _pagina(client, user, obiettivo) -> str:
    client.force_login(user)
    url = reverse("obiettivo", args=[obiettivo.piano.comune.slug, obiettivo.pk])
    risposta = client.get(url)
    assert risposta.status_code == 200, url
    return normalizza(risposta.content.decode())


def _genera() -> tuple[Comune, dict]:
    """A small genera_dati comune whose schede carry everything the page shows."""
    call_command(
        "genera_dati",
        *("--comune", "schedagen", "--seme", "7", "--settori", "2", "--obiettivi", "3"),
        *("--indicatori", "3", "--fasi", "2", "--non-rilevati", "0.3"),
        *("--stato", "approvato"),
        stdout=io.StringIO(),
    )
    comune = Comune.objects.get(slug="schedagen")
    settori = list(comune.settori.order_by("codice"))
    utenti = {
        "segreteria": utente(comune, Ruolo.Tipo.SEGRETERIA, username="segr-schedagen"),
        "oiv": utente(comune, Ruolo.Tipo.OIV, username="oiv-schedagen", first_name="Nucleo"),
        "responsabile": utente(
            comune, Ruolo.Tipo.RESPONSABILE, settori=settori[:1], username="resp-schedagen"
        ),
    }
    segreteria, oiv, responsabile = utenti["segreteria"], utenti["oiv"], utenti["responsabile"]
    schede = list(Obiettivo.objects.filter(settore=settori[0]).order_by("codice_ordinabile"))
    prima, seconda, terza = schede[:3]
    # The first: a variazione, history of several kinds, values of past years, a request.
    indicatori = list(prima.indicatori.order_by("numero"))
    with modifica(prima, segreteria, motivazione="Delibera di variazione n. 12") as m:
        m.annota(["indicatore 1: valore atteso cambiato"])
        indicatori[0].valore_atteso = D("12")
        indicatori[0].save()
        fase = prima.fasi.order_by("numero").first()
        fase.descrizione += " (rivista)"
        fase.save()
    for anno, valore in ((2017, "7"), (2018, "9.5")):
        ValoreStoricoFactory(indicatore=indicatori[0], anno=anno, valore=D(valore))
    ValoreStoricoFactory(indicatore=indicatori[1], anno=2018, valore=D("3"))
    RichiestaVariazioneFactory(obiettivo=prima, richiesta_da=responsabile, indicatore=indicatori[1])
    RichiestaVariazioneFactory(
        obiettivo=prima, richiesta_da=responsabile, respinta=True, decisa_da=segreteria
    )
    # The second: reported and sent back by the OIV, with an allegato on an indicatore.
    esegui(seconda, segreteria, "avvia_monitoraggio")
    with modifica(seconda, responsabile, "rendicontazione"):
        Rilevazione.objects.filter(indicatore__obiettivo=seconda).update(valore=D("1"))
        for r in Rilevazione.objects.filter(indicatore__obiettivo=seconda):
            r.note = "Rilevato a fine anno"
            r.save()
    esegui(seconda, responsabile, "rendiconta")
    esegui(seconda, oiv, "richiedi_integrazione", motivazione="Manca il verbale")
    AllegatoFactory(
        obiettivo=seconda,
        indicatore=seconda.indicatori.order_by("numero").first(),
        caricato_da=responsabile,
        descrizione="Verbale della commissione",
    )
    AllegatoFactory(obiettivo=seconda, caricato_da=responsabile, nome="conto.pdf")
    # The third: validated by the OIV with its own figures.
    Obiettivo.objects.filter(pk=terza.pk).update(stato=S.VALIDATO)
    validazione = ValidazioneFactory(obiettivo=terza, utente=oiv, con_rettifica=True)
    PunteggioValidatoFactory(validazione=validazione, per_indicatore=True, punteggio=D("80"))
    Indicatore.objects.filter(obiettivo=terza, numero=1).update(note="Nota dell'indicatore")
    return comune, utenti


def _tutte(client) -> dict[str, str]:
    pagine = {}
    comuni = list(Comune.objects.filter(slug__in=DEMO).order_by("slug"))
    crea_utenti_demo([c.slug for c in comuni])
    from django.contrib.auth import get_user_model

    utenti = {u.username: u for u in get_user_model().objects.all()}
    responsabili = {
        "chiavari": "meschi",
        "soresina": "chiozzi",
        "seregno": "pacchetti",
        "cinisello-balsamo": "conti",
    }
    for comune in comuni:
        chi = ("segreteria", "oiv", responsabili[comune.slug])
        for o in Obiettivo.objects.filter(piano__comune=comune).select_related("piano__comune"):
            for nome in chi:
                pagine[f"{comune.slug} {o.codice} {o.anno} {nome}"] = _pagina(
                    client, utenti[nome], o
                )
    generato, utenti_g = _genera()
    for o in Obiettivo.objects.filter(piano__comune=generato).select_related("piano__comune"):
        for nome, user in utenti_g.items():
            pagine[f"schedagen {o.codice} {nome}"] = _pagina(client, user, o)
    return pagine


def test_la_pagina_della_scheda_e_identica(client, demo, archivio):
    demo(*DEMO)
    pagine = _tutte(client)
    confronta(pagine, DATI, "PEG_AGGIORNA_SCHEDA", senza_spazi_nel_modulo)
    # The scenario shows what it is built for.
    testo = "\n".join(v for k, v in pagine.items() if k.startswith("schedagen"))
    for atteso in (
        "Delibera di variazione n. 12",
        "Valore raggiunto 2017",
        "Verbale della commissione",
        "Manca il verbale",
        "Respinta",
        "validato OIV",
        "Nota dell&#x27;indicatore",
    ):
        assert atteso in testo, atteso


def test_l_esito_in_python_e_quello_del_modello(demo, archivio):
    """objectives.righe_scheda.esito_html writes what objectives/_esito.html renders (the
    other pages include the template): every kind of score, validated and rettificato."""
    from django.template.loader import render_to_string

    from objectives.lettura import leggi_scheda
    from objectives.righe_scheda import esito_html

    demo("seregno")
    generato, _utenti = _genera()
    esiti = []
    for o in Obiettivo.objects.filter(piano__comune__slug__in=["seregno", generato.slug]):
        scheda = leggi_scheda(o)
        esiti += [scheda.esito, scheda.esito_intermedio]
        esiti += [r.esito for r in (*scheda.lista_indicatori, *scheda.lista_fasi)]
    assert any(e.validato and e.rettificato for e in esiti)
    for esito in esiti:
        assert esito_html(esito) == render_to_string("objectives/_esito.html", {"esito": esito})
