"""The scores of the schede individuali, component by component, as the SMVP's
category weighs them (see docs/smvp.md for the formulas):

- ente, settore: the year's scores of the piano as the relazione computes them
  (``indicators.caricamento.carica_punteggi``: the OIV's validated figures in force
  count), never recomputed here;
- obiettivi: the weighted mean of the scores of the obiettivi assigned to the person;
- comportamenti: each vote brought to 0–100 on the category's scale
  ((voto − min) / (max − min) × 100), weighted by the comportamento's peso (all 0: equal);
- differenziazione (for those who evaluate others): from the spread of the comportamenti
  scores of the schede they evaluate (``differenziazione``);
- finale = Σ weight × component / 100, half-up to two places; None while a component the
  category weighs is missing (``mancanti`` says which, in Italian).

Loaded for a whole list of schede in a number of queries that depends on how many
SMVP-years they span, not on how many schede: the schede, the comportamenti, the votes,
the obiettivi assigned, the schede each evaluator evaluates, the piano of the year and
its scores (five), the assigned obiettivi outside that piano (when there are).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from indicators.caricamento import carica_figli, carica_punteggi
from indicators.engine.formatting import CENTO, ZERO, arrotonda, percentuale
from indicators.engine.scoring import esiti_obiettivi
from objectives.models import Obiettivo
from objectives.piano_anno import SceltaPiano, piano_dell_anno

from .differenziazione import differenziazione
from .models import Comportamento, ObiettivoAssegnato, SchedaIndividuale, VotoComportamento

VALIDATO = Obiettivo.Stato.VALIDATO
COMPONENTI = ("ente", "settore", "obiettivi", "comportamenti", "differenziazione")


@dataclass
class Punteggi:
    ente: Decimal | None
    settore: Decimal | None
    obiettivi: Decimal | None
    comportamenti: Decimal | None
    differenziazione: Decimal | None
    finale: Decimal | None
    validati: bool
    mancanti: list[str]
    # Which obiettivi used still await the Nucleo: «Settore A: 3 obiettivi (A 1, A 2…)».
    da_validare: list[str] = field(default_factory=list)
    # What the reader should know about how the finale was made (a component excluded).
    avvisi: list[str] = field(default_factory=list)

    @property
    def provvisorio(self) -> bool:
        return not self.validati


@dataclass
class _Anno:
    """The piano of an SMVP's year and its scores (or why there are none)."""

    punteggi: object | None = None  # indicators.engine.scoring.PunteggiPiano
    errore: str = ""


def punteggi_delle_schede(schede) -> dict[int, Punteggi]:
    """{scheda id: Punteggi} for a queryset or list of SchedaIndividuale."""
    ids = [s.pk for s in schede] if isinstance(schede, list | tuple) else schede.values("pk")
    righe = list(
        SchedaIndividuale.objects.filter(pk__in=ids)
        .select_related("smvp__comune", "categoria", "persona", "settore")
        .order_by("pk")
    )
    if not righe:
        return {}
    valutati = _valutati(righe)
    tutte = righe + [v for lista in valutati.values() for v in lista]
    comportamenti = _comportamenti({s.categoria_id for s in tutte})
    voti = _voti([s.pk for s in tutte])
    anni: dict = {}
    for s in righe:
        if s.smvp_id not in anni and _serve_il_piano(s.categoria):
            anni[s.smvp_id] = _anno(s.smvp)
    assegnati, esiti_assegnati = _assegnati(righe, anni)
    comportamento = {s.pk: _comportamenti_scheda(s, comportamenti, voti) for s in tutte}
    risultato = {}
    for s in righe:
        risultato[s.pk] = _punteggi(
            s,
            anni.get(s.smvp_id),
            assegnati.get(s.pk, []),
            esiti_assegnati,
            comportamento[s.pk],
            [comportamento[v.pk] for v in valutati.get(_chiave(s), [])],
        )
    return risultato


def _chiave(scheda) -> tuple:
    return (scheda.smvp_id, scheda.persona.utente_id)


def _serve_il_piano(categoria) -> bool:
    return categoria.peso_ente > 0 or categoria.peso_settore > 0 or categoria.peso_obiettivi > 0


def _valutati(righe) -> dict:
    """{(smvp id, evaluator's user id): [schede he evaluates]} for the schede whose
    category weighs the differenziazione (one query, none when no category does)."""
    valutatori = {
        _chiave(s)
        for s in righe
        if s.categoria.peso_differenziazione > 0 and s.persona.utente_id is not None
    }
    if not valutatori:
        return {}
    gruppi: dict = {}
    for v in (
        SchedaIndividuale.objects.filter(
            smvp_id__in={k[0] for k in valutatori},
            valutatore_id__in={k[1] for k in valutatori},
        )
        .select_related("categoria")
        .order_by("pk")
    ):
        if (v.smvp_id, v.valutatore_id) in valutatori:
            gruppi.setdefault((v.smvp_id, v.valutatore_id), []).append(v)
    return gruppi


