"""The tables D.Lgs 33/2013 art. 20 asks for, from the distributions in force of a year:
«Ammontare complessivo dei premi» (stanziati and distribuiti) and «Dati relativi ai
premi» (the SMVP's criteria, the distribution by fascia, the degree of
differentiation). Never a name; and never a group so small that its figure is one
person's premio:

- a group (a category's fondo, a fascia) with fewer than ``SOGLIA`` persons is merged
  with the nearest one (the categories: the small ones together, then with the smallest
  of the others; the fasce: with the next lower fascia that has persons, the next higher
  when there is none below);
- when even everything together is fewer than ``SOGLIA`` persons the amounts are
  withheld (only the fondo stanziato is shown) and the page says why.

``trasparenza`` publishes these tables (it imports this module; this app never imports
``trasparenza``); the premi page shows the same tables as a preview.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

from indicators.engine.formatting import arrotonda, percentuale

from . import distribuzione as calcolo
from .fondi import descrivi_fascia, fasce_di
from .models import Smvp
from .premi import in_vigore

SOGLIA = 3
NASCOSTO = (
    f"Importi non pubblicati: meno di {SOGLIA} persone, i dati renderebbero riconoscibile "
    "il premio di ciascuno."
)
POCHI_PREMIATI = (
    "Numero delle persone con un premio, premio medio e coefficiente di variazione non "
    f"pubblicati: meno di {SOGLIA} persone hanno un premio, i dati renderebbero "
    "riconoscibile il premio di ciascuno."
)
TABELLA_NASCOSTA = (
    "La distribuzione {} non è pubblicata: un gruppo di meno di {} persone non ha un "
    "gruppo vicino a cui essere accorpato."
)


@dataclass
class Gruppo:
    etichetta: str
    persone: int
    distribuito: Decimal
    stanziato: Decimal | None = None
    quota_persone: Decimal | None = None  # % of the persons

    @property
    def medio(self) -> Decimal | None:
        return arrotonda(self.distribuito / self.persone) if self.persone else None

    def unisci(self, altro: Gruppo) -> Gruppo:
        stanziato = None
        if self.stanziato is not None and altro.stanziato is not None:
            stanziato = self.stanziato + altro.stanziato
        return Gruppo(
            f"{self.etichetta} + {altro.etichetta}",
            self.persone + altro.persone,
            self.distribuito + altro.distribuito,
            stanziato,
        )


@dataclass
class Tabelle:
    anno: int
    stanziato: Decimal
    distribuito: Decimal | None  # None: withheld
    residuo: Decimal | None
    per_fondo: list[Gruppo]
    per_fascia: list[Gruppo]
    criteri: list[str]
    persone: int
    con_premio: int | None
    premio_medio: Decimal | None
    variazione: Decimal | None  # coefficient of variation of the premi, in %
    beneficiari_81: int
    maggiorazione_81: Decimal | None
    note: list[str] = field(default_factory=list)


def _accorpa_categorie(gruppi: list[Gruppo]) -> list[Gruppo]:
    grandi = [g for g in gruppi if g.persone >= SOGLIA]
    piccoli = [g for g in gruppi if g.persone < SOGLIA]
    if not piccoli:
        return grandi
    insieme = piccoli[0]
    for g in piccoli[1:]:
        insieme = insieme.unisci(g)
    if not grandi and insieme.persone < SOGLIA:
        return []  # withheld: nothing to merge with
    if insieme.persone >= SOGLIA or not grandi:
        return [*grandi, insieme]
    minimo = min(grandi, key=lambda g: g.persone)
    return [insieme.unisci(g) if g is minimo else g for g in grandi]


def _accorpa_fasce(gruppi: list[Gruppo]) -> list[Gruppo]:
    """Highest fascia first; an empty fascia stays (nobody in it reveals nothing). A small
    group alone (nothing to merge with) is withheld: [] (the table is not published)."""
    gruppi = list(gruppi)
    while True:
        piccolo = next((i for i, g in enumerate(gruppi) if 0 < g.persone < SOGLIA), None)
        pieni = [i for i, g in enumerate(gruppi) if g.persone]
        if piccolo is None:
            return gruppi
        if len(pieni) < 2:
            return []
        sotto = [i for i in pieni if i > piccolo]
        vicino = sotto[0] if sotto else max(i for i in pieni if i < piccolo)
        a, b = sorted((piccolo, vicino))
        unito = gruppi[a]
        for g in gruppi[a + 1 : b + 1]:
            unito = unito.unisci(g) if g.persone else unito
        gruppi[a : b + 1] = [unito]


def criteri(smvp: Smvp) -> list[str]:
    """The SMVP's criteria of distribution, in sentences."""
    fasce = fasce_di(smvp)
    frasi = [
        f"{smvp.titolo} {smvp.anno}"
        + (f", adottato con delibera n. {smvp.delibera_numero}." if smvp.delibera_numero else "."),
        f"Criterio di distribuzione: {smvp.get_distribuzione_display().lower()}.",
        f"Fondi: {smvp.get_fondi_display().lower()}.",
        "Fasce di merito: "
        + "; ".join(descrivi_fascia(da, fasce).removeprefix("fascia ") for da, _ in fasce)
        + ".",
        "Ogni premio è arrotondato per difetto al centesimo: il totale non supera mai il "
        "fondo e la differenza resta come residuo non distribuito.",
    ]
    if smvp.richiede_validazione:
        frasi.append(
            "I premi si distribuiscono solo su risultati validati dal Nucleo di valutazione "
            "(art. 14 c. 6 D.Lgs 150/2009)."
        )
    if any(c.differenziazione_premio for c in smvp.categorie.all()):
        frasi.append(
            "Differenziazione del premio individuale (art. 81 CCNL Funzioni Locali "
            f"2019-2021): maggiorazione del {percentuale(smvp.maggiorazione)} del premio "
            f"medio al {percentuale(smvp.quota_beneficiari)} del personale con i punteggi "
            "più alti; a pari punteggio al limite della quota nessuno dei pari merito la "
            "riceve; la maggiorazione è compresa nel fondo."
        )
    return frasi


