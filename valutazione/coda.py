"""The OIV's queue: the visible schede to validate (or validated), with the filters of
the page — stato, settore, anno, fascia — and each one's score and band, by pages of
``PIANO_SCHEDE_IN_PAGINA``: only the page's schede are loaded and scored (without
explanations), unless the band filter asks for every score."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator

from indicators.caricamento import CAMPI_OBIETTIVO, carica_figli
from indicators.engine.fasce import PER_CHIAVE, fascia
from indicators.engine.scoring import esiti_obiettivi
from objectives.access import anni_visibili, obiettivi_visibili
from objectives.models import Obiettivo
from objectives.pagina_piano import soglia
from objectives.piano_anno import SceltaPiano, piano_dell_anno
from peg.parametri import intero

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
    return _valutate(_filtrate(user, comune, filtri), filtri)


def pagina(user, comune, filtri: Filtri, numero) -> Page:
    """The page ``numero`` of ``righe`` (the first for nonsense, the last past the end).
    Without the band filter only the page's schede are loaded and scored."""
    obiettivi = _filtrate(user, comune, filtri)
    if filtri.fascia in PER_CHIAVE:
        return Paginator(_valutate(obiettivi, filtri), soglia()).get_page(numero)
    ids = list(obiettivi.values_list("pk", flat=True))
    scelta = Paginator(ids, soglia()).get_page(numero)
    scelta.object_list = _valutate(obiettivi.filter(pk__in=list(scelta.object_list)), filtri)
    return scelta


def _filtrate(user, comune, filtri: Filtri):
    obiettivi = (
        obiettivi_visibili(user, comune)
        .select_related("piano", "settore")
        .only(*CAMPI_OBIETTIVO, "piano", "denominazione", "versione")
    )
    if filtri.stato == "tutti":
        obiettivi = obiettivi.filter(stato__in=[S.RENDICONTATO, S.VALIDATO])
    elif filtri.stato in STATI_CODA:
        obiettivi = obiettivi.filter(stato=filtri.stato)
    if (settore := intero(filtri.settore)) is not None:
        obiettivi = obiettivi.filter(settore_id=settore)
    if (anno := intero(filtri.anno)) is not None:
        obiettivi = obiettivi.filter(anno=anno)
    return obiettivi.order_by(
        "-anno", "settore__codice", "settore__nome", "codice_ordinabile", "id"
    )


def _valutate(obiettivi, filtri: Filtri) -> list[tuple]:
    obiettivi = carica_figli(obiettivi, leggeri=True)
    esiti = esiti_obiettivi(obiettivi)
    risultato = []
    for obiettivo in obiettivi:
        esito = esiti[obiettivo.pk]
        banda = fascia(esito)
        if filtri.fascia in PER_CHIAVE and banda.chiave != filtri.fascia:
            continue
        risultato.append((obiettivo, esito, banda))
    return risultato


def anni(user, comune) -> list[int]:
    """The years of the schede the user sees, latest first (the year filter)."""
    return sorted(anni_visibili(user, comune), reverse=True)


def scelte(user, comune, ids) -> list[tuple]:
    """The queue's rows ``ids`` (those the user sees), scored: what a bulk validation
    is about to validate, for its confirmation."""
    obiettivi = _filtrate(user, comune, Filtri(stato="")).filter(pk__in=list(ids))
    return _valutate(obiettivi, Filtri())


def piano_del_documento(comune, anno: str):
    """The piano of the year filtered in the queue (for the link to the documento di
    validazione), None when there is no single one."""
    if (anno := intero(anno)) is None:
        return None
    try:
        return piano_dell_anno(comune, anno)
    except SceltaPiano:  # no piano, or several: the link is simply not offered
        return None
