"""Scores of indicatori, fasi, obiettivi, settori and ente, each explaining itself.

The functions here take objects already loaded (see ``carica_punteggi``, which loads a
whole piano in a fixed number of queries) and the piano's measurement system; they
issue no queries. A value that was not entered is "non rilevato", never 0: what it
does to the parent is the piano's choice (``Piano.valori_mancanti``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache

from django.db.models import Prefetch

from objectives.models import Obiettivo
from objectives.weights import verifica_pesi
from peg.formatting import arrotonda, numero_compatto, percentuale

from .graduation import DECRESCENTE, DatiMancanti, GraduationSyntaxError, Rule, parse, to_decimal
from .models import Indicatore

ZERO = Decimal("0")
CENTO = Decimal("100")

CALCOLATO = "calcolato"
NON_RILEVATO = "non rilevato"
INCOMPLETO = "incompleto"
NON_CALCOLABILE = "non calcolabile"

FINALE = "finale"
INTERMEDIO = "intermedio"


@dataclass
class Esito:
    """A score with its reasons; ``punteggio`` is None unless ``stato`` is calcolato."""

    etichetta: str
    punteggio: Decimal | None
    stato: str
    passi: list[str] = field(default_factory=list)
    mancanti: list[str] = field(default_factory=list)
    avvisi: list[str] = field(default_factory=list)

    @property
    def calcolato(self) -> bool:
        return self.stato == CALCOLATO

    @property
    def testo(self) -> str:
        return percentuale(self.punteggio) if self.calcolato else self.stato


@dataclass(frozen=True)
class Sistema:
    """The piano's measurement system (SMVP) as the scoring functions need it."""

    base_obiettivo: str = "indicatori"
    quota_indicatori: Decimal = Decimal("50")
    base_settore: str = "peso"
    valori_mancanti: str = "incompleto"
    riproporziona_pesi: bool = False
    regola_predefinita: str = "proporzionale"

    @classmethod
    def del_piano(cls, piano) -> Sistema:
        return cls(
            base_obiettivo=piano.base_obiettivo,
            quota_indicatori=piano.quota_indicatori,
            base_settore=piano.base_settore,
            valori_mancanti=piano.valori_mancanti,
            riproporziona_pesi=piano.riproporziona_pesi,
            regola_predefinita=piano.regola_predefinita,
        )

    @property
    def predefinita(self) -> Rule:
        return _parse_cached(self.regola_predefinita)


@lru_cache(maxsize=64)
def _parse_cached(text: str) -> Rule:
    return parse(text)


def _valore(value) -> Decimal | None:
    """A level as printed in a piano operativo ("80%", "0", "5") as a number, if it is one."""
    if value is None:
        return None
    try:
        return to_decimal(str(value).replace("%", "").strip())
    except ValueError:
        return None


def _regola(obj, sistema: Sistema) -> tuple[Rule, bool]:
    rule = obj.regola_letta()  # GraduationSyntaxError for an unreadable text
    predefinita = rule is None
    rule = rule or sistema.predefinita
    if getattr(obj, "polarita", None) == DECRESCENTE:
        rule = rule.with_polarita(DECRESCENTE)
    return rule, predefinita


def _da_regola(etichetta, rule, predefinita, target, achieved, deadline, completed_on) -> Esito:
    try:
        spiegazione = rule.explain(target, achieved, deadline=deadline, completed_on=completed_on)
    except DatiMancanti as exc:
        return Esito(etichetta, None, NON_RILEVATO, [f"Non rilevato: {exc}"], [etichetta])
    except ValueError as exc:
        return Esito(etichetta, None, NON_CALCOLABILE, [str(exc)], [etichetta])
    passi = list(spiegazione.passi)
    if predefinita:
        passi.insert(0, "Graduazione non indicata: si applica quella predefinita del piano.")
    return Esito(etichetta, spiegazione.punteggio, CALCOLATO, passi, avvisi=list(rule.avvisi))


def punteggio_indicatore(indicatore, sistema: Sistema, momento: str = FINALE) -> Esito:
    """From the indicatore's rule and its rilevazione (finale, or intermedia / 1ª)."""
    etichetta = f"indicatore {indicatore.numero}"
    rilevazioni = {r.tipo: r for r in indicatore.rilevazioni.all()}
    if momento == FINALE:
        rilevazione = rilevazioni.get("finale")
        target, deadline = indicatore.valore_atteso, indicatore.data_attesa
    else:
        rilevazione = rilevazioni.get("intermedia") or rilevazioni.get("prima")
        target, deadline = indicatore.valore_intermedio, indicatore.data_intermedia
    try:
        rule, predefinita = _regola(indicatore, sistema)
    except (GraduationSyntaxError, ValueError) as exc:
        return Esito(
            etichetta, None, NON_CALCOLABILE, [f"Graduazione non leggibile: {exc}"], [etichetta]
        )
    if rilevazione is None:
        return Esito(
            etichetta, None, NON_RILEVATO, [f"Rilevazione {momento} non inserita."], [etichetta]
        )
    return _da_regola(
        etichetta, rule, predefinita, target, rilevazione.valore, deadline, rilevazione.data
    )


