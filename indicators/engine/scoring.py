"""Scores of indicatori, fasi, obiettivi, settori and ente, each explaining itself.

Pure: no Django, no queries. The functions take objects already loaded (see
``indicators.caricamento``, which loads a whole piano in a fixed number of queries) and
the piano's measurement system. A value that was not entered is "non rilevato", never
0: what it does to the parent is the piano's choice (``Piano.valori_mancanti``).

The OIV's validated figures are passed in (``obiettivo.figli["rettifiche"]`` as the
loaders attach them, or the ``rettifiche`` argument): which ones are in force is
decided where they are stored, in ``valutazione``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache

from .formatting import CENTO, ZERO, arrotonda, data_lunga, numero_compatto, percentuale, quanti
from .graduation import (
    DECRESCENTE,
    DatiMancanti,
    GraduationSyntaxError,
    RiferimentoMancante,
    Rule,
    parse,
    to_decimal,
)
from .weights import verifica_pesi

CALCOLATO = "calcolato"
NON_RILEVATO = "non rilevato"
INCOMPLETO = "incompleto"
NON_CALCOLABILE = "non calcolabile"
# A value entered that cannot be measured: the scheda lacks its target (or deadline).
# Not missing (the responsabile has nothing left to enter): excluded from the mean with
# its weight given to the others, and flagged, whatever the piano does with missing values.
NON_MISURABILE = "non misurabile"

FINALE = "finale"
INTERMEDIO = "intermedio"


@dataclass(slots=True)
class Esito:
    """A score with its reasons; ``punteggio`` is None unless ``stato`` is calcolato."""

    etichetta: str
    punteggio: Decimal | None
    stato: str
    passi: list[str] = field(default_factory=list)
    mancanti: list[str] = field(default_factory=list)
    avvisi: list[str] = field(default_factory=list)
    # What makes a value non misurabile, down the tree: «indicatore 2: manca il valore atteso».
    non_misurabili: list[str] = field(default_factory=list)
    # Set when the OIV validated a different figure: ``punteggio`` is the one that
    # counts, the engine's own result stays here to be shown beside it.
    validato: bool = False
    punteggio_calcolato: Decimal | None = None
    stato_calcolato: str = CALCOLATO
    motivazione: str = ""

    @property
    def calcolato(self) -> bool:
        return self.stato == CALCOLATO

    @property
    def testo_calcolato(self) -> str:
        if not self.validato:
            return self.testo
        if self.stato_calcolato == CALCOLATO:
            return percentuale(self.punteggio_calcolato)
        return self.stato_calcolato

    @property
    def rettificato(self) -> bool:
        """Validated at a figure other than the computed one."""
        return self.validato and (
            self.stato_calcolato != CALCOLATO or self.punteggio_calcolato != self.punteggio
        )

    @property
    def testo_pieno(self) -> str:
        """ "80,00%", or "95,00% validato (calcolato 80,00%)" once the OIV validated."""
        if not self.validato:
            return self.testo
        if self.rettificato:
            return f"{self.testo} validato (calcolato {self.testo_calcolato})"
        return f"{self.testo} validato"

    def come_calcolato(self) -> Esito:
        """The engine's result alone, as if the OIV had not intervened."""
        if not self.validato:
            return self
        return Esito(self.etichetta, self.punteggio_calcolato, self.stato_calcolato)

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


def _figli(obj, relazione: str) -> list:
    """Children grouped by ``carica_punteggi``, else from the caller's prefetch."""
    figli = getattr(obj, "figli", None)
    return figli[relazione] if figli is not None else list(getattr(obj, relazione).all())


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


VARIAZIONE = "si aggiunge solo con una variazione della scheda"