def _per_fondo(distribuzioni) -> list[Gruppo]:
    return [
        Gruppo(
            d.categoria.nome if d.categoria else "Fondo unico",
            len(d.quote.all()),
            d.distribuito,
            d.fondo,
        )
        for d in distribuzioni
    ]


def _per_fascia(smvp: Smvp, quote) -> list[Gruppo]:
    """One group per fascia, highest first, and «nessuna fascia (0%)» last for the scores
    below every one (only when somebody is: fasce without a 0% band): merging must see
    everybody, or a lone fascia of two would publish their premi. Which fascia holds a
    score is ``individuale.distribuzione``'s rule, the distribution's own."""
    fasce = sorted(fasce_di(smvp), reverse=True)
    gruppi = {
        fascia: Gruppo(descrivi_fascia(fascia[0], fasce).removeprefix("fascia "), 0, Decimal(0))
        for fascia in fasce
    }
    sotto = Gruppo("nessuna fascia (0%)", 0, Decimal(0))  # as fondi.descrivi_fascia says
    for q in quote:
        g = gruppi.get(calcolo.fascia(q.punteggio, fasce), sotto)
        g.persone += 1
        g.distribuito += q.importo
    return [*gruppi.values(), *([sotto] if sotto.persone else [])]


def _variazione(importi: list[Decimal]) -> Decimal | None:
    if len(importi) < 2:
        return None
    media = sum(importi) / len(importi)
    if media == 0:
        return None
    varianza = sum((x - media) ** 2 for x in importi) / len(importi)
    return arrotonda(Decimal(math.sqrt(varianza)) / media * 100)


def _unica(valori: set) -> Decimal | None:
    return next(iter(valori)) if len(valori) == 1 else None


def tabelle(smvp: Smvp, distribuzioni=None) -> Tabelle | None:
    """The art. 20 tables of the year (None: no distribution in force)."""
    distribuzioni = in_vigore(smvp) if distribuzioni is None else distribuzioni
    if not distribuzioni:
        return None
    quote = [q for d in distribuzioni for q in d.quote.all()]
    stanziato = sum((d.fondo for d in distribuzioni), Decimal(0))
    distribuito = sum((d.distribuito for d in distribuzioni), Decimal(0))
    importi = [q.importo for q in quote]
    beneficiari = [q for q in quote if q.maggiorazione > 0]
    tab = Tabelle(
        anno=smvp.anno,
        stanziato=stanziato,
        distribuito=distribuito,
        residuo=stanziato - distribuito,
        per_fondo=_accorpa_categorie(_per_fondo(distribuzioni)),
        per_fascia=_accorpa_fasce(_per_fascia(smvp, quote)),
        criteri=criteri(smvp),
        persone=len(quote),
        con_premio=sum(1 for x in importi if x > 0),
        premio_medio=arrotonda(distribuito / len(quote)) if quote else None,
        variazione=_variazione(importi),
        beneficiari_81=len(beneficiari),
        # One amount when every fondo gave the same (else per fondo: not one figure).
        maggiorazione_81=_unica({q.maggiorazione for q in beneficiari}),
    )
    for g in tab.per_fascia:
        g.quota_persone = arrotonda(Decimal(g.persone) * 100 / tab.persone) if tab.persone else None
    if tab.persone < SOGLIA:
        tab.distribuito = tab.residuo = tab.premio_medio = tab.variazione = None
        tab.con_premio = tab.maggiorazione_81 = None
        tab.per_fondo, tab.per_fascia = [], []
        tab.note.append(NASCOSTO)
        return tab
    if tab.con_premio < SOGLIA:
        tab.con_premio = tab.premio_medio = tab.variazione = None
        tab.note.append(POCHI_PREMIATI)
    if 0 < tab.beneficiari_81 < SOGLIA:
        # The maggiorazione of fewer than SOGLIA persons would be their own amount.
        tab.maggiorazione_81 = None
    for gruppi, quale in ((tab.per_fondo, "per fondo"), (tab.per_fascia, "per fascia")):
        if not gruppi:
            tab.note.append(TABELLA_NASCOSTA.format(quale, SOGLIA))
    if any("+" in g.etichetta for g in tab.per_fondo + tab.per_fascia):
        tab.note.append(
            f"I gruppi con meno di {SOGLIA} persone sono accorpati al più vicino (segno «+»): "
            "nessun importo rende riconoscibile il premio di una persona."
        )
    return tab


def tabelle_del_comune(comune, anno: int) -> Tabelle | None:
    """The tables of the comune's premi of ``anno`` (None: no SMVP or no distribution)."""
    smvp = Smvp.objects.filter(comune=comune, anno=anno).first()
    return tabelle(smvp) if smvp is not None else None
