"""The graduation engine: from the scheda's graduazione text to a % of achievement.

Pure Python, no ORM: ``parse(text)`` reads the Italian phrasing of the schede into a
``Rule``; ``Rule.score(target, achieved, deadline=..., completed_on=...)`` gives a
``Decimal`` between 0 and 100 (half-up, 2 decimals); ``Rule.describe()`` says the
rule back in plain Italian and ``Rule.explain(...)`` shows the computation step by step.

Rule kinds: ritardo (days of delay), soglie (step function), lineare (interpolation
between thresholds), proporzionale, booleano (sì/no), percentuale diretta.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation

from .formatting import (
    CENTO,
    ZERO,
    arrotonda,
    data_lunga,
    numero_compatto,
    percentuale,
    quanti,
)

RITARDO = "ritardo"
SOGLIE = "soglie"
LINEARE = "lineare"
PROPORZIONALE = "proporzionale"
BOOLEANO = "booleano"
PERCENTUALE = "percentuale"
KINDS = (RITARDO, SOGLIE, LINEARE, PROPORZIONALE, BOOLEANO, PERCENTUALE)

_CONTESTO = 24  # characters of text quoted before an unreadable part
_INTERROTTO = "il testo sembra interrotto"

CRESCENTE = "crescente"
DECRESCENTE = "decrescente"


class GraduationSyntaxError(ValueError):
    """Text the parser cannot read; ``position`` is the 0-based offset of the unreadable part."""

    def __init__(self, message: str, position: int, text: str):
        self.message = message
        self.position = position
        self.text = text
        super().__init__(f"{message} ({dove(text, position)})")


def dove(text: str, position: int) -> str:
    """Where in the text, in words: «all'inizio del testo» or «dopo «…the words before»»."""
    prima = _SPACES.sub(" ", (text or "").replace("\u00a0", " ")).strip()[:position].rstrip()
    if not prima:
        return "all'inizio del testo"
    if len(prima) > _CONTESTO:
        coda = prima[-_CONTESTO:]
        prima = "…" + (coda.split(" ", 1)[1] if " " in coda else coda)
    return f"dopo «{prima}»"


class DatiMancanti(ValueError):
    """The rule needs a value that has not been entered (non rilevato)."""


class RiferimentoMancante(ValueError):
    """The value is there but the scheda lacks what the rule measures it against (the
    target, or the deadline): non misurabile. Only a variazione of the scheda adds it."""


