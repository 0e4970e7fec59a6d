"""How a fondo is divided among the persons evaluated: pure arithmetic, the standard
library only (no Django: it imports and runs without settings, like
``indicators.engine``; tests/test_architettura.py checks it).

The rules (docs/premi.md says them in Italian):

- **fascia**: the fasce are (da, percentuale) pairs; a score belongs to the fascia with
  the highest ``da`` not above it (``da`` included); below every ``da``: no fascia (0%).
- **peso** of a person = percentuale of his fascia × final score; with the criterion
  «servizio» also × part-time % × days of service (the /100 and /365 are a factor common
  to everybody and cancel out in the proportion, so the weights stay exact).
- **importo** = fondo × peso / Σ pesi, rounded DOWN to the cent (computed with exact
  fractions): the total never exceeds the fondo and equal inputs get equal amounts (no
  «largest remainder» cents handed to somebody). The residuo = fondo − Σ importi.
- **art. 81 CCNL Funzioni Locali 2019-2021** (only the persons of a category with
  ``differenziazione_premio``, «differenziabili»):
  1. a first pass divides the whole fondo as above;
  2. P̄ = the average first-pass premio of the differenziabili valued positively
     (premio > 0); M = maggiorazione% × P̄ rounded UP to the cent (never below the
     contractual minimum);
  3. how many may get it: floor(n × quota% / 100) with n the differenziabili, at least 1
     when quota > 0 and n > 0;
  4. who: the differenziabili with a fascia > 0, by final score from the top, a whole
     group of equal scores at a time; a group that would go past the number is excluded
     with everybody below it (equal scores always get equal premi: with a tie at the top
     wider than the number nobody gets it);
  5. the k × M come out of the same resources — the differenziabili's share of the
     fondo (fondo × their weights / all weights, exact): a second pass divides that share − k × M
     among the differenziabili only, then each beneficiary gets base + M; the others
     (e.g. EQ sharing a fondo unico with the comparto staff) keep their first-pass premio.
  When k × M exceeds that share the distribution is refused (``DistribuzioneImpossibile``).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
CENTO = Decimal(100)


class DistribuzioneImpossibile(ValueError):
    """The fondo cannot be divided with these rules; ``str()`` says why, in Italian."""


@dataclass(frozen=True)
class Valutato:
    """One person as the distribution sees him (``chiave``: whatever identifies him)."""

    chiave: Hashable
    punteggio: Decimal
    percentuale_servizio: Decimal = CENTO
    giorni_servizio: int = 365
    differenziabile: bool = False


@dataclass(frozen=True)
class Quota:
    chiave: Hashable
    punteggio: Decimal
    fascia: Decimal | None  # the fascia's percentuale; None: below every fascia
    peso: Decimal
    base: Decimal
    maggiorazione: Decimal
    importo: Decimal


@dataclass(frozen=True)
class Esito:
    fondo: Decimal
    quote: list[Quota]
    distribuito: Decimal
    residuo: Decimal
    # Art. 81: None when nobody in the fondo is differenziabile.
    premio_medio: Decimal | None = None
    maggiorazione: Decimal = ZERO
    posti: int = 0  # how many the quota allows
    beneficiari: list = field(default_factory=list)  # their chiavi
    # Why fewer than ``posti`` got it (a tie at the boundary, nobody with a fascia).
    nota: str = ""


def fascia(
    punteggio: Decimal, fasce: Iterable[tuple[Decimal, Decimal]]
) -> tuple[Decimal, Decimal] | None:
    """The fascia (da, percentuale) containing ``punteggio`` (None: below every one): the
    one rule, also for the descriptions and the art. 20 tables."""
    sotto = [(da, perc) for da, perc in fasce if da <= punteggio]
    return max(sotto) if sotto else None


def fascia_di(punteggio: Decimal, fasce: Iterable[tuple[Decimal, Decimal]]) -> Decimal | None:
    """The percentuale of the fascia containing ``punteggio`` (None: below every one)."""
    trovata = fascia(punteggio, fasce)
    return trovata[1] if trovata else None


def peso(v: Valutato, fasce: Sequence[tuple[Decimal, Decimal]], per_servizio: bool) -> Decimal:
    perc = fascia_di(v.punteggio, fasce) or Decimal(0)
    w = perc * v.punteggio
    if per_servizio:
        w *= v.percentuale_servizio * v.giorni_servizio
    return w


def _numero(valore: Decimal) -> str:
    """1.234,56 for the messages (the pages format with indicators.engine.formatting)."""
    return f"{valore:,.2f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def _euro(valore: Decimal) -> str:
    return f"€ {_numero(valore)}"


def _centesimi(valore: Fraction) -> Decimal:
    """Down to the cent, exact (never rounded up by a float or a 28-digit division)."""
    return Decimal(math.floor(valore * 100)) / 100


def ripartisci(fondo: Decimal, pesi: dict[Hashable, Decimal]) -> dict[Hashable, Decimal]:
    """fondo × peso / Σ pesi per key, down to the cent (all 0 when no weight is > 0)."""
    totale = sum(pesi.values(), Decimal(0))
    if totale <= 0 or fondo <= 0:
        return dict.fromkeys(pesi, ZERO)
    f, t = Fraction(fondo), Fraction(totale)
    return {k: _centesimi(f * Fraction(w) / t).quantize(CENT) for k, w in pesi.items()}


def _ripartisci_esatto(somma: Fraction, pesi: dict[Hashable, Decimal]) -> dict:
    """``ripartisci`` of an exact (unrounded) amount."""
    totale = Fraction(sum(pesi.values(), Decimal(0)))
    if totale <= 0 or somma <= 0:
        return dict.fromkeys(pesi, ZERO)
    return {k: _centesimi(somma * Fraction(w) / totale).quantize(CENT) for k, w in pesi.items()}


def _posti(n: int, quota: Decimal) -> int:
    if n == 0 or quota <= 0:
        return 0
    return max(1, math.floor(Fraction(n) * Fraction(quota) / 100))


def beneficiari(candidati: list[Valutato], posti: int) -> tuple[list[Valutato], str]:
    """The top of the ranking by score, whole groups of equal scores only."""
    per_punteggio: dict[Decimal, list[Valutato]] = {}
    for v in candidati:
        per_punteggio.setdefault(v.punteggio, []).append(v)
    scelti: list[Valutato] = []
    for punteggio in sorted(per_punteggio, reverse=True):
        gruppo = per_punteggio[punteggio]
        if len(scelti) + len(gruppo) > posti:
            if len(scelti) == posti:
                return scelti, ""
            nota = (
                f"{len(gruppo)} a pari punteggio ({_numero(punteggio)}) oltre i posti disponibili "
                f"({posti - len(scelti)}): esclusi tutti, perché a pari punteggio spetta "
                "pari premio."
            )
            return scelti, nota
        scelti += gruppo
    return scelti, ""


def distribuisci(
    fondo: Decimal,
    valutati: Sequence[Valutato],
    fasce: Sequence[tuple[Decimal, Decimal]],
    *,
    per_servizio: bool = False,
    maggiorazione: Decimal = Decimal(30),
    quota_beneficiari: Decimal = Decimal(0),
) -> Esito:
    """Divide ``fondo`` among ``valutati`` (see the module's docstring)."""
    if fondo < 0:
        raise DistribuzioneImpossibile("Il fondo non può essere negativo.")
    chiavi = [v.chiave for v in valutati]
    if len(set(chiavi)) != len(chiavi):
        raise DistribuzioneImpossibile("La stessa persona compare due volte.")
    fasce = list(fasce)
    pesi = {v.chiave: peso(v, fasce, per_servizio) for v in valutati}
    prima = ripartisci(fondo, pesi)
    differenziabili = [v for v in valutati if v.differenziabile]
    premio_medio, m, posti, scelti, nota = None, ZERO, 0, [], ""
    if differenziabili:
        positivi = [prima[v.chiave] for v in differenziabili if prima[v.chiave] > 0]
        media = Fraction(sum(positivi, Decimal(0))) / len(positivi) if positivi else Fraction(0)
        premio_medio = Decimal(media.numerator) / Decimal(media.denominator)
        premio_medio = premio_medio.quantize(CENT, rounding=ROUND_HALF_UP)
        m = Decimal(math.ceil(media * Fraction(maggiorazione) / 100 * 100)) / 100
        m = m.quantize(CENT)
        posti = _posti(len(differenziabili), quota_beneficiari)
        candidati = [v for v in differenziabili if fascia_di(v.punteggio, fasce)]
        if not candidati and posti:
            nota = "Nessuno ha un punteggio in una fascia con premio."
        elif m > 0 and posti:
            scelti, nota = beneficiari(candidati, posti)
    # The maggiorazioni come out of the differenziabili's own share of the fondo (exact,
    # before rounding: fondo × their weights / all weights): the others (e.g. the EQ
    # sharing a fondo unico) keep their first-pass premio.
    totale_m = m * len(scelti)
    pesi_d = {v.chiave: pesi[v.chiave] for v in differenziabili}
    totale_pesi = sum(pesi.values(), Decimal(0))
    parte = (
        Fraction(fondo) * Fraction(sum(pesi_d.values(), Decimal(0))) / Fraction(totale_pesi)
        if totale_pesi > 0
        else Fraction(0)
    )
    if totale_m > parte:
        raise DistribuzioneImpossibile(
            f"Le maggiorazioni dell'art. 81 ({len(scelti)} × {_euro(m)}) superano la parte "
            f"del fondo che spetta al personale interessato ({_euro(_centesimi(parte))}): "
            "aumenta il fondo o riduci la quota dei beneficiari."
        )
    basi = dict(prima)
    if scelti:
        basi |= _ripartisci_esatto(parte - Fraction(totale_m), pesi_d)
    premiati = {v.chiave for v in scelti}
    quote = []
    for v in valutati:
        extra = m if v.chiave in premiati else ZERO
        base = basi[v.chiave]
        quote.append(
            Quota(
                v.chiave,
                v.punteggio,
                fascia_di(v.punteggio, fasce),
                pesi[v.chiave],
                base,
                extra,
                base + extra,
            )
        )
    distribuito = sum((q.importo for q in quote), ZERO)
    return Esito(
        fondo=fondo,
        quote=quote,
        distribuito=distribuito,
        residuo=fondo - distribuito,
        premio_medio=premio_medio,
        maggiorazione=m,
        posti=posti,
        beneficiari=[v.chiave for v in scelti],
        nota=nota,
    )