def _comportamenti(categorie) -> dict:
    gruppi: dict = {c: [] for c in categorie}
    for c in Comportamento.objects.filter(categoria_id__in=categorie).order_by("ordine", "pk"):
        gruppi[c.categoria_id].append(c)
    return gruppi


def _voti(schede_ids) -> dict:
    return {
        (v.scheda_id, v.comportamento_id): v.voto
        for v in VotoComportamento.objects.filter(scheda_id__in=schede_ids)
    }


def _anno(smvp) -> _Anno:
    try:
        piano = piano_dell_anno(smvp.comune, smvp.anno)
    except SceltaPiano as exc:
        return _Anno(errore=str(exc))
    piano.comune = smvp.comune  # the same row, already loaded
    return _Anno(punteggi=carica_punteggi(piano, anno=smvp.anno))


def _assegnati(righe, anni) -> tuple[dict, dict]:
    """The obiettivi assigned to each scheda and the scores of all of them: those of the
    year's piano as already scored, the others loaded and scored by their own piano."""
    assegnati: dict = {}
    for a in ObiettivoAssegnato.objects.filter(scheda_id__in=[s.pk for s in righe]).order_by(
        "scheda_id", "pk"
    ):
        assegnati.setdefault(a.scheda_id, []).append(a)
    esiti: dict = {}
    for anno in anni.values():
        if anno.punteggi is not None:
            for voci in anno.punteggi.per_settore.values():
                esiti.update({o.pk: (o, e) for o, e in voci})
    fuori = {a.obiettivo_id for lista in assegnati.values() for a in lista} - set(esiti)
    if fuori:
        obiettivi = carica_figli(Obiettivo.objects.filter(pk__in=fuori).select_related("piano"))
        calcolati = esiti_obiettivi(obiettivi)
        esiti.update({o.pk: (o, calcolati[o.pk]) for o in obiettivi})
    return assegnati, esiti


@dataclass
class _Componente:
    punteggio: Decimal | None = None
    mancanti: list[str] = field(default_factory=list)
    da_validare: list[str] = field(default_factory=list)


def _comportamenti_scheda(scheda, comportamenti, voti) -> _Componente:
    """The votes on 0–100 of the category's scale, weighted by peso (all 0: equal).
    A DEFINITIVA scheda's frozen figure counts (for its evaluator's differenziazione)."""
    if scheda.stato == SchedaIndividuale.Stato.DEFINITIVA and (
        scheda.punteggio_comportamenti is not None
    ):
        return _Componente(scheda.punteggio_comportamenti)
    categoria = scheda.categoria
    elenco = comportamenti.get(categoria.pk, [])
    if not elenco:
        return _Componente(mancanti=["la categoria non ha comportamenti da votare"])
    minimo, massimo = Decimal(categoria.scala_minima), Decimal(categoria.scala_massima)
    mancanti, voci = [], []
    for c in elenco:
        voto = voti.get((scheda.pk, c.pk))
        if voto is None:
            mancanti.append(f"manca il voto di «{c.nome}»")
        elif not minimo <= voto <= massimo or massimo <= minimo:
            mancanti.append(f"il voto di «{c.nome}» è fuori dalla scala {minimo}–{massimo}")
        else:
            voci.append((c.peso, (voto - minimo) / (massimo - minimo) * CENTO))
    if mancanti:
        return _Componente(mancanti=mancanti)
    return _Componente(_media(voci))


def _media(voci) -> Decimal:
    """Weighted mean of (peso, valore); all weights 0: the simple mean."""
    somma = sum((p for p, _ in voci), ZERO)
    if somma == 0:
        return arrotonda(sum((v for _, v in voci), ZERO) / len(voci))
    return arrotonda(sum((p * v for p, v in voci), ZERO) / somma)


def _esito(esito, cosa: str) -> _Componente:
    if esito.calcolato:
        return _Componente(esito.punteggio)
    return _Componente(mancanti=[f"{cosa}: {esito.stato}"])


def _attesa(titolo: str, voci) -> list[str]:
    codici = [o.codice for o, _ in voci if o.stato != VALIDATO]
    if not codici:
        return []
    elenco = ", ".join(codici[:5]) + ("…" if len(codici) > 5 else "")
    n = len(codici)
    return [f"{titolo}: {n} {'obiettivo' if n == 1 else 'obiettivi'} ({elenco})"]


