"""What the dashboards show, from a bounded number of queries whatever the piano's size.

Scores come from ``carica_punteggi`` (a fixed number of queries for the whole piano);
only the schede the user may see count: when some are hidden (a responsabile and the
other settori's drafts) settori and ente are scored again on the visible ones alone,
from what is already loaded.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from indicators.caricamento import carica_punteggi
from indicators.engine import fasce
from indicators.engine.scoring import PunteggiPiano, Sistema, calcola
from objectives.access import anni_e_stati_visibili
from objectives.models import Fase, Obiettivo
from peg.organigramma_piano import come_nel_piano
from peg.parametri import intero

from .svg import Voce

COLORI_FASCE = {
    "piena": "#00663d",
    "alta": "#5aa469",
    "media": "#cc7a00",
    "bassa": "#b00020",
    "non_calcolato": "#9aa5b1",
}


@dataclass
class RigaObiettivo:
    id: int
    codice: str
    denominazione: str
    stato: str
    stato_label: str
    esito: object
    href: str

    @property
    def fascia(self) -> fasce.Fascia:
        return fasce.fascia(self.esito)


@dataclass
class RigaSettore:
    settore: object
    esito: object
    obiettivi: int
    href: str
    per_fascia: dict = field(default_factory=dict)


@dataclass
class Dati:
    punteggi: PunteggiPiano
    info: dict  # obiettivo id -> (codice, stato, denominazione) of the visible schede


RENDICONTATI = (Obiettivo.Stato.RENDICONTATO, Obiettivo.Stato.VALIDATO)


def anni_e_anno(user, piano, richiesto: str | None, settore=None) -> tuple[list[int], int]:
    """The years in which the user sees schede of the piano (of a settore), and the year
    a dashboard, relazione or book shows: ?anno= when it is one of the piano's, else the
    year being reported (``anno_in_rendicontazione``)."""
    coppie = anni_e_stati_visibili(user, piano.comune, piano, settore)
    anni = sorted({a for a, _ in coppie})
    anno = intero(richiesto)
    if anno is not None and anno in piano.anni:
        return anni, anno
    rendicontati = {a for a, stato in coppie if stato in RENDICONTATI}
    return anni, anno_in_rendicontazione(piano, anni, rendicontati)


def anno_richiesto(user, piano, richiesto: str | None, settore=None) -> int:
    """The year of ``anni_e_anno`` without reading the years when ?anno= names one of
    the piano's (a section of a page, which always says its year)."""
    if intero(richiesto) in piano.anni:
        return intero(richiesto)
    return anni_e_anno(user, piano, richiesto, settore)[1]


def anno_in_rendicontazione(piano, anni: list[int], rendicontati: set[int]) -> int:
    """The latest year with schede rendicontate or validate; else the current year if
    it has schede; else the latest year with schede (the piano's first without any)."""
    if rendicontati:
        return max(rendicontati)
    if timezone.localdate().year in anni:
        return timezone.localdate().year
    return anni[-1] if anni else piano.anno_inizio


def carica(piano, visibili, anno: int, settore=None) -> Dati:
    schede = visibili.filter(piano=piano, anno=anno)
    if settore is not None:
        schede = schede.filter(settore=settore)
    info = {
        pk: (codice, stato, denominazione)
        for pk, codice, stato, denominazione in schede.values_list(
            "id", "codice", "stato", "denominazione"
        )
    }
    punteggi = carica_punteggi(piano, anno=anno, settore=settore)
    if set(punteggi.obiettivi) - set(info):
        obiettivi = [o for voci in punteggi.per_settore.values() for o, _ in voci if o.pk in info]
        punteggi = calcola(
            obiettivi, Sistema.del_piano(piano), etichetta_ente=str(piano.comune), spiega=False
        )
    # The settori as the piano approved them (``peg.organigramma_piano``), the page's too.
    come_nel_piano(piano, [*punteggi.settori, *([settore] if settore is not None else [])])
    return Dati(punteggi, info)


def righe_obiettivi(dati: Dati, comune, settore=None) -> list[RigaObiettivo]:
    etichette = dict(Obiettivo.Stato.choices)
    voci = (
        dati.punteggi.per_settore.get(settore, [])
        if settore is not None
        else [v for lista in dati.punteggi.per_settore.values() for v in lista]
    )
    righe = []
    for obiettivo, esito in voci:
        codice, stato, denominazione = dati.info[obiettivo.pk]
        righe.append(
            RigaObiettivo(
                obiettivo.pk,
                codice,
                denominazione,
                stato,
                etichette.get(stato, stato),
                esito,
                reverse("obiettivo", args=[comune.slug, obiettivo.pk]),
            )
        )
    return righe


def righe_settori(dati: Dati, piano, anno: int) -> list[RigaSettore]:
    righe = []
    for settore, esito in dati.punteggi.settori.items():
        voci = dati.punteggi.per_settore[settore]
        conta = Counter(fasce.fascia(e).chiave for _, e in voci)
        href = reverse("cruscotto_settore", args=[piano.comune.slug, piano.pk, settore.pk])
        righe.append(
            RigaSettore(
                settore,
                esito,
                len(voci),
                f"{href}?anno={anno}",
                {f.chiave: conta[f.chiave] for f in fasce.FASCE},
            )
        )
    return righe


def voce_esito(etichetta: str, esito, href: str = "") -> Voce:
    """A bar for a score: the value that counts, the engine's when the OIV set another."""
    return Voce(
        etichetta,
        esito.punteggio,
        calcolato=fasce.punteggio_calcolato(esito),
        testo="" if esito.punteggio is not None else esito.stato,
        href=href,
    )


def per_fascia(esiti) -> list[Voce]:
    conta = Counter(fasce.fascia(e).chiave for e in esiti)
    return [Voce(f.etichetta, conta[f.chiave], colore=COLORI_FASCE[f.chiave]) for f in fasce.FASCE]


def per_stato(stati) -> list[Voce]:
    conta = Counter(stati)
    return [Voce(s.label, conta[s.value]) for s in Obiettivo.Stato]


def fasi_settore(visibili, piano, anno: int, settore, info: dict) -> list[Fase]:
    """The fasi of the settore's visible schede of the year (one query), each with the
    obiettivo heading its group in the Gantt."""
    fasi = list(
        Fase.objects.filter(obiettivo__in=visibili.filter(piano=piano, anno=anno, settore=settore))
        .annotate(codice_obiettivo=F("obiettivo__codice"))
        .only(
            "id",
            "obiettivo_id",
            "numero",
            "descrizione",
            "data_inizio_prevista",
            "data_fine_prevista",
            "data_inizio_effettiva",
            "data_fine_effettiva",
        )
        .order_by("obiettivo__codice_ordinabile", "obiettivo_id", "numero")
    )
    for fase in fasi:
        denominazione = info.get(fase.obiettivo_id, ("", "", ""))[2]
        fase.gruppo_obiettivo = f"{fase.codice_obiettivo} – {denominazione}"
    return fasi
