"""What each role sees first: a responsabile his schede, the segreteria the comune's progress."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count

from indicators.engine.scoring import esiti_obiettivi
from indicators.models import Indicatore
from peg.access import OIV, RESPONSABILE, SEGRETERIA, ruoli

from . import campagne
from .da_fare import da_fare, prossima_scadenza, schede_del_responsabile
from .models import Obiettivo

IN_CORSO = (Obiettivo.Stato.APPROVATO, Obiettivo.Stato.IN_MONITORAGGIO)
# What the home shows of an indicatore past due.
CAMPI_SCADUTE = ("numero", "denominazione", "data_attesa", "obiettivo__codice", "obiettivo__anno")


@dataclass
class Scheda:
    obiettivo: Obiettivo
    esito: object
    prossima_scadenza: date | None


@dataclass
class Cruscotto:
    comune: object
    ruoli: set
    mie: list = field(default_factory=list)  # [Scheda] of the responsabile's settori
    per_stato: list = field(default_factory=list)  # [(label, n)]
    scadute: list = field(default_factory=list)  # [Indicatore] past due with no final value
    settori_in_ritardo: list = field(default_factory=list)  # [(settore nome, n scadute)]
    campagne: list = field(default_factory=list)  # [campagne.InCorso] open rounds
    da_fare: list = field(default_factory=list)  # [da_fare.Voce] what the responsabile must do


def _prossima(obiettivo: Obiettivo, oggi: date) -> date | None:
    prossima = prossima_scadenza(obiettivo, oggi)
    return prossima[0] if prossima else None


def cruscotto(user, comune, oggi: date) -> Cruscotto:
    """What ``user`` sees of ``comune`` on his home (its piani read once if prefetched)."""
    propri = ruoli(user, comune)
    tipi = set(propri.tipi)
    risultato = Cruscotto(comune, tipi)
    if RESPONSABILE in tipi:
        obiettivi = schede_del_responsabile(user, comune, propri.settori)
        esiti = esiti_obiettivi(obiettivi)
        risultato.mie = [Scheda(o, esiti[o.pk], _prossima(o, oggi)) for o in obiettivi]
        risultato.da_fare = da_fare(user, comune, oggi, obiettivi, propri.settori)
    if SEGRETERIA in tipi:
        risultato.campagne = campagne.in_corso(comune, oggi)
    if tipi & {SEGRETERIA, OIV}:
        conteggi = dict(
            Obiettivo.objects.filter(piano__comune=comune)
            .values_list("stato")
            .annotate(n=Count("id"))
        )
        risultato.per_stato = [
            (label, conteggi.get(value, 0)) for value, label in Obiettivo.Stato.choices
        ]
        scadute = Indicatore.objects.filter(
            obiettivo__piano__comune=comune, obiettivo__stato__in=IN_CORSO, data_attesa__lt=oggi
        ).exclude(rilevazioni__tipo="finale")
        risultato.scadute = list(
            scadute.select_related("obiettivo")
            .only(*CAMPI_SCADUTE)
            .order_by("data_attesa", "obiettivo__codice_ordinabile", "numero")[:20]
        )
        risultato.settori_in_ritardo = list(
            scadute.values_list("obiettivo__settore__nome").annotate(n=Count("id")).order_by("-n")
        )
    return risultato