def to_decimal(value) -> Decimal | None:
    """Decimal from 0,6 / 0.6 / 5 / Decimal; None stays None."""
    if isinstance(value, Decimal):
        return value
    if value is None or value == "":
        return None
    text = str(value).strip().replace(" ", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        return Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(f"«{value}» non è un numero.") from exc


def _pct(value: Decimal) -> str:
    return percentuale(value)


def _n(value: Decimal) -> str:
    return numero_compatto(value)


def _giorni(value: Decimal) -> str:
    return quanti(value, "giorno,giorni", _n(value))


class Passi(list):
    """The steps of an explanation; when not wanted (``NESSUN_PASSO``), the texts are
    never even formatted."""

    def add(self, testo) -> None:
        self.append(testo())


class _NessunPasso(tuple):
    """No explanation: one shared empty sequence that ignores what is added."""

    __slots__ = ()

    def add(self, testo) -> None:
        pass


NESSUN_PASSO = _NessunPasso()


@dataclass(frozen=True)
class Step:
    soglia: Decimal  # days of delay (ritardo) or achieved value (soglie, lineare)
    punti: Decimal  # % of achievement


@dataclass(frozen=True, slots=True)
class Spiegazione:
    punteggio: Decimal
    passi: tuple[str, ...]


@dataclass(frozen=True)
class Rule:
    kind: str
    steps: tuple[Step, ...] = ()
    polarita: str = CRESCENTE
    minimo: Decimal | None = None  # proporzionale: 0 below this % of the target; ritardo: floor
    unita: str = ""
    avvisi: tuple[str, ...] = ()  # parts of the text that were ignored, said aloud
    testo: str = field(default="", compare=False)

    # --- reading back --------------------------------------------------------
    def describe(self) -> str:
        if self.kind == RITARDO:
            parti = ["in tempo o in anticipo: 100,00%"]
            precedente = ZERO
            for step in self.steps:
                da = precedente + 1
                giorni = (
                    f"{_n(da)} giorno"
                    if da == step.soglia
                    else f"da {_n(da)} a {_n(step.soglia)} giorni"
                )
                parti.append(f"{giorni} di ritardo: {_pct(step.punti)}")
                precedente = step.soglia
            parti.append(f"oltre {_giorni(precedente)}: {_pct(self._floor())}")
            return "Giorni di ritardo rispetto alla scadenza — " + "; ".join(parti) + "."
        if self.kind in (SOGLIE, LINEARE):
            unita = "%" if self.unita == "%" else f" {self.unita}" if self.unita else ""
            confronto = "almeno" if self.polarita == CRESCENTE else "al massimo"
            parti = [f"{confronto} {_n(s.soglia)}{unita}: {_pct(s.punti)}" for s in self._ordered()]
            if self.kind == SOGLIE:
                sotto = "sotto" if self.polarita == CRESCENTE else "sopra"
                parti.append(f"{sotto} {_n(self._ordered()[-1].soglia)}{unita}: 0,00%")
                return "A soglie — " + "; ".join(parti) + "."
            return (
                "Lineare tra le soglie (interpolazione) — "
                + "; ".join(parti)
                + "; fuori dalle soglie: il valore dell'estremo più vicino, 0,00% sotto la più bassa."
            )
        if self.kind == PROPORZIONALE:
            testo = (
                "Proporzionale: raggiunto / atteso × 100, al massimo 100,00%"
                if self.polarita == CRESCENTE
                else "Proporzionale (più basso è meglio): atteso / raggiunto × 100, al massimo 100,00%"
            )
            if self.minimo is not None:
                testo += f"; 0,00% sotto il {_pct(self.minimo)} dell'atteso"
            return testo + "."
        if self.kind == BOOLEANO:
            return "Sì/no: sì (1) = 100,00%, no (0) = 0,00%."
        return "Percentuale diretta: il valore raggiunto (in %) è la percentuale di conseguimento."

    def _ordered(self) -> tuple[Step, ...]:
        """Best step first: highest threshold for crescente, lowest for decrescente."""
        return tuple(sorted(self.steps, key=lambda s: s.soglia, reverse=self.polarita == CRESCENTE))

    def _floor(self) -> Decimal:
        """Ritardo beyond the last step: 0, or the floor the rule states ("oltre = 50%")."""
        return self.minimo if self.kind == RITARDO and self.minimo is not None else ZERO

    def with_polarita(self, polarita: str) -> Rule:
        """The indicatore's polarity; thresholds written with their % keep the text's own."""
        if self.kind in (SOGLIE, LINEARE) and len(self.steps) > 1:
            return self
        return replace(self, polarita=polarita)

    # --- computing -----------------------------------------------------------
    def score(self, target=None, achieved=None, *, deadline=None, completed_on=None) -> Decimal:
        return self.explain(
            target, achieved, deadline=deadline, completed_on=completed_on
        ).punteggio

    def explain(
        self, target=None, achieved=None, *, deadline=None, completed_on=None, spiega=True
    ) -> Spiegazione:
        target, achieved = to_decimal(target), to_decimal(achieved)
        if spiega:
            passi = Passi()
            passi.add(lambda: f"Regola: {self.describe()}")
            for avviso in self.avvisi:
                passi.add(lambda avviso=avviso: f"Attenzione: {avviso}")
        else:
            passi = NESSUN_PASSO
        raw = _CALCOLI[self.kind](self, target, achieved, deadline, completed_on, passi)
        punteggio = arrotonda(min(max(raw, ZERO), CENTO))
        if not spiega:
            return Spiegazione(punteggio, ())
        passi.add(lambda: f"Percentuale di conseguimento: {_pct(punteggio)}")
        return Spiegazione(punteggio, tuple(passi))

    def _score_ritardo(self, target, achieved, deadline, completed_on, passi):
        if deadline is not None and completed_on is not None:
            giorni = Decimal((completed_on - deadline).days)
            passi.add(
                lambda: (
                    f"Scadenza {data_lunga(deadline)}, completamento {data_lunga(completed_on)}: "
                    f"{_giorni(max(giorni, ZERO))} di ritardo"
                    + (f" ({_giorni(-giorni)} di anticipo)" if giorni < 0 else "")
                )
            )
        elif achieved is not None:
            giorni = achieved
            passi.add(lambda: f"Giorni di ritardo rilevati: {_n(giorni)}")
        elif completed_on is not None:
            raise RiferimentoMancante(
                "manca la scadenza (data attesa) da cui contare i giorni di ritardo"
            )
        else:
            raise DatiMancanti("mancano la data di completamento (o i giorni di ritardo).")
        if giorni <= 0:
            passi.add(lambda: "Nessun ritardo: 100,00%")
            return CENTO
        for step in sorted(self.steps, key=lambda s: s.soglia):
            if giorni <= step.soglia:
                passi.add(lambda: f"Ritardo fino a {_giorni(step.soglia)}: {_pct(step.punti)}")
                return step.punti
        ultimo = max(s.soglia for s in self.steps)
        passi.add(
            lambda: f"Ritardo oltre l'ultimo scaglione ({_giorni(ultimo)}): {_pct(self._floor())}"
        )
        return self._floor()

    def _needs_achieved(self, achieved, passi):
        if achieved is None:
            raise DatiMancanti("manca il valore raggiunto.")
        passi.add(
            lambda: f"Valore raggiunto: {_n(achieved)}{' ' + self.unita if self.unita else ''}"
        )

    def _reached(self, achieved: Decimal, soglia: Decimal) -> bool:
        return achieved >= soglia if self.polarita == CRESCENTE else achieved <= soglia

    def _score_soglie(self, target, achieved, deadline, completed_on, passi):
        self._needs_achieved(achieved, passi)
        for step in self._ordered():
            if self._reached(achieved, step.soglia):
                verso = "≥" if self.polarita == CRESCENTE else "≤"
                passi.add(
                    lambda: (
                        f"Soglia applicata: {_n(achieved)} {verso} {_n(step.soglia)} → {_pct(step.punti)}"
                    )
                )
                return step.punti
        passi.add(lambda: f"Sotto la soglia più bassa ({_n(self._ordered()[-1].soglia)}): 0,00%")
        return ZERO

    def _score_lineare(self, target, achieved, deadline, completed_on, passi):
        self._needs_achieved(achieved, passi)
        ordered = self._ordered()  # best first
        best, worst = ordered[0], ordered[-1]
        if self._reached(achieved, best.soglia):
            passi.add(lambda: f"Oltre la soglia migliore ({_n(best.soglia)}): {_pct(best.punti)}")
            return best.punti
        if not self._reached(achieved, worst.soglia):
            passi.add(lambda: f"Sotto la soglia più bassa ({_n(worst.soglia)}): 0,00%")
            return ZERO
        for alto, basso in zip(ordered, ordered[1:], strict=False):
            if self._reached(achieved, basso.soglia):
                quota = (achieved - basso.soglia) / (alto.soglia - basso.soglia)
                punti = basso.punti + (alto.punti - basso.punti) * quota
                passi.add(
                    lambda: (
                        f"Tra {_n(basso.soglia)} ({_pct(basso.punti)}) e {_n(alto.soglia)} ({_pct(alto.punti)}): "
                        f"{_pct(basso.punti)} + ({_pct(alto.punti)} − {_pct(basso.punti)}) × "
                        f"({_n(achieved)} − {_n(basso.soglia)}) / ({_n(alto.soglia)} − {_n(basso.soglia)}) = {_pct(arrotonda(punti))}"
                    )
                )
                return punti
        return ZERO  # unreachable: the thresholds bracket the value

    def manca_riferimento(self, target, deadline) -> str | None:
        """What the scheda lacks for this rule to measure any value, if anything: a
        proportional rule needs the target (the others have their thresholds, or count
        the days of delay entered)."""
        if self.kind == PROPORZIONALE and to_decimal(target) is None:
            return "manca il valore atteso"
        return None

    def _score_proporzionale(self, target, achieved, deadline, completed_on, passi):
        # The value first: without it the indicatore is not rilevato, whatever the target.
        self._needs_achieved(achieved, passi)
        if target is None:
            raise RiferimentoMancante(self.manca_riferimento(target, deadline))
        passi.add(lambda: f"Valore atteso: {_n(target)}")
        if self.polarita == CRESCENTE:
            if target == 0:
                passi.add(lambda: "Atteso pari a 0: obiettivo raggiunto")
                return CENTO
            quota = achieved / target * CENTO
            passi.add(lambda: f"{_n(achieved)} / {_n(target)} × 100 = {_pct(arrotonda(quota))}")
        else:
            if achieved <= target:
                passi.add(lambda: f"{_n(achieved)} non supera l'atteso {_n(target)}: 100,00%")
                return CENTO
            quota = target / achieved * CENTO
            passi.add(lambda: f"{_n(target)} / {_n(achieved)} × 100 = {_pct(arrotonda(quota))}")
        if quota > CENTO:
            passi.add(lambda: "Oltre l'atteso: limitato a 100,00%")
        if self.minimo is not None and quota < self.minimo:
            passi.add(lambda: f"Sotto il minimo del {_pct(self.minimo)}: 0,00%")
            return ZERO
        return quota

    def _score_booleano(self, target, achieved, deadline, completed_on, passi):
        if achieved is None:
            raise DatiMancanti("manca il valore raggiunto (sì = 1, no = 0).")
        if achieved not in (ZERO, Decimal(1)):
            raise ValueError(
                f"Per una regola sì/no il valore raggiunto deve essere 1 o 0, non {_n(achieved)}."
            )
        passi.add(lambda: "Valore raggiunto: " + ("sì (1)" if achieved == 1 else "no (0)"))
        return CENTO if achieved == 1 else ZERO

    def _score_percentuale(self, target, achieved, deadline, completed_on, passi):
        if achieved is None:
            raise DatiMancanti("manca il valore raggiunto (in %).")
        passi.add(lambda: f"Valore raggiunto: {_pct(achieved)} (è la percentuale di conseguimento)")
        if achieved > CENTO:
            passi.add(lambda: "Oltre 100: limitato a 100,00%")
        return achieved

    # --- storage -------------------------------------------------------------
    def to_dict(self) -> dict:
        data = {"tipo": self.kind, "polarita": self.polarita}
        if self.steps:
            data["soglie"] = [[str(s.soglia), str(s.punti)] for s in self.steps]
        if self.minimo is not None:
            data["minimo"] = str(self.minimo)
        if self.unita:
            data["unita"] = self.unita
        if self.avvisi:
            data["avvisi"] = list(self.avvisi)
        return data

    @classmethod
    def from_dict(cls, data: dict, testo: str = "") -> Rule:
        kind = data.get("tipo")
        if kind not in KINDS:
            raise ValueError(f"Tipo di regola sconosciuto: «{kind}» (ammessi: {', '.join(KINDS)}).")
        polarita = data.get("polarita", CRESCENTE)
        if polarita not in (CRESCENTE, DECRESCENTE):
            raise ValueError(f"Polarità sconosciuta: «{polarita}».")
        steps = tuple(Step(to_decimal(s), to_decimal(p)) for s, p in data.get("soglie", []))
        for step in steps:
            if not ZERO <= step.punti <= CENTO:
                raise ValueError(f"Percentuale {_n(step.punti)} fuori da 0-100.")
        if kind in (RITARDO, SOGLIE, LINEARE) and not steps:
            raise ValueError("Una regola a soglie o a ritardo ha bisogno di almeno una soglia.")
        if kind == LINEARE and len(steps) < 2:
            raise ValueError("Una regola lineare ha bisogno di almeno due soglie.")
        return cls(
            kind=kind,
            steps=steps,
            polarita=polarita,
            minimo=to_decimal(data.get("minimo")),
            unita=data.get("unita", ""),
            avvisi=tuple(data.get("avvisi", ())),
            testo=testo,
        )


# --- parser -------------------------------------------------------------------

_NUM = r"\d+(?:\.\d{3})*(?:[.,]\d+)?"
_SPACES = re.compile(r"\s+")
_BOOLEANO = re.compile(r"^\(?\s*si\s*=\s*1\s*[,;]?\s*no\s*=\s*0\s*\)?\.?$", re.I)
_PERCENTUALE = re.compile(r"^\(?\s*si\s*=\s*100\s*%?\s*\)?\.?$", re.I)
_PROPORZIONALE = re.compile(
    rf"^proporzional[ei]\b(?:\s*[,;:(]?\s*(?:minimo|min\.?|0\s*%?\s*sotto\s+(?:il|al)?)\s*(?P<minimo>{_NUM})\s*%\s*\)?)?\s*\.?$",
    re.I,
)
_RITARDO_HEAD = re.compile(r"^\s*(?:gg|giorni)\s+di\s+ritardo\s*:?", re.I)
_RITARDO_STEP = re.compile(
    rf"\s*\+\s*(?P<giorni>{_NUM})\s*(?:gg|giorni|g)?\s*=\s*(?P<punti>{_NUM})\s*%\s*[,;]?", re.I
)
_RITARDO_OLTRE = re.compile(rf"\s*oltre\s*=?\s*(?P<punti>{_NUM})\s*%\s*[,;.]?", re.I)
_SEGMENT = re.compile(
    rf"^(?P<pre>[^\d=]*?)(?P<soglia>{_NUM})\s*(?P<pct>%)?\s*(?P<unita>[^=\d]*?)\s*"
    rf"(?:=|\bè\s+al\b)\s*(?P<punti>{_NUM})\s*%\s*(?P<dopo>.*?)\s*$",
    re.I,
)
_SUFFIX_OK = re.compile(
    r"^(?:(?:dell['’]\s*|del\s+|l['’]\s*)?obiettivo(?:\s+(?:raggiunto|realizzato|conseguito))?)?\.?$",
    re.I,
)
_SOSPESI = ";/,=+:-"  # a text ending with one of these was cut short
_NOISE = re.compile(r"\b(?:l['’]\s*)?obiettivo\s+conseguito\b|\bnumero\b", re.I)


# Rule.kind → the method that computes it (looked up once, not by name at each score).
_CALCOLI = {kind: getattr(Rule, f"_score_{kind}") for kind in KINDS}


def _parte_ignorata(parte: str) -> str:
    return f"{_INTERROTTO}: la parte finale «{parte}» è incompleta e non è considerata"


def _interrotto(rule: Rule, clean: str) -> Rule:
    """A text ending with a separator or an operator («…;», «+10gg =») looks cut short: say so."""
    fine = clean[-1:]
    if rule.avvisi or fine not in _SOSPESI:
        return rule
    avviso = f"{_INTERROTTO}: finisce con «{fine}» e manca la parte che dovrebbe seguire"
    return replace(rule, avvisi=(avviso,))


def _dec(text: str) -> Decimal:
    if re.fullmatch(r"[1-9]\d{0,2}(?:\.\d{3})+", text):  # Italian thousands: 1.000
        text = text.replace(".", "")
    return Decimal(text.replace(",", "."))


def parse(text: str) -> Rule:
    """Read a graduazione as written in a scheda. Raises GraduationSyntaxError."""
    original = text or ""
    clean = _SPACES.sub(" ", original.replace("\u00a0", " ")).strip()
    return _interrotto(_parse(clean, original), clean)


def _parse(clean: str, original: str) -> Rule:
    if not clean:
        raise GraduationSyntaxError("La graduazione è vuota.", 0, original)
    if _BOOLEANO.match(clean):
        return Rule(BOOLEANO, testo=original)
    if _PERCENTUALE.match(clean):
        return Rule(PERCENTUALE, testo=original)
    if match := _PROPORZIONALE.match(clean):
        minimo = match.group("minimo")
        return Rule(PROPORZIONALE, minimo=_dec(minimo) if minimo else None, testo=original)
    if head := _RITARDO_HEAD.match(clean):
        return _parse_ritardo(clean, head.end(), original)
    lineare = re.match(r"^\s*lineare\b\s*:?", clean, re.I)
    return _parse_soglie(
        clean, lineare.end() if lineare else 0, original, LINEARE if lineare else SOGLIE
    )


def _parse_ritardo(clean: str, pos: int, original: str) -> Rule:
    steps, avvisi = [], []
    while match := _RITARDO_STEP.match(clean, pos):
        steps.append(Step(_dec(match["giorni"]), _dec(match["punti"])))
        pos = match.end()
    floor = None
    if match := _RITARDO_OLTRE.match(clean, pos):
        floor, pos = _dec(match["punti"]), match.end()
    rest = clean[pos:].strip()
    if rest:
        if re.fullmatch(rf"\+\s*{_NUM}\s*(?:gg|giorni|g)?\s*=?\s*", rest, re.I):
            avvisi.append(_parte_ignorata(rest))
        else:
            raise GraduationSyntaxError(
                f"Non riesco a leggere «{rest}»: atteso uno scaglione come «+5 gg = 90%».",
                pos,
                original,
            )
    if not steps:
        raise GraduationSyntaxError(
            "Nessuno scaglione di ritardo: atteso ad esempio «gg di ritardo +5 = 90%».",
            pos,
            original,
        )
    giorni = [s.soglia for s in steps]
    if giorni != sorted(set(giorni)):
        raise GraduationSyntaxError(
            "Gli scaglioni di ritardo devono essere in ordine crescente di giorni.", 0, original
        )
    punti = [s.punti for s in steps] + ([floor] if floor is not None else [])
    if any(p > CENTO for p in punti) or punti != sorted(punti, reverse=True):
        raise GraduationSyntaxError(
            "Le percentuali devono diminuire al crescere del ritardo e non superare 100.",
            0,
            original,
        )
    return Rule(
        RITARDO,
        tuple(steps),
        polarita=DECRESCENTE,
        minimo=floor,
        avvisi=tuple(avvisi),
        testo=original,
    )


def _parse_soglie(clean: str, start: int, original: str, kind: str) -> Rule:
    steps, avvisi, unita = [], [], ""
    segments = [(m.start(), m.group()) for m in re.finditer(r"[^;/]+", clean[start:])]
    for index, (offset, segment) in enumerate(segments):
        at = start + offset + len(segment) - len(segment.lstrip())
        if not segment.strip():
            continue
        match = _SEGMENT.match(segment.strip())
        last = index == len(segments) - 1
        if not match:
            if last and steps:
                avvisi.append(_parte_ignorata(segment.strip()))
                continue
            raise GraduationSyntaxError(
                f"Non riesco a leggere «{segment.strip()}»: atteso ad esempio «4 incontri = 100%».",
                at,
                original,
            )
        words = _NOISE.sub(" ", f"{match['pre']} {match['unita']}")
        words = _SPACES.sub(" ", words).strip(" :,.")
        dopo = match["dopo"].strip()
        if (
            dopo
            and not _SUFFIX_OK.match(dopo)
            and dopo.casefold() not in (unita.casefold(), words.casefold())
        ):
            raise GraduationSyntaxError(
                f"Non riesco a leggere «{dopo}» dopo la percentuale: atteso «dell'obiettivo» o niente.",
                at + segment.find(dopo),
                original,
            )
        punti = _dec(match["punti"])
        if punti > CENTO:
            raise GraduationSyntaxError(f"Percentuale {match['punti']}% oltre 100.", at, original)
        steps.append(Step(_dec(match["soglia"]), punti))
        if not unita:
            unita = "%" if match["pct"] else words
    if not steps:
        raise GraduationSyntaxError(
            "Regola non riconosciuta: attese soglie («4 incontri = 100%; 3 = 90%»), "
            "«gg di ritardo +5 = 90% …», «proporzionale», «(si=1, no=0)» o «(SI=100)».",
            start,
            original,
        )
    soglie = [s.soglia for s in steps]
    if len(set(soglie)) != len(soglie):
        raise GraduationSyntaxError("Due soglie hanno lo stesso valore.", start, original)
    # Higher thresholds giving lower % means lower is better (e.g. "2 reclami = 100%; 5 reclami = 80%").
    ordinate = sorted(steps, key=lambda s: s.soglia)
    polarita = (
        DECRESCENTE if len(steps) > 1 and ordinate[0].punti > ordinate[-1].punti else CRESCENTE
    )
    if kind == LINEARE and len(steps) < 2:
        raise GraduationSyntaxError(
            "Una regola lineare ha bisogno di almeno due soglie.", start, original
        )
    migliori_prima = sorted(steps, key=lambda s: s.soglia, reverse=polarita == CRESCENTE)
    punti = [s.punti for s in migliori_prima]
    if punti != sorted(punti, reverse=True):
        raise GraduationSyntaxError(
            "Le percentuali delle soglie non sono in ordine: a un risultato migliore deve "
            "corrispondere una percentuale uguale o più alta.",
            start,
            original,
        )
    return Rule(
        kind, tuple(steps), polarita=polarita, unita=unita, avvisi=tuple(avvisi), testo=original
    )
