"""The plan-wide pages that load indicatori and fasi as light rows (``carica_figli(...,
leggeri=True)``: the piano's page and its settore sections, the OIV's queue, the
responsabile's home) show exactly what they showed with model instances: each page of
the demo comuni and of a ``genera_dati`` piano, rendered both ways, is the same HTML.

A field a template or module reads that the light rows lack would come out empty (a
template) or raise: either way the two pages differ."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

import objectives.da_fare
import objectives.lettura
import objectives.pagina_piano
import valutazione.coda
from indicators import caricamento
from objectives.models import Obiettivo
from peg.models import Comune, Ruolo

from .utenti import utente

pytestmark = pytest.mark.django_db

DEMO = ("chiavari", "cinisello-balsamo", "seregno", "soresina")
# The modules of the pages that load light rows.
MODULI = (objectives.lettura, objectives.pagina_piano, valutazione.coda, objectives.da_fare)
CSRF = re.compile(
    r'(name="csrfmiddlewaretoken" value=|csrf[-_]?token["\']?[:=] ?)["\'][^"\']*["\']'
)


def _con_modelli(obiettivi, leggeri=False):
    return caricamento.carica_figli(obiettivi, leggeri=False)


def _pagine(comune) -> list[tuple]:
    """[(user, url)] of the pages that load light rows, for each piano of ``comune``."""
    segreteria = utente(comune, Ruolo.Tipo.SEGRETERIA)
    oiv = utente(comune, Ruolo.Tipo.OIV)
    responsabile = utente(comune, Ruolo.Tipo.RESPONSABILE, settori=comune.settori.all())
    pagine = [
        (oiv, reverse("coda_valutazione", args=[comune.slug])),
        (oiv, reverse("coda_valutazione", args=[comune.slug]) + "?stato=tutti"),
        (responsabile, reverse("home")),
    ]
    for piano in comune.piani.all():
        args = [comune.slug, piano.pk]
        pagine.append((segreteria, reverse("piano", args=args)))
        for settore in comune.settori.all():
            url = reverse("piano_settore", args=[*args, settore.pk])
            pagine += [(segreteria, url), (responsabile, url)]
    return pagine


def _html(client, pagine) -> list[str]:
    risultato = []
    for user, url in pagine:
        client.force_login(user)
        risposta = client.get(url)
        assert risposta.status_code == 200, url
        risultato.append(CSRF.sub(r"\1''", risposta.content.decode()))
    return risultato


def test_le_pagine_con_righe_leggere_sono_identiche(client, demo, monkeypatch):
    comuni = list(demo(*DEMO))
    call_command(
        "genera_dati",
        *("--comune", "generato", "--seme", "5", "--settori", "3", "--obiettivi", "4"),
        *("--indicatori", "4", "--fasi", "3", "--non-rilevati", "0.3"),
        stdout=io.StringIO(),
    )
    generato = Comune.objects.get(slug="generato")
    # Some schede in the queue, some in progress (the home's deadlines).
    schede = list(Obiettivo.objects.filter(piano__comune=generato).order_by("id"))
    for i, obiettivo in enumerate(schede):
        stato = (Obiettivo.Stato.RENDICONTATO, Obiettivo.Stato.IN_MONITORAGGIO)[i % 2]
        Obiettivo.objects.filter(pk=obiettivo.pk).update(stato=stato)
    pagine = [p for comune in [*comuni, generato] for p in _pagine(comune)]
    leggere = _html(client, pagine)
    for modulo in MODULI:
        monkeypatch.setattr(modulo, "carica_figli", _con_modelli)
    con_modelli = _html(client, pagine)
    for (_, url), a, b in zip(pagine, leggere, con_modelli, strict=True):
        assert a == b, url
    assert any("Le tue schede" in h for h in leggere)
