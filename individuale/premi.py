"""The premi of a year: which fondi, which schede and scores, the gate, and the saved
distribution (the arithmetic is ``individuale.distribuzione``'s, pure).

- **Fondi**: with «un fondo per ogni categoria» each category with schede is divided
  with its own ``Categoria.fondo`` (a category without a fondo is left out, with a
  warning); with «fondo unico» ``Smvp.fondo_unico`` is divided among the schede of every
  category (one ``Distribuzione`` with ``categoria`` None). An amount given by the
  caller (``--fondo``, the simulation's field) replaces the fondo unico, or the fondo of
  the one category asked for.
- **Scores**: a DEFINITIVA scheda counts with its frozen ``punteggio_finale``; the
  simulation uses for the others the score computed now
  (``individuale.punteggi.punteggi_delle_schede``), flagged «provvisorio» when the
  organisational results are not all validated; a scheda without a final score yet
  (a vote missing) is left out and listed.
- **Gate**: the real run needs every scheda of the fondo DEFINITIVA (the frozen score,
  after the conciliazione's term; with ``richiede_validazione`` a scheda cannot become
  DEFINITIVA before the Nucleo validated: art. 14 c. 6 D.Lgs 150/2009). Otherwise it is
  refused listing who is not, and which expired terms the segreteria may close
  («Rendi definitive»). The simulation works anyway, with warnings.
- **Saving**: in one transaction (the SMVP row locked: two runs never interleave) the
  distributions in force that the run replaces are superseded (``attiva`` False, kept
  as the record) and the new one is saved with a ``Quota`` per person. What is replaced,
  the run refused when a fondo unico's persons would lose their premio, and the vincoli
  registered by the apps above (published tables): ``individuale.vigore``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from indicators.engine.formatting import data_lunga, euro, numero

from . import distribuzione as calcolo
from .fondi import (
    Fondo,
    PremiNonDistribuibili,
    categoria_di,
    descrivi_fascia,
    fasce_di,
    fondi,
    leggi_euro,
)
from .models import Categoria, Distribuzione, Quota, SchedaIndividuale, Smvp
from .vigore import (
    da_sostituire,
    in_vigore,
    motivo_perdita,
    sostituisci,
    verifica_vincoli,
)
from .workflow import scadenza_conciliazione

S = SchedaIndividuale.Stato


@dataclass
class Riga:
    scheda: SchedaIndividuale
    quota: calcolo.Quota
    fascia: str
    provvisorio: bool = False

    @property
    def beneficiario(self) -> bool:
        return self.quota.maggiorazione > 0

    def testo(self) -> str:
        """``Mario Conti  87,50  fascia ≥ 90 (100%)  € 1.234,56`` (docs/premi.md)."""
        riga = f"{self.scheda.persona.nome}  {numero(self.quota.punteggio)}  {self.fascia}  "
        riga += euro(self.quota.importo)
        if self.beneficiario:
            riga += f"  (di cui maggiorazione art. 81 {euro(self.quota.maggiorazione)})"
        if self.provvisorio:
            riga += "  [provvisorio]"
        return riga


@dataclass
class Calcolo:
    fondo: Fondo
    esito: calcolo.Esito
    righe: list[Riga]
    avvisi: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- scores and the gate


def _non_definitive(schede) -> list[str]:
    """«Nome (stato)» of the schede not yet DEFINITIVA, saying when the term expired."""
    oggi = timezone.localdate()
    voci = []
    for s in schede:
        if s.stato == S.DEFINITIVA and s.punteggio_finale is not None:
            continue
        voce = f"{s.persona.nome} ({s.get_stato_display().lower()}"
        scadenza = scadenza_conciliazione(s) if s.stato == S.CONSEGNATA else None
        if scadenza is not None and scadenza < oggi:
            voce += f": termine di conciliazione scaduto il {data_lunga(scadenza)}, si può rendere definitiva"
        voci.append(voce + ")")
    return voci


def verifica_definitive(smvp: Smvp, elenco: list[Fondo]) -> None:
    voci = [v for f in elenco for v in _non_definitive(f.schede)]
    if voci:
        perche = (
            " (art. 14 c. 6 D.Lgs 150/2009: nessun premio su risultati non validati)"
            if smvp.richiede_validazione
            else ""
        )
        raise PremiNonDistribuibili(
            "I premi si distribuiscono quando tutte le schede del fondo sono definitive"
            f"{perche}. Non lo sono: {'; '.join(voci)}."
        )


def _punteggi(schede) -> dict[int, tuple[Decimal | None, bool, str]]:
    """scheda id → (final score, provvisorio, what is missing)."""
    risultato = {}
    da_calcolare = []
    for s in schede:
        if s.stato == S.DEFINITIVA and s.punteggio_finale is not None:
            risultato[s.pk] = (s.punteggio_finale, False, "")
        else:
            da_calcolare.append(s)
    if da_calcolare:
        from .punteggi import punteggi_delle_schede

        for pk, p in punteggi_delle_schede(da_calcolare).items():
            risultato[pk] = (p.finale, not p.validati, "; ".join(p.mancanti))
    return risultato


# ---------------------------------------------------------------- the computation


def _calcola_fondo(smvp: Smvp, fondo: Fondo, fasce) -> Calcolo:
    punteggi = _punteggi(fondo.schede)
    avvisi, valutati, per_chiave = [], [], {}
    for s in fondo.schede:
        punteggio, provvisorio, mancanti = punteggi.get(s.pk, (None, True, ""))
        if punteggio is None:
            avvisi.append(
                f"{s.persona.nome}: punteggio finale non ancora calcolabile"
                f"{f' ({mancanti})' if mancanti else ''}, escluso dalla simulazione."
            )
            continue
        per_chiave[s.pk] = (s, provvisorio)
        valutati.append(
            calcolo.Valutato(
                s.pk,
                punteggio,
                s.percentuale_servizio,
                s.giorni_servizio,
                s.categoria.differenziazione_premio,
            )
        )
    if not valutati:
        raise PremiNonDistribuibili(f"{fondo.nome}: nessuna scheda ha un punteggio finale.")
    try:
        esito = calcolo.distribuisci(
            fondo.importo,
            valutati,
            fasce,
            per_servizio=smvp.distribuzione == Smvp.Distribuzione.SERVIZIO,
            maggiorazione=smvp.maggiorazione,
            quota_beneficiari=smvp.quota_beneficiari,
        )
    except calcolo.DistribuzioneImpossibile as exc:
        raise PremiNonDistribuibili(f"{fondo.nome}: {exc}") from exc
    righe = [
        Riga(
            per_chiave[q.chiave][0], q, descrivi_fascia(q.punteggio, fasce), per_chiave[q.chiave][1]
        )
        for q in esito.quote
    ]
    righe.sort(key=lambda r: (-r.quota.punteggio, r.scheda.persona.nome, r.scheda.pk))
    if esito.nota:
        avvisi.append(f"{fondo.nome}, maggiorazione art. 81: {esito.nota}")
    if any(r.provvisorio for r in righe):
        avvisi.append(
            f"{fondo.nome}: punteggi provvisori, i risultati organizzativi non sono ancora "
            "tutti validati dal Nucleo."
        )
    return Calcolo(fondo, esito, righe, avvisi)


def calcola(
    smvp: Smvp,
    *,
    categoria: Categoria | None = None,
    importo: Decimal | None = None,
    simulazione: bool = True,
) -> tuple[list[Calcolo], list[str]]:
    """The distribution of every fondo asked for, not saved; (calcoli, warnings).
    ``simulazione`` False applies the gate, the vincoli and the rule that nobody loses a
    premio in force unsaid (``individuale.vigore``), raising PremiNonDistribuibili; the
    simulation only warns."""
    if not simulazione:
        verifica_vincoli(smvp)
    elenco, avvisi = fondi(smvp, categoria, importo)
    perdita = motivo_perdita(da_sostituire(smvp, elenco), categoria)
    if simulazione:
        voci = [v for f in elenco for v in _non_definitive(f.schede)]
        if voci:
            avvisi.append(
                "Non tutte le schede sono definitive: la distribuzione vera sarà "
                f"rifiutata finché non lo sono ({'; '.join(voci)})."
            )
        if perdita:
            avvisi.append(
                f"La distribuzione vera sarà rifiutata: {perdita[0].lower()}{perdita[1:]}"
            )
    else:
        verifica_definitive(smvp, elenco)
        if perdita:
            raise PremiNonDistribuibili(perdita)
    fasce = fasce_di(smvp)
    if not fasce:
        raise PremiNonDistribuibili(
            f"Il sistema {smvp.anno} non ha fasce di merito: senza fasce nessun premio."
        )
    calcoli = [_calcola_fondo(smvp, f, fasce) for f in elenco]
    return calcoli, avvisi + [a for c in calcoli for a in c.avvisi]


def distribuisci(
    smvp: Smvp, *, categoria: Categoria | None = None, importo: Decimal | None = None, utente=None
) -> tuple[list[Distribuzione], list[Calcolo], list[str]]:
    """The real run: computed, checked, saved in one transaction (see the docstring);
    (distributions saved, calcoli, warnings)."""
    with transaction.atomic():
        Smvp.objects.select_for_update().filter(pk=smvp.pk).first()
        calcoli, avvisi = calcola(smvp, categoria=categoria, importo=importo, simulazione=False)
        adesso = timezone.now()
        salvate = []
        for c in calcoli:
            sostituisci(smvp, c.fondo)
            d = Distribuzione.objects.create(
                smvp=smvp,
                categoria=c.fondo.categoria,
                fondo=c.esito.fondo,
                distribuito=c.esito.distribuito,
                maggiorazione_media=c.esito.premio_medio,
                eseguita_il=adesso,
                eseguita_da=utente if getattr(utente, "pk", None) else None,
            )
            Quota.objects.bulk_create(
                Quota(
                    distribuzione=d,
                    scheda=r.scheda,
                    punteggio=r.quota.punteggio,
                    fascia=r.quota.fascia or 0,
                    base=r.quota.base,
                    maggiorazione=r.quota.maggiorazione,
                    importo=r.quota.importo,
                )
                for r in c.righe
            )
            salvate.append(d)
    return salvate, calcoli, avvisi


def anni_distribuiti(comune_id: int) -> set[int]:
    """The years with a distribution of the comune's premi in force (art. 20 publishable)."""
    return set(
        Distribuzione.objects.filter(smvp__comune_id=comune_id, attiva=True).values_list(
            "smvp__anno", flat=True
        )
    )


# What the command, the pages, art20 and trasparenza use (the inputs live in .fondi).
__all__ = [
    "Calcolo",
    "Fondo",
    "PremiNonDistribuibili",
    "Riga",
    "anni_distribuiti",
    "calcola",
    "categoria_di",
    "da_sostituire",
    "descrivi_fascia",
    "distribuisci",
    "fasce_di",
    "fondi",
    "in_vigore",
    "leggi_euro",
    "verifica_definitive",
]