def _ente(anno: _Anno) -> _Componente:
    if anno.punteggi is None:
        return _Componente(mancanti=[f"performance dell'ente: {anno.errore}"])
    c = _esito(anno.punteggi.ente, "performance dell'ente")
    for settore, voci in anno.punteggi.per_settore.items():
        c.da_validare += _attesa(str(settore), voci)
    return c


def _settore(scheda, anno: _Anno) -> _Componente:
    if scheda.settore_id is None:
        return _Componente(mancanti=["performance del settore: la scheda non indica il settore"])
    if anno.punteggi is None:
        return _Componente(mancanti=[f"performance del settore: {anno.errore}"])
    settori = {s.pk: s for s in anno.punteggi.settori}
    settore = settori.get(scheda.settore_id)
    if settore is None:
        return _Componente(
            mancanti=[f"performance del settore: {scheda.settore} non ha obiettivi nel piano"]
        )
    c = _esito(anno.punteggi.settori[settore], f"performance del settore {settore}")
    c.da_validare = _attesa(str(settore), anno.punteggi.per_settore[settore])
    return c


def _obiettivi(assegnati, esiti) -> _Componente:
    if not assegnati:
        return _Componente(mancanti=["nessun obiettivo individuale assegnato"])
    voci, mancanti = [], []
    for a in assegnati:
        obiettivo, esito = esiti[a.obiettivo_id]
        if esito.calcolato:
            voci.append((a.peso, esito.punteggio))
        else:
            mancanti.append(f"obiettivo {obiettivo.codice}: {esito.stato}")
    c = _Componente(None if mancanti else _media(voci), mancanti)
    c.da_validare = _attesa("obiettivi individuali", [esiti[a.obiettivo_id] for a in assegnati])
    return c


def _punteggi(scheda, anno, assegnati, esiti, comportamenti, valutati) -> Punteggi:
    categoria = scheda.categoria
    pesi = {nome: getattr(categoria, f"peso_{nome}") for nome in COMPONENTI}
    componenti = {
        "ente": _ente(anno) if pesi["ente"] > 0 else _Componente(),
        "settore": _settore(scheda, anno) if pesi["settore"] > 0 else _Componente(),
        "obiettivi": _obiettivi(assegnati, esiti) if pesi["obiettivi"] > 0 else _Componente(),
        "comportamenti": comportamenti if pesi["comportamenti"] > 0 else _Componente(),
        "differenziazione": _Componente(),
    }
    avvisi, divisore = [], CENTO
    if pesi["differenziazione"] > 0:
        esclusa, componenti["differenziazione"] = _differenziazione(valutati)
        if esclusa:
            avvisi.append(
                "Differenziazione dei giudizi esclusa: la persona valuta meno di due schede; "
                "gli altri pesi sono riproporzionati."
            )
            divisore -= pesi["differenziazione"]
            pesi["differenziazione"] = ZERO
    mancanti = [m for nome, c in componenti.items() if pesi[nome] > 0 for m in c.mancanti]
    da_validare = [d for c in componenti.values() for d in c.da_validare]
    return Punteggi(
        **{nome: c.punteggio for nome, c in componenti.items()},
        finale=None if mancanti else finale(pesi, componenti, divisore),
        validati=not da_validare,
        mancanti=mancanti,
        da_validare=list(dict.fromkeys(da_validare)),
        avvisi=avvisi,
    )


def _differenziazione(valutati) -> tuple[bool, _Componente]:
    """(excluded, component) from the comportamenti scores of the schede evaluated."""
    if len(valutati) < 2:
        return True, _Componente()
    senza = [m for v in valutati for m in v.mancanti]
    if senza:
        n = sum(bool(v.mancanti) for v in valutati)
        testo = f"differenziazione: {n} {'scheda valutata' if n == 1 else 'schede valutate'}"
        return False, _Componente(mancanti=[f"{testo} senza tutti i voti"])
    return False, _Componente(differenziazione([v.punteggio for v in valutati]))


def finale(pesi: dict, componenti: dict, divisore: Decimal = CENTO) -> Decimal:
    """Σ weight × component / 100 (or / the weights left when the differenziazione is
    excluded), half-up to two places."""
    if divisore <= 0:
        return ZERO
    totale = sum((p * componenti[nome].punteggio for nome, p in pesi.items() if p > 0), ZERO)
    return arrotonda(totale / divisore)


def descrivi(punteggi: Punteggi) -> str:
    """«87,50%», «87,50% (provvisorio)» or «non calcolabile: …» for a line of text."""
    if punteggi.finale is None:
        return "non calcolabile: " + "; ".join(punteggi.mancanti)
    testo = percentuale(punteggi.finale)
    return testo if punteggi.validati else f"{testo} (provvisorio)"