def punteggio_fase(fase, sistema: Sistema) -> Esito:
    """From the fase's own indicator and rule when it has a result, else its avanzamento."""
    etichetta = f"fase {fase.numero}"
    try:
        rule = fase.regola_letta()
    except (GraduationSyntaxError, ValueError) as exc:
        return Esito(
            etichetta, None, NON_CALCOLABILE, [f"Graduazione non leggibile: {exc}"], [etichetta]
        )
    raggiunto = _valore(fase.raggiunto)
    if rule is not None and (raggiunto is not None or fase.data_fine_effettiva):
        return _da_regola(
            etichetta,
            rule,
            False,
            _valore(fase.livello_atteso),
            raggiunto,
            fase.data_fine_prevista,
            fase.data_fine_effettiva,
        )
    if fase.avanzamento is not None:
        return Esito(
            etichetta,
            arrotonda(fase.avanzamento),
            CALCOLATO,
            [f"Avanzamento della fase: {percentuale(fase.avanzamento)}"],
        )
    return Esito(
        etichetta, None, NON_RILEVATO, ["Né risultato né avanzamento inseriti."], [etichetta]
    )


def aggrega(
    etichetta: str,
    voci: Iterable[tuple[Decimal | None, Esito]],
    sistema: Sistema,
    pesi_percentuali: bool = True,
) -> Esito:
    """Weighted mean of the children, with the weights reported as they are.

    ``pesi_percentuali`` False for weights that are not % (the pesatura's punteggi):
    they are always proportioned and their sum is not checked against 100."""
    voci = list(voci)
    if not voci:
        return Esito(etichetta, None, NON_CALCOLABILE, ["Nessun elemento da misurare."])
    passi: list[str] = []
    avvisi: list[str] = []
    mancanti = [m for _, esito in voci for m in esito.mancanti if not esito.calcolato]
    mancanti = [f"{etichetta} › {m}" for m in mancanti]
    verifica = verifica_pesi(peso for peso, _ in voci)
    uguali = verifica.senza_peso == verifica.elementi
    if uguali:
        passi.append(f"Pesi non indicati: media semplice di {len(voci)} elementi.")
        voci = [(Decimal(1), esito) for _, esito in voci]
    elif verifica.senza_peso:
        avvisi.append(f"{verifica.senza_peso} elementi senza peso: non contano.")
        voci = [(peso or ZERO, esito) for peso, esito in voci]
    if not uguali and not verifica.ok and pesi_percentuali:
        avvisi.append(f"Pesi: {verifica.etichetta}.")

    usate, riproporziona = [], uguali or sistema.riproporziona_pesi
    for peso, esito in voci:
        if esito.calcolato:
            usate.append((peso, esito.punteggio, esito.etichetta))
        elif sistema.valori_mancanti == "zero":
            passi.append(f"{esito.etichetta}: {esito.stato}, vale 0 come prevede il piano.")
            usate.append((peso, ZERO, esito.etichetta))
        elif sistema.valori_mancanti == "escludi":
            passi.append(
                f"{esito.etichetta}: {esito.stato}, escluso; gli altri pesi sono riproporzionati."
            )
            riproporziona = True
        else:
            passi.append(f"{esito.etichetta}: {esito.stato}.")
    if sistema.valori_mancanti == "incompleto" and len(usate) < len(voci):
        passi.append("Risultato incompleto: mancano dei valori (vedi elenco).")
        return Esito(etichetta, None, INCOMPLETO, passi, mancanti, avvisi)
    if not usate:
        return Esito(etichetta, None, INCOMPLETO, passi, mancanti, avvisi)

    somma_pesi = sum((p for p, _, _ in usate), ZERO)
    totale = sum((p * s for p, s, _ in usate), ZERO)
    termini = " + ".join(f"{percentuale(s)} × {numero_compatto(p)}" for p, s, _ in usate)
    if riproporziona:
        if somma_pesi == 0:
            return Esito(
                etichetta, None, NON_CALCOLABILE, [*passi, "Pesi tutti a zero."], mancanti, avvisi
            )
        punteggio = arrotonda(totale / somma_pesi)
        passi.append(f"({termini}) / {numero_compatto(somma_pesi)} = {percentuale(punteggio)}")
    else:
        punteggio = arrotonda(totale / CENTO)
        passi.append(f"({termini}) / 100 = {percentuale(punteggio)}")
    return Esito(etichetta, punteggio, CALCOLATO, passi, mancanti, avvisi)