def _da_regola(
    etichetta, rule, predefinita, target, achieved, deadline, completed_on, spiega
) -> Esito:
    try:
        spiegazione = rule.explain(
            target, achieved, deadline=deadline, completed_on=completed_on, spiega=spiega
        )
    except DatiMancanti as exc:
        motivo = str(exc).rstrip(".")
        if riferimento := rule.manca_riferimento(target, deadline):
            # Said before sending: the value is still due, the score will not come.
            anche = riferimento.replace("manca ", "manca anche ", 1)
            motivo += f" ({anche}: l'indicatore sarà «{NON_MISURABILE}»)"
        return Esito(
            etichetta, None, NON_RILEVATO, [f"Non rilevato: {motivo}."], [f"{etichetta}: {motivo}"]
        )
    except RiferimentoMancante as exc:
        valore = (
            numero_compatto(to_decimal(achieved))
            if achieved is not None
            else data_lunga(completed_on)
        )
        passi = [
            f"Valore raggiunto: {valore}.",
            f"Non misurabile: {exc}, che {VARIAZIONE}. Il valore è registrato, il "
            "conseguimento non si calcola e l'indicatore è escluso dalla media.",
        ]
        return Esito(etichetta, None, NON_MISURABILE, passi, non_misurabili=[f"{etichetta}: {exc}"])
    except ValueError as exc:
        return Esito(etichetta, None, NON_CALCOLABILE, [str(exc)], [f"{etichetta}: {exc}"])
    passi = list(spiegazione.passi)
    if predefinita:
        passi.insert(0, "Graduazione non indicata: si applica quella predefinita del piano.")
    return Esito(etichetta, spiegazione.punteggio, CALCOLATO, passi, avvisi=list(rule.avvisi))


def punteggio_indicatore(
    indicatore, sistema: Sistema, momento: str = FINALE, spiega: bool = True
) -> Esito:
    """From the indicatore's rule and its rilevazione (finale, or intermedia / 1ª)."""
    etichetta = f"indicatore {indicatore.numero}"
    rilevazioni = {r.tipo: r for r in _figli(indicatore, "rilevazioni")}
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
            etichetta,
            None,
            NON_CALCOLABILE,
            [f"Graduazione non leggibile: {exc}"],
            [f"{etichetta}: graduazione non leggibile"],
        )
    if rilevazione is None:
        # The rule says what it needs (the value, the date or the days of delay).
        return _da_regola(etichetta, rule, predefinita, target, None, deadline, None, spiega)
    return _da_regola(
        etichetta, rule, predefinita, target, rilevazione.valore, deadline, rilevazione.data, spiega
    )


def punteggio_fase(fase, sistema: Sistema, spiega: bool = True) -> Esito:
    """From the fase's own indicator and rule when it has a result, else its avanzamento."""
    etichetta = f"fase {fase.numero}"
    try:
        rule = fase.regola_letta()
    except (GraduationSyntaxError, ValueError) as exc:
        return Esito(
            etichetta,
            None,
            NON_CALCOLABILE,
            [f"Graduazione non leggibile: {exc}"],
            [f"{etichetta}: graduazione non leggibile"],
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
            spiega,
        )
    if fase.avanzamento is not None:
        return Esito(
            etichetta,
            arrotonda(fase.avanzamento),
            CALCOLATO,
            [f"Avanzamento della fase: {percentuale(fase.avanzamento)}"],
        )
    return Esito(
        etichetta,
        None,
        NON_RILEVATO,
        ["Né risultato né avanzamento inseriti."],
        [f"{etichetta}: mancano l'avanzamento o il risultato"],
    )


