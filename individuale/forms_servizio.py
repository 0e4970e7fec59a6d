"""The data of service of a scheda individuale (part-time % and days of service, the
premi's SERVIZIO criterion): the form of the scheda's page and the ufficio personale's
page of the whole year, one row per scheda (prefix ``s<id>``)."""

from __future__ import annotations

from decimal import Decimal

from peg.forms import DecimaleItaliano, InteroItaliano, SenzaCampiTecnici, intero

from .forms_schede import CENTO, ConVersione
from .models import SchedaIndividuale


class ServizioForm(SenzaCampiTecnici, ConVersione):
    """The data of service the premi are weighed with (criterion SERVIZIO)."""

    percentuale_servizio = DecimaleItaliano(
        label="Percentuale di part-time (100,00 = tempo pieno)",
        min_value=Decimal("0.01"),
        max_value=CENTO,
        max_digits=5,
        decimal_places=2,
        error_messages={
            "required": "Indica la percentuale di part-time (100,00 per il tempo pieno).",
            "invalid": "Indica un numero, es. 83,33.",
            "min_value": "La percentuale di part-time va da 0,01%% a 100,00%%.",
            "max_value": "La percentuale di part-time va da 0,01%% a 100,00%%.",
            "max_digits": "La percentuale di part-time va da 0,01%% a 100,00%%.",
            "max_decimal_places": "La percentuale di part-time ha al più due decimali.",
            "max_whole_digits": "La percentuale di part-time va da 0,01%% a 100,00%%.",
        },
    )
    giorni_servizio = InteroItaliano(
        label="Giorni di servizio nell'anno",
        min_value=1,
        max_value=366,
        widget=intero(),
        error_messages={
            "required": "Indica i giorni di servizio nell'anno (da 1 a 366).",
            "invalid": "I giorni di servizio sono un numero intero, da 1 a 366.",
            "min_value": (
                "I giorni di servizio vanno da 1 a 366: con 0 giorni la persona non ha "
                "prestato servizio nell'anno e non ha una valutazione da pesare."
            ),
            "max_value": "I giorni di servizio vanno da 1 a 366 (un anno bisestile).",
        },
    )

    def __init__(self, *args, scheda: SchedaIndividuale, **kwargs):
        super().__init__(*args, **kwargs)
        self.scheda = scheda
        self.initial.setdefault("versione", scheda.versione)
        self.initial.setdefault("percentuale_servizio", scheda.percentuale_servizio)
        self.initial.setdefault("giorni_servizio", scheda.giorni_servizio)


def moduli_dell_anno(schede, data=None) -> list[ServizioForm]:
    """One form per scheda, bound to ``data`` when posted."""
    return [ServizioForm(data, scheda=s, prefix=f"s{s.pk}") for s in schede]