def punteggio_obiettivo(obiettivo, sistema: Sistema, momento: str = FINALE) -> tuple[Esito, dict]:
    """The obiettivo's score and the esiti of its indicatori and fasi (by id)."""
    etichetta = f"{obiettivo.codice} ({obiettivo.anno})"
    indicatori = {
        i.pk: punteggio_indicatore(i, sistema, momento) for i in obiettivo.indicatori.all()
    }
    fasi = {f.pk: punteggio_fase(f, sistema) for f in obiettivo.fasi.all()}
    da_indicatori = aggrega(
        etichetta, [(i.peso, indicatori[i.pk]) for i in obiettivo.indicatori.all()], sistema
    )
    da_fasi = aggrega(etichetta, [(f.peso, fasi[f.pk]) for f in obiettivo.fasi.all()], sistema)
    if sistema.base_obiettivo == "fasi":
        esito = da_fasi
        esito.passi.insert(0, "L'obiettivo si misura con le fasi (media pesata).")
    elif sistema.base_obiettivo == "entrambi":
        quota = sistema.quota_indicatori
        esito = aggrega(
            etichetta,
            [(quota, _come(da_indicatori, "indicatori")), (CENTO - quota, _come(da_fasi, "fasi"))],
            replace(sistema, riproporziona_pesi=False),
        )
        esito.passi = [
            f"Indicatori ({percentuale(quota)}): {da_indicatori.testo}; fasi ({percentuale(CENTO - quota)}): {da_fasi.testo}",
            *esito.passi,
        ]
        esito.mancanti = da_indicatori.mancanti + da_fasi.mancanti
        esito.avvisi = da_indicatori.avvisi + da_fasi.avvisi
    else:
        esito = da_indicatori
        esito.passi.insert(0, "L'obiettivo si misura con gli indicatori (media pesata).")
    return esito, {"indicatori": indicatori, "fasi": fasi}


def _come(esito: Esito, etichetta: str) -> Esito:
    return Esito(etichetta, esito.punteggio, esito.stato, list(esito.passi), list(esito.mancanti))


def punteggio_settore(etichetta: str, obiettivi_esiti, sistema: Sistema) -> Esito:
    """obiettivi_esiti: [(obiettivo, Esito)]; weighted by peso or by the pesatura's punteggio."""
    if sistema.base_settore == "punteggio":
        voci = [(o.punteggio, e) for o, e in obiettivi_esiti]
        return aggrega(
            etichetta, voci, replace(sistema, riproporziona_pesi=True), pesi_percentuali=False
        )
    return aggrega(etichetta, [(o.peso, e) for o, e in obiettivi_esiti], sistema)


def punteggio_ente(etichetta: str, settori_esiti, sistema: Sistema) -> Esito:
    """The ente as the simple mean of its settori."""
    esito = aggrega(etichetta, [(None, e) for e in settori_esiti], sistema)
    esito.passi.insert(0, "L'ente è la media semplice dei settori.")
    return esito


@dataclass
class PunteggiPiano:
    ente: Esito
    settori: dict  # settore -> Esito
    per_settore: dict  # settore -> [(obiettivo, Esito)]
    obiettivi: dict  # obiettivo id -> Esito
    dettagli: dict  # obiettivo id -> {"indicatori": {id: Esito}, "fasi": {id: Esito}}


def calcola(
    obiettivi, sistema: Sistema, momento: str = FINALE, etichetta_ente: str = "ente"
) -> PunteggiPiano:
    """Scores of loaded obiettivi (with indicatori, rilevazioni, fasi prefetched)."""
    per_settore: dict = {}
    esiti, dettagli = {}, {}
    for obiettivo in obiettivi:
        esito, dettaglio = punteggio_obiettivo(obiettivo, sistema, momento)
        esiti[obiettivo.pk], dettagli[obiettivo.pk] = esito, dettaglio
        per_settore.setdefault(obiettivo.settore, []).append((obiettivo, esito))
    settori = {
        settore: punteggio_settore(str(settore), voci, sistema)
        for settore, voci in per_settore.items()
    }
    ente = punteggio_ente(etichetta_ente, list(settori.values()), sistema)
    return PunteggiPiano(ente, settori, per_settore, esiti, dettagli)


def carica_punteggi(
    piano, anno: int | None = None, momento: str = FINALE, settore=None
) -> PunteggiPiano:
    """Load a piano's schede (of one year) in a fixed number of queries and score them."""
    obiettivi = Obiettivo.objects.filter(piano=piano).select_related("settore")
    if anno is not None:
        obiettivi = obiettivi.filter(anno=anno)
    if settore is not None:
        obiettivi = obiettivi.filter(settore=settore)
    obiettivi = obiettivi.prefetch_related(
        Prefetch("indicatori", queryset=Indicatore.objects.prefetch_related("rilevazioni")), "fasi"
    ).order_by("settore__codice", "settore__nome", "codice", "anno")
    return calcola(
        list(obiettivi), Sistema.del_piano(piano), momento, etichetta_ente=str(piano.comune)
    )
