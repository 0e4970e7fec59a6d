"""The OIV's queue: the visible schede to validate (or validated), with the filters of
the page — stato, settore, anno, fascia — and each one's score and band, by pages of
``PIANO_SCHEDE_IN_PAGINA`` (the band filter needs every score: all are scored, without
explanations, and only the page is shown)."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator

from indicators.caricamento import CAMPI_OBIETTIVO, carica_figli
from indicators.engine.fasce import PER_CHIAVE, fascia
from indicators.engine.scoring import esiti_obiettivi
from objectives.access import anni_visibili, obiettivi_visibili
from objectives.models import Obiettivo
from objectives.pagina_piano import soglia

S = Obiettivo.Stato
STATI_CODA = {
    "rendicontato": "Da validare",
    "in_monitoraggio": "Integrazione richiesta o in corso",
    "validato": "Validati",
    "tutti": "Tutti i rendicontati e validati",
}


@dataclass
class Filtri:
    stato: str = "rendicontato"
    settore: str = ""
    fascia: str = ""
    anno: str = ""

    @classmethod
    def da(cls, parametri) -> "Filtri":
        """From the page's query string: anything unknown is ignored."""
        return cls(
            stato=parametri.get("stato") or "rendicontato",
            settore=parametri.get("settore") or "",
            fascia=parametri.get("fascia") or "",
            anno=parametri.get("anno") or "",
        )

    def query(self) -> str:
        """The query string that keeps these filters (for the links to other pages)."""
        return urlencode({k: v for k, v in vars(self).items() if v})


def righe(user, comune, filtri: Filtri) -> list[tuple]:
    """[(obiettivo, esito, fascia)] of the visible schede that pass the filters."""
    obiettivi = (
        obiettivi_visibili(user, comune)
        .select_related("piano", "settore")
        .only(*CAMPI_OBIETTIVO, "piano", "denominazione")
    )
    if filtri.stato == "tutti":
        obiettivi = obiettivi.filter(stato__in=[S.RENDICONTATO, S.VALIDATO])
    elif filtri.stato in STATI_CODA:
        obiettivi = obiettivi.filter(stato=filtri.stato)
    if filtri.settore.isdigit():
        obiettivi = obiettivi.filter(settore_id=int(filtri.settore))
    if filtri.anno.isdigit():
        obiettivi = obiettivi.filter(anno=int(filtri.anno))
    obiettivi = carica_figli(
        obiettivi.order_by("-anno", "settore__codice", "settore__nome", "codice_ordinabile", "id")
    )
    esiti = esiti_obiettivi(obiettivi)
    risultato = []
    for obiettivo in obiettivi:
        esito = esiti[obiettivo.pk]
        banda = fascia(esito)
        if filtri.fascia in PER_CHIAVE and banda.chiave != filtri.fascia:
            continue
        risultato.append((obiettivo, esito, banda))
    return risultato


def pagina(righe: list, numero) -> Page:
    """The page ``numero`` of the rows (the first for nonsense, the last past the end)."""
    return Paginator(righe, soglia()).get_page(numero)


def anni(user, comune) -> list[int]:
    """The years of the schede the user sees, latest first (the year filter)."""
    return sorted(anni_visibili(user, comune), reverse=True)
