"""The piano's page at any size: the filters of its query string and how much it shows.

Up to ``PIANO_SCHEDE_IN_PAGINA`` schede (a setting from the environment, 100 unless
set) the page lists them all, by settore; a bigger selection shows each settore as a collapsed section
whose schede arrive on demand (``leggi_settore``: that settore alone, in the loader's
five queries), so the page stays small whatever the piano's size. The settore's page
is also a page of its own, for a browser without JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings

from indicators.caricamento import CAMPI_OBIETTIVO, carica_figli
from indicators.engine.scoring import Sistema, calcola
from indicators.engine.weights import verifica_pesi
from peg.parametri import intero

from .models import Obiettivo

SCHEDE_IN_PAGINA = 100
STATI = dict(Obiettivo.Stato.choices)
# What the list shows of a scheda besides what scoring reads.
CAMPI = (*CAMPI_OBIETTIVO, "denominazione")
ORDINE = ("settore__codice", "settore__nome", "anno", "codice_ordinabile", "id")


def soglia() -> int:
    """Up to how many schede the piano's page lists in full."""
    return getattr(settings, "PIANO_SCHEDE_IN_PAGINA", SCHEDE_IN_PAGINA) or SCHEDE_IN_PAGINA


@dataclass
class FiltriPiano:
    """?settore=&stato=&anno= of the page: anything unknown is ignored."""

    settore: str = ""
    stato: str = ""
    anno: str = ""

    @classmethod
    def da(cls, parametri) -> FiltriPiano:
        settore, anno = parametri.get("settore") or "", parametri.get("anno") or ""
        stato = parametri.get("stato") or ""
        return cls(
            settore=settore if intero(settore) is not None else "",
            stato=stato if stato in STATI else "",
            anno=anno if intero(anno) is not None else "",
        )

    @property
    def attivi(self) -> bool:
        return bool(self.settore or self.stato or self.anno)

    def ammette(self, obiettivo) -> bool:
        return (
            (not self.settore or obiettivo.settore_id == int(self.settore))
            and (not self.stato or obiettivo.stato == self.stato)
            and (not self.anno or obiettivo.anno == int(self.anno))
        )

    def applica(self, obiettivi):
        """The same filters on a queryset (stato and anno: the settore is the caller's)."""
        if self.stato:
            obiettivi = obiettivi.filter(stato=self.stato)
        if self.anno:
            obiettivi = obiettivi.filter(anno=int(self.anno))
        return obiettivi

    def query(self, **altro) -> str:
        """The query string that keeps these filters (``altro`` replaces some)."""
        valori = {**vars(self), **altro}
        return urlencode({k: v for k, v in valori.items() if v})


@dataclass
class Elenco:
    """The schede the page shows, by settore, and whether it lists them in full."""

    per_settore: dict  # settore → [obiettivo] that pass the filters
    n: int
    intero: bool


def elenco(per_settore: dict, filtri: FiltriPiano) -> Elenco:
    scelti = {}
    for settore, obiettivi in per_settore.items():
        voci = [o for o in obiettivi if filtri.ammette(o)]
        if voci:
            scelti[settore] = voci
    n = sum(len(v) for v in scelti.values())
    return Elenco(scelti, n, n <= soglia())


def tabella(punteggi: dict, settori) -> list[tuple]:
    """[(anno, esito dell'ente, [esito of each settore in ``settori``' order, or None])]:
    the page's table of scores without looking each one up in the template."""
    return [
        (anno, p.ente, [p.settori.get(settore) for settore in settori])
        for anno, p in punteggi.items()
    ]


def leggi_settore(piano, visibili, settore, filtri: FiltriPiano) -> list[Obiettivo]:
    """The visible schede of one settore of the piano that pass the filters, each with
    its weight sums and score (without explanation: the list does not show it; children
    as light rows: it reads only their number and weights)."""
    obiettivi = carica_figli(
        filtri.applica(visibili.filter(piano=piano, settore=settore))
        .select_related("settore")
        .only(*CAMPI)
        .order_by(*ORDINE),
        leggeri=True,
    )
    sistema = Sistema.del_piano(piano)
    per_anno: dict[int, list] = {}
    for obiettivo in obiettivi:
        obiettivo.pesi_indicatori = verifica_pesi(i.peso for i in obiettivo.figli["indicatori"])
        obiettivo.pesi_fasi = verifica_pesi(f.peso for f in obiettivo.figli["fasi"])
        per_anno.setdefault(obiettivo.anno, []).append(obiettivo)
    esiti = {}
    for lista in per_anno.values():
        esiti.update(calcola(lista, sistema, spiega=False).obiettivi)
    for obiettivo in obiettivi:
        obiettivo.esito = esiti[obiettivo.pk]
    return obiettivi
