"""A round and the rounds of a piano as their pages show them: per settore who is
behind, its responsabili, the last e-mail, whether the round is open for it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count

from peg.access import responsabili_per_settore

from ..models import Avviso, Campagna
from .finestre import aperta, in_finestra, stato_generale, stato_settore
from .mancanti import Ritardo, mancanti, settori_della_campagna


@dataclass
class RigaSettore:
    settore: object
    responsabili: list
    ritardo: Ritardo
    ultimo_avviso: Avviso | None
    stato: str
    aperta: bool


@dataclass
class Situazione:
    campagna: Campagna
    stato: str
    in_finestra: bool
    conclusa: bool
    da_aprire: bool
    righe: list[RigaSettore] = field(default_factory=list)
    avvisi: list[Avviso] = field(default_factory=list)

    @property
    def in_ritardo(self) -> int:
        return sum(1 for r in self.righe if r.ritardo.n and r.aperta)


def situazione(campagna: Campagna, oggi: date) -> Situazione:
    """The round's page, in a fixed number of queries."""
    ritardi = mancanti(campagna)
    per_settore = responsabili_per_settore(campagna.piano.comune_id)
    avvisi = list(
        campagna.avvisi.select_related("settore", "inviato_da").order_by("-quando", "-id")
    )
    ultimi: dict = {}
    for avviso in avvisi:
        ultimi.setdefault(avviso.settore_id, avviso)
    return Situazione(
        campagna,
        stato_generale(campagna, oggi),
        in_finestra(campagna, oggi),
        conclusa=campagna.chiusa_il is not None or oggi > campagna.scadenza,
        da_aprire=campagna.avviso_apertura_il is None
        and campagna.chiusa_il is None
        and campagna.apertura <= oggi <= campagna.scadenza,
        righe=[
            RigaSettore(
                settore,
                per_settore.get(settore.pk, []),
                ritardi.get(settore.pk) or Ritardo(settore.pk),
                ultimi.get(settore.pk),
                stato_settore(campagna, settore.pk, oggi),
                aperta(campagna, settore.pk, oggi),
            )
            for settore in settori_della_campagna(campagna)
        ],
        avvisi=avvisi,
    )


def del_piano(piano, oggi: date) -> list[Campagna]:
    """The piano's rounds, each with ``stato``, ``riaperte`` (running) and ``n_avvisi``."""
    elenco = list(
        piano.campagne.annotate(n_avvisi=Count("avvisi"))
        .prefetch_related("riaperture")
        .order_by("-anno", "apertura", "id")
    )
    for campagna in elenco:
        campagna.stato = stato_generale(campagna, oggi)
        campagna.riaperte = [r for r in campagna.riaperture.all() if r.fino_al >= oggi]
    return elenco


def anno_proposto(piano, oggi: date) -> int:
    """The year a new round is for by default: this year if in the piano, else its first."""
    return oggi.year if oggi.year in piano.anni else piano.anno_inizio