def aggrega(
    etichetta: str,
    voci: Iterable[tuple[Decimal | None, Esito]],
    sistema: Sistema,
    pesi_percentuali: bool = True,
    spiega: bool = True,
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
    non_misurabili = [f"{etichetta} › {m}" for _, esito in voci for m in esito.non_misurabili]
    verifica = verifica_pesi(peso for peso, _ in voci)
    uguali = verifica.senza_peso == verifica.elementi
    if uguali:
        passi.append(
            f"Pesi non indicati: media semplice di {quanti(len(voci), 'elemento,elementi')}."
        )
        voci = [(Decimal(1), esito) for _, esito in voci]
    elif verifica.senza_peso:
        avvisi.append(
            quanti(
                verifica.senza_peso,
                "elemento senza peso: non conta,elementi senza peso: non contano",
            )
            + "."
        )
        voci = [(peso or ZERO, esito) for peso, esito in voci]
    if not uguali and not verifica.ok and pesi_percentuali:
        avvisi.append(f"Pesi: {verifica.etichetta}.")

    usate, riproporziona = [], uguali or sistema.riproporziona_pesi
    esclusi = 0  # non misurabili: out of the mean, whatever the piano does with missing values
    for peso, esito in voci:
        if esito.calcolato:
            usate.append((peso, esito.punteggio, esito.etichetta))
        elif esito.stato == NON_MISURABILE:
            passi.append(
                f"{esito.etichetta}: non misurabile, escluso; gli altri pesi sono riproporzionati."
            )
            avvisi.append(f"{esito.etichetta} non misurabile: escluso dalla media.")
            esclusi += 1
            riproporziona = True
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
    if sistema.valori_mancanti == "incompleto" and len(usate) + esclusi < len(voci):
        passi.append("Risultato incompleto: mancano dei valori (vedi elenco).")
        return Esito(etichetta, None, INCOMPLETO, passi, mancanti, avvisi, non_misurabili)
    if not usate:
        if esclusi == len(voci):
            passi.append("Nessun elemento misurabile.")
            return Esito(etichetta, None, NON_MISURABILE, passi, [], avvisi, non_misurabili)
        return Esito(etichetta, None, INCOMPLETO, passi, mancanti, avvisi, non_misurabili)

    somma_pesi = sum((p for p, _, _ in usate), ZERO)
    totale = sum((p * s for p, s, _ in usate), ZERO)
    if riproporziona and somma_pesi == 0:
        return Esito(
            etichetta,
            None,
            NON_CALCOLABILE,
            [*passi, "Pesi tutti a zero."],
            mancanti,
            avvisi,
            non_misurabili,
        )
    divisore = somma_pesi if riproporziona else CENTO
    punteggio = arrotonda(totale / divisore)
    if spiega:
        termini = " + ".join(f"{percentuale(s)} × {numero_compatto(p)}" for p, s, _ in usate)
        passi.append(f"({termini}) / {numero_compatto(divisore)} = {percentuale(punteggio)}")
    return Esito(etichetta, punteggio, CALCOLATO, passi, mancanti, avvisi, non_misurabili)


def validato(esito: Esito, punteggio: Decimal, motivazione: str, calcolo: Esito) -> Esito:
    """The esito with the OIV's figure counting and the engine's ``calcolo`` kept."""
    passi = [
        *esito.passi,
        f"Punteggio validato dall'OIV: {percentuale(punteggio)} "
        f"(calcolato: {calcolo.testo}). Motivazione: {motivazione}",
    ]
    return Esito(
        esito.etichetta,
        arrotonda(punteggio),
        CALCOLATO,
        passi,
        avvisi=list(esito.avvisi),
        non_misurabili=list(esito.non_misurabili),
        validato=True,
        punteggio_calcolato=calcolo.punteggio,
        stato_calcolato=calcolo.stato,
        motivazione=motivazione,
    )


def rettifiche_in_vigore(obiettivo) -> dict:
    """The OIV's scores that count: {indicatore id, or None for the obiettivo: rettifica},
    as the loader attached them (only those in force: see ``indicators.caricamento``)."""
    figli = getattr(obiettivo, "figli", None) or {}
    return {r.indicatore_id: r for r in figli.get("rettifiche", ())}


def punteggio_obiettivo(
    obiettivo, sistema: Sistema, momento: str = FINALE, spiega: bool = True, rettifiche=None
) -> tuple[Esito, dict]:
    """The obiettivo's score and the esiti of its indicatori and fasi (by id).

    The OIV's validated scores (final only) replace the computed ones and count upwards;
    each esito keeps the computed figure beside it. ``rettifiche`` ({indicatore id or
    None: object with punteggio and motivazione}) tries scores not yet recorded."""
    etichetta = f"{obiettivo.codice} ({obiettivo.anno})"
    indicatori = _figli(obiettivo, "indicatori")
    fasi = _figli(obiettivo, "fasi")
    esiti_indicatori = {i.pk: punteggio_indicatore(i, sistema, momento, spiega) for i in indicatori}
    esiti_fasi = {f.pk: punteggio_fase(f, sistema, spiega) for f in fasi}
    esito = _componi(etichetta, indicatori, fasi, esiti_indicatori, esiti_fasi, sistema, spiega)
    if rettifiche is None:
        rettifiche = rettifiche_in_vigore(obiettivo) if momento == FINALE else {}
    if not rettifiche:
        return esito, {"indicatori": esiti_indicatori, "fasi": esiti_fasi}
    calcolo = esito
    for pk, esito_indicatore in list(esiti_indicatori.items()):
        if pk in rettifiche:
            r = rettifiche[pk]
            esiti_indicatori[pk] = validato(
                esito_indicatore, r.punteggio, r.motivazione, esito_indicatore
            )
    if len(rettifiche) > (None in rettifiche):
        esito = _componi(etichetta, indicatori, fasi, esiti_indicatori, esiti_fasi, sistema, spiega)
        esito = replace(
            esito,
            validato=True,
            punteggio_calcolato=calcolo.punteggio,
            stato_calcolato=calcolo.stato,
            motivazione="Punteggi di indicatori validati dall'OIV.",
        )
    if None in rettifiche:
        r = rettifiche[None]
        esito = validato(esito, r.punteggio, r.motivazione, calcolo)
    return esito, {"indicatori": esiti_indicatori, "fasi": esiti_fasi}


@dataclass
class Completezza:
    """What a scheda still needs before its rendicontazione is sent, and what it cannot
    have: «N 1 (2017) › indicatore 2: manca il valore raggiunto»."""

    mancanti: list[str]  # values (or dates) the responsabile must still enter
    non_misurabili: list[str]  # targets only a variazione can add: they do not block

    @property
    def completa(self) -> bool:
        return not self.mancanti


def completezza(esito: Esito, dettagli: dict) -> Completezza:
    """From ``punteggio_obiettivo``: what its score misses, plus the value of every
    indicatore even when the piano measures the obiettivo by its fasi."""
    prefisso = f"{esito.etichetta} › "
    mancanti = [prefisso + m for e in dettagli["indicatori"].values() for m in e.mancanti]
    mancanti += [m for m in esito.mancanti if m not in mancanti]
    non_misurabili = [
        prefisso + m for e in dettagli["indicatori"].values() for m in e.non_misurabili
    ]
    non_misurabili += [m for m in esito.non_misurabili if m not in non_misurabili]
    return Completezza(mancanti, non_misurabili)


def _componi(etichetta, indicatori, fasi, esiti_indicatori, esiti_fasi, sistema, spiega) -> Esito:
    # Only the means the piano's rule uses (each is pure: the other would be thrown away).
    base = sistema.base_obiettivo
    if base != "fasi":
        da_indicatori = aggrega(
            etichetta,
            [(i.peso, esiti_indicatori[i.pk]) for i in indicatori],
            sistema,
            spiega=spiega,
        )
    if base in ("fasi", "entrambi"):
        da_fasi = aggrega(
            etichetta, [(f.peso, esiti_fasi[f.pk]) for f in fasi], sistema, spiega=spiega
        )
    if base == "fasi":
        esito = da_fasi
        esito.passi.insert(0, "L'obiettivo si misura con le fasi (media pesata).")
    elif base == "entrambi":
        quota = sistema.quota_indicatori
        esito = aggrega(
            etichetta,
            [(quota, _come(da_indicatori, "indicatori")), (CENTO - quota, _come(da_fasi, "fasi"))],
            replace(sistema, riproporziona_pesi=False),
            spiega=spiega,
        )
        esito.passi.insert(
            0,
            f"Indicatori ({percentuale(quota)}): {da_indicatori.testo}; "
            f"fasi ({percentuale(CENTO - quota)}): {da_fasi.testo}",
        )
        esito.mancanti = da_indicatori.mancanti + da_fasi.mancanti
        esito.avvisi = da_indicatori.avvisi + da_fasi.avvisi
        esito.non_misurabili = da_indicatori.non_misurabili + da_fasi.non_misurabili
    else:
        esito = da_indicatori
        esito.passi.insert(0, "L'obiettivo si misura con gli indicatori (media pesata).")
    return esito


def _come(esito: Esito, etichetta: str) -> Esito:
    return Esito(
        etichetta,
        esito.punteggio,
        esito.stato,
        list(esito.passi),
        list(esito.mancanti),
        non_misurabili=list(esito.non_misurabili),
    )


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
    obiettivi,
    sistema: Sistema,
    momento: str = FINALE,
    etichetta_ente: str = "ente",
    spiega: bool = True,
) -> PunteggiPiano:
    """Scores of loaded obiettivi (with indicatori, rilevazioni, fasi prefetched).

    Without ``spiega`` the obiettivi and their children carry no explanation (fast for
    a whole ente); settori and ente always explain themselves."""
    per_settore: dict = {}
    esiti, dettagli = {}, {}
    for obiettivo in obiettivi:
        esito, dettaglio = punteggio_obiettivo(obiettivo, sistema, momento, spiega)
        esiti[obiettivo.pk], dettagli[obiettivo.pk] = esito, dettaglio
        per_settore.setdefault(obiettivo.settore, []).append((obiettivo, esito))
    settori, calcolati = {}, {}
    for settore, voci in per_settore.items():
        settori[settore] = punteggio_settore(str(settore), voci, sistema)
        calcolati[settore] = settori[settore]
        if any(e.validato for _, e in voci):
            puro = [(o, e.come_calcolato()) for o, e in voci]
            calcolati[settore] = punteggio_settore(str(settore), puro, sistema)
            settori[settore] = _con_calcolo(settori[settore], calcolati[settore])
    ente = punteggio_ente(etichetta_ente, list(settori.values()), sistema)
    if any(e.validato for e in settori.values()):
        ente = _con_calcolo(ente, punteggio_ente(etichetta_ente, list(calcolati.values()), sistema))
    return PunteggiPiano(ente, settori, per_settore, esiti, dettagli)


def _con_calcolo(esito: Esito, calcolo: Esito) -> Esito:
    """A settore or ente score from validated obiettivi, with the purely computed one."""
    return replace(
        esito,
        validato=True,
        punteggio_calcolato=calcolo.punteggio,
        stato_calcolato=calcolo.stato,
        motivazione="Comprende punteggi validati dall'OIV.",
    )


def esiti_obiettivi(obiettivi) -> dict:
    """{obiettivo id: Esito} of loaded obiettivi from any piani, each by its piano's
    rules: the schede only, no explanation, no settore or ente score (lists that show
    each scheda's score: the OIV's queue, the responsabile's home)."""
    sistemi: dict = {}
    esiti = {}
    for o in obiettivi:
        if (sistema := sistemi.get(o.piano_id)) is None:
            sistema = sistemi[o.piano_id] = Sistema.del_piano(o.piano)
        esiti[o.pk] = punteggio_obiettivo(o, sistema, FINALE, spiega=False)[0]
    return esiti
