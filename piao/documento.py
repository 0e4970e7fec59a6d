"""The PIAO's sezione 2 (2.1 Valore pubblico, 2.2 Performance) of a piano and year, or
the stand-alone Piano della performance / PDO of an ente under 50 dipendenti, as data:
the one source of the PDF, the JSON and the CSV (``piao.formati``).

Only schede approved or later go in (never bozze or proposte): how many were left out is
counted. A fixed number of queries, whatever the size of the piano.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from indicators.engine.formatting import data_lunga, numero_compatto
from indicators.models import Indicatore
from objectives.models import Obiettivo
from objectives.workflow import APPROVATI
from peg.models import NodoDUP

from .models import IndicatoreImpatto, Outcome
from .temi import ETICHETTABILI, PER_CHIAVE, TEMI, ambiti_della_scheda

S = Obiettivo.Stato
# DM 132/2022 art. 6: under this many dipendenti, no 2.1 and 2.2 (but the PDO).
SOGLIA_DIPENDENTI = 50
ORDINE = ("settore__codice", "settore__nome", "codice_ordinabile", "id")

PIAO = "piao"
PDO = "pdo"


def tipo_documento(comune) -> str:
    """``PDO`` for an ente with fewer than 50 dipendenti; an unknown number (empty)
    counts as 50 or more: the full sezione 2."""
    if comune.dipendenti is not None and comune.dipendenti < SOGLIA_DIPENDENTI:
        return PDO
    return PIAO


def titolo(comune, piano, anno: int) -> str:
    if tipo_documento(comune) == PDO:
        return f"Piano della performance / Piano dettagliato degli obiettivi {anno}"
    return f"PIAO {anno}-{anno + 2} – Sezione 2 Valore pubblico, Performance e Anticorruzione"


def triennio(anno: int) -> list[int]:
    """The PIAO is triennial and rolls forward: the year and the next two."""
    return [anno, anno + 1, anno + 2]


def testo_target(valore: Decimal | None, testo: str = "") -> str:
    """A target as the scheda prints it, else the number the Italian way (no zeros)."""
    return testo or numero_compatto(valore)


def testo_target_con_data(ind) -> str:
    valore = testo_target(ind.valore_atteso, ind.valore_atteso_testo)
    if valore and ind.data_attesa:
        return f"{valore} al {data_lunga(ind.data_attesa)}"
    return valore or "—"


@dataclass
class Scheda:
    obiettivo: Obiettivo
    indicatori: list
    collegamenti_dup: list[str]
    temi: list
    # {numero dell'indicatore: {anno: indicatore}} over the triennium (pluriennali)
    triennio: list[dict] = field(default_factory=list)


@dataclass
class SettoreDoc:
    settore: object
    schede: list[Scheda]

    @property
    def somma_pesi(self) -> Decimal | None:
        """The obiettivi's weights summed; None when none has one (Chiavari's)."""
        pesi = [s.obiettivo.peso for s in self.schede if s.obiettivo.peso is not None]
        return sum(pesi, Decimal(0)) if pesi else None


@dataclass
class Documento:
    comune: object
    piano: object
    anno: int
    tipo: str
    titolo: str
    settori: list[SettoreDoc]
    outcomes: list[Outcome]
    trasversali: list[tuple]  # (tema, [Scheda])
    esclusi: int  # schede of the year not approved yet
    anni_triennio: list[int]

    @property
    def pdo(self) -> bool:
        return self.tipo == PDO

    @property
    def n_schede(self) -> int:
        return sum(len(s.schede) for s in self.settori)

    @property
    def dipendenti_noti(self) -> bool:
        return self.comune.dipendenti is not None


def _schede(piano, anno: int) -> list[Obiettivo]:
    return list(
        Obiettivo.objects.filter(piano=piano, anno=anno, stato__in=APPROVATI)
        .select_related("settore", "missione", "programma")
        .prefetch_related(
            Prefetch("indicatori", Indicatore.objects.order_by("numero")),
            Prefetch("nodi_dup", NodoDUP.objects.order_by("ordine", "codice")),
            "temi_piao",
            "ambiti",
        )
        .order_by(*ORDINE)
    )


def _anni_successivi(piano, schede: list[Obiettivo], anni: list[int]) -> dict:
    """{(codice, anno): [indicatori]} of the pluriennali's approved schede of the next
    years of the triennium (same codice, one scheda per year), in the same piano."""
    codici = {o.codice for o in schede if o.anno_fine > o.anno}
    if not codici or not anni:
        return {}
    altre = (
        Obiettivo.objects.filter(piano=piano, codice__in=codici, anno__in=anni, stato__in=APPROVATI)
        .only("id", "codice", "anno")
        .prefetch_related(Prefetch("indicatori", Indicatore.objects.order_by("numero")))
    )
    return {(o.codice, o.anno): list(o.indicatori.all()) for o in altre}


def _triennio(obiettivo, indicatori, successivi: dict, anni: list[int]) -> list[dict]:
    """Rows by indicator number: the target of each year of the triennium."""
    per_anno = {obiettivo.anno: indicatori}
    for anno in anni[1:]:
        if (obiettivo.codice, anno) in successivi:
            per_anno[anno] = successivi[(obiettivo.codice, anno)]
    if len(per_anno) == 1:
        return []
    righe: dict[int, dict] = {}
    for anno, lista in per_anno.items():
        for ind in lista:
            riga = righe.setdefault(ind.numero, {"numero": ind.numero, "per_anno": {}})
            riga.setdefault("denominazione", ind.denominazione)
            riga["per_anno"][anno] = ind
    for riga in righe.values():
        riga["celle"] = [
            (a, testo_target_con_data(riga["per_anno"][a]) if a in riga["per_anno"] else "—")
            for a in anni
        ]
    return [righe[n] for n in sorted(righe)]


def collegamenti_dup(obiettivo) -> list[str]:
    """The DUP nodes, then missione and programma, as the scheda names them."""
    voci = [f"{n.livello} {n.codice} {n.denominazione}".strip() for n in obiettivo.nodi_dup.all()]
    if obiettivo.riferimento_dup and not voci:
        voci.append(f"Riferimento DUP {obiettivo.riferimento_dup}")
    if obiettivo.missione_id:
        voci.append(f"Missione {obiettivo.missione}")
    if obiettivo.programma_id:
        voci.append(f"Programma {obiettivo.programma}")
    return voci


def costruisci(piano, anno: int) -> Documento:
    comune = piano.comune
    anni = triennio(anno)
    esclusi = Obiettivo.objects.filter(piano=piano, anno=anno).exclude(stato__in=APPROVATI).count()
    obiettivi = _schede(piano, anno)
    successivi = _anni_successivi(piano, obiettivi, anni[1:])
    per_settore: dict = {}
    per_tema: dict[str, list] = {}
    propri: dict = {}  # chiave → tema, the comune's own ambiti included
    for o in obiettivi:
        indicatori = list(o.indicatori.all())
        temi = sorted(
            (ETICHETTABILI[t.tema] for t in o.temi_piao.all() if t.tema in ETICHETTABILI),
            key=TEMI.index,
        ) + ambiti_della_scheda(o)
        scheda = Scheda(o, indicatori, collegamenti_dup(o), temi)
        scheda.triennio = _triennio(o, indicatori, successivi, anni)
        per_settore.setdefault(o.settore_id, SettoreDoc(o.settore, [])).schede.append(scheda)
        for tema in temi:
            per_tema.setdefault(tema.chiave, []).append(scheda)
            propri.setdefault(tema.chiave, tema)
    tipo = tipo_documento(comune)
    return Documento(
        comune=comune,
        piano=piano,
        anno=anno,
        tipo=tipo,
        titolo=titolo(comune, piano, anno),
        settori=list(per_settore.values()),
        outcomes=[] if tipo == PDO else outcomes(piano, anno),
        trasversali=[(t, per_tema[t.chiave]) for t in TEMI if t.chiave in per_tema]
        + [(t, per_tema[k]) for k, t in propri.items() if k not in PER_CHIAVE],
        esclusi=esclusi,
        anni_triennio=anni,
    )


def outcomes(piano, anno: int, solo_approvati: bool = True) -> list[Outcome]:
    """The piano's outcomes with their indicators and the contributing schede of the
    year (approved or later unless ``solo_approvati`` is False: the editing page)."""
    schede = Obiettivo.objects.filter(anno=anno).order_by(*ORDINE).select_related("settore")
    if solo_approvati:
        schede = schede.filter(stato__in=APPROVATI)
    return list(
        Outcome.objects.filter(piano=piano).prefetch_related(
            Prefetch("indicatori", IndicatoreImpatto.objects.order_by("ordine", "id")),
            Prefetch("obiettivi", schede, to_attr="obiettivi_anno"),
        )
    )
