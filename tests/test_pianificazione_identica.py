"""The planning page and its live preview show exactly what they showed before they were
made cheaper: every demo scheda as the segreteria and as the settore's responsabile
(the page, or its refusal), and the preview posted with the page's own values and with
a graduazione and a peso typed (tests/dati/pianificazione.json.gz).

Normalised as the scheda page's pin (tests/test_pagina_scheda_html.py), plus the
moment the form was read (``caricato_il``). PEG_AGGIORNA_PIANIFICAZIONE=1 writes the
file again after a deliberate change of the page.
"""

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from objectives.demo_accounts import crea_utenti_demo
from objectives.models import Obiettivo
from peg.models import Comune

from .fotografie import confronta
from .html_form import campi
from .test_pagina_scheda_html import DEMO, normalizza

pytestmark = pytest.mark.django_db

DATI = Path(__file__).parent / "dati" / "pianificazione.json.gz"
RESPONSABILI = {
    "chiavari": "meschi",
    "soresina": "chiozzi",
    "seregno": "pacchetti",
    "cinisello-balsamo": "conti",
}
CARICATO = re.compile(r'(name="caricato_il" value=)"[^"]*"')
# Primary keys in values, which PostgreSQL does not reuse between tests: the options of
# each list and the rows' hidden ids, by rank.
ELENCO = re.compile(r'(<select name="[^"]*"[^>]*>)(.*?)(</select>)', re.S)
OPZIONE = re.compile(r'<option value="(\d+)"')
RIGA = re.compile(r'(name="([a-z]+)-\d+-(id|obiettivo)" value=")(\d+)"')
# The addresses htmx posts to carry the scheda's key too.
HTMX = re.compile(r'(hx-(?:post|get)="[^"]*")')


def _norma(html: str) -> str:
    return normalizza(CARICATO.sub(r'\1""', html))


def _chiavi(html: str) -> str:
    def elenco(m):
        visti: dict[str, int] = {}
        opzioni = OPZIONE.sub(
            lambda o: f'<option value="#{visti.setdefault(o.group(1), len(visti))}"', m.group(2)
        )
        return m.group(1) + opzioni + m.group(3)

    righe: dict[tuple, int] = {}
    html = ELENCO.sub(elenco, html)
    html = HTMX.sub(lambda m: re.sub(r"\d+", "#", m.group(1)), html)
    return RIGA.sub(
        lambda m: f'{m.group(1)}#{righe.setdefault(m.group(2, 3, 4), len(righe))}"', html
    )


def _riga_con(dati: dict, prefisso: str, campo: str) -> str | None:
    """The first row of a formset (``indicatori-0-``) that has that field."""
    for chiave in sorted(dati):
        if chiave.startswith(prefisso + "-") and chiave.endswith("-" + campo):
            return chiave.removesuffix(campo)
    return None


def _pagine(client) -> dict[str, str]:
    pagine = {}
    comuni = list(Comune.objects.filter(slug__in=DEMO).order_by("slug"))
    crea_utenti_demo([c.slug for c in comuni])
    utenti = {u.username: u for u in get_user_model().objects.all()}
    for comune in comuni:
        schede = Obiettivo.objects.filter(piano__comune=comune).order_by("codice", "anno", "pk")
        for o in schede.select_related("piano__comune"):
            for nome in ("segreteria", RESPONSABILI[comune.slug]):
                chiave = f"{comune.slug} {o.codice} {o.anno} {nome}"
                client.force_login(utenti[nome])
                url = reverse("modifica_obiettivo", args=[comune.slug, o.pk])
                risposta = client.get(url)
                pagine[chiave] = f"{risposta.status_code}\n" + _norma(risposta.content.decode())
                if risposta.status_code != 200:
                    continue
                anteprima = reverse("anteprima_modifica", args=[comune.slug, o.pk])
                dati = campi(risposta.content.decode(), "scheda-form")
                r = client.post(anteprima, dati)
                pagine[chiave + " anteprima"] = f"{r.status_code}\n" + _norma(r.content.decode())
                if riga := _riga_con(dati, "indicatori", "graduazione"):
                    dati[riga + "graduazione"] = "entro il 30/09 = 100%; con ritardo = 50%"
                    dati[riga + "peso"] = "12,5"
                if riga := _riga_con(dati, "fasi", "graduazione"):
                    dati[riga + "graduazione"] = "boh"
                r = client.post(anteprima, dati)
                pagine[chiave + " anteprima cambiata"] = f"{r.status_code}\n" + _norma(
                    r.content.decode()
                )
    return pagine


def test_la_pianificazione_e_la_sua_anteprima_sono_identiche(client, demo):
    demo(*DEMO)
    pagine = {k: _chiavi(v) for k, v in _pagine(client).items()}
    confronta(pagine, DATI, "PEG_AGGIORNA_PIANIFICAZIONE", _chiavi)
