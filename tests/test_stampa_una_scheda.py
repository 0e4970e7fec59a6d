"""The scheda's own PDF reads its one scheda through the scheda page's loader
(``reporting.schede.carica_per_scheda``); a book reads many through ``carica_schede``.
Both must print the same: every demo scheda and the ``genera_dati`` schede with history,
variazioni, past values, allegati and the OIV's rettifiche, in each layout."""

import pytest
from django.template.loader import render_to_string

from objectives.models import Obiettivo
from reporting.libri import contesto_base
from reporting.modelli.predefiniti import PREDEFINITI
from reporting.modelli.scelta import USI, predefinito
from reporting.schede import carica_per_scheda, carica_schede

from .test_pagina_scheda_html import DEMO, _genera

pytestmark = pytest.mark.django_db


def _html(schede) -> str:
    primo = schede[0]
    contesto = contesto_base(primo.piano.comune, "Scheda", primo.modello)
    contesto["schede"] = schede
    return render_to_string("reporting/pdf/schede.html", contesto)


def test_la_scheda_letta_da_sola_si_stampa_come_nel_libro(demo, archivio):
    demo(*DEMO)
    _genera()
    schede = list(Obiettivo.objects.order_by("pk").values_list("pk", flat=True))
    assert len(schede) > 70
    # The piano's own models in each layout, and every built-in model (the preview of a
    # print model passes ``modelli``).
    prove = [(None, r) for r in (None, False, True)]
    prove += [(dict.fromkeys(USI, predefinito(chiave)), None) for chiave in PREDEFINITI]
    diverse = []
    for pk in schede:
        una = Obiettivo.objects.filter(pk=pk)
        for modelli, rendicontazione in prove:
            da_sola = _html(carica_per_scheda(una, rendicontazione, modelli))
            if da_sola != _html(carica_schede(una, rendicontazione, modelli)):
                diverse.append((pk, rendicontazione, modelli and next(iter(modelli.values()))))
    assert not diverse
