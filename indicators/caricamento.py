"""Database loaders for the pure scoring engine (``indicators.engine.scoring``).

``carica_figli`` attaches to any set of schede what scoring reads (indicatori with their
rilevazioni, fasi, and the OIV's validated figures in force) in a fixed number of
queries; ``carica_punteggi`` loads and scores a piano.

The validated figures are stored by the OIV's app (``valutazione``), which sits above
this one: it registers at start-up the function that loads those in force
(``registra_rettifiche``), so nothing here imports it.
"""

from __future__ import annotations

import gc
import json
from collections import namedtuple
from collections.abc import Callable
from contextlib import contextmanager
from functools import lru_cache, partial

from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import connections
from django.db.models import TextField
from django.db.models.functions import Cast

from objectives.models import Fase, Obiettivo

from .engine.graduation import Rule, parse
from .engine.scoring import FINALE, PunteggiPiano, Sistema, calcola
from .models import Indicatore, Rilevazione
from .regola import _da_json

# (subquery of obiettivo ids) → {obiettivo id: [validated scores in force]}
FonteRettifiche = Callable[[object], dict]
_fonte_rettifiche: FonteRettifiche | None = None


def registra_rettifiche(fonte: FonteRettifiche) -> None:
    """Called once by ``valutazione`` when the apps are ready."""
    global _fonte_rettifiche
    _fonte_rettifiche = fonte


def rettifiche_di(obiettivi_ids) -> dict:
    """The validated figures in force for the schede of a subquery, by obiettivo id."""
    if _fonte_rettifiche is None:
        # Silently none would drop the OIV's figures from every score.
        raise ImproperlyConfigured(
            "Nessuna fonte dei punteggi validati: l'app «valutazione» non è stata caricata."
        )
    return _fonte_rettifiche(obiettivi_ids)


# Only what scoring reads: a whole ente loads quickly.
CAMPI_OBIETTIVO = (
    "id",
    "codice",
    "anno",
    "peso",
    "strategicita",
    "complessita",
    "tipologia",
    "settore",
    "piano_id",
    "stato",
)
CAMPI_INDICATORE = (
    "id",
    "obiettivo_id",
    "numero",
    "peso",
    "polarita",
    "graduazione",
    "regola",
    "valore_atteso",
    "data_attesa",
    "valore_intermedio",
    "data_intermedia",
)
CAMPI_FASE = (
    "id",
    "obiettivo_id",
    "numero",
    "peso",
    "graduazione",
    "regola",
    "livello_atteso",
    "raggiunto",
    "avanzamento",
    "data_fine_prevista",
    "data_fine_effettiva",
)
CAMPI_RILEVAZIONE = ("id", "indicatore_id", "tipo", "valore", "data")


def carica_punteggi(
    piano, anno: int | None = None, momento: str = FINALE, settore=None, spiega: bool = False
) -> PunteggiPiano:
    """Load a piano's schede (of one year) in five queries and score them.

    Children are grouped here rather than with prefetch_related, whose per-object
    querysets cost more than the scoring itself on a whole ente; they are light rows
    (``carica_figli(..., leggeri=True)``), and the collector stays out of the bulk work."""
    filtro = {"piano": piano}
    if anno is not None:
        filtro["anno"] = anno
    if settore is not None:
        filtro["settore"] = settore
    with senza_raccolta():
        obiettivi = carica_figli(
            Obiettivo.objects.filter(**filtro)
            .select_related("settore")
            .only(*CAMPI_OBIETTIVO)
            .order_by("settore__codice", "settore__nome", "codice_ordinabile", "anno", "id"),
            leggeri=True,
        )
        return calcola(
            obiettivi,
            Sistema.del_piano(piano),
            momento,
            etichetta_ente=str(piano.comune),
            spiega=spiega,
        )


def carica_figli(obiettivi, leggeri: bool = False) -> list:
    """The obiettivi of a queryset with what scoring reads attached, in five queries
    whatever their number (children selected by the same filter, not by id lists).

    ``leggeri``: the indicatori, fasi and rilevazioni attached are light rows with only
    what scoring reads (see ``IndicatoreLeggero``, ``FaseLeggera``, ``RilevazioneLeggera``),
    not model instances: several times faster on a whole ente, for callers that only
    score and read weights. Without it they are model instances (``.only`` the same
    fields), for pages that show or change them."""
    with senza_raccolta():
        lista = list(obiettivi)
        figli = obiettivi.order_by().values("pk")
        # Light indicatori come with their rilevazioni attached.
        indicatori, fasi, rilevazioni = (_figli_leggeri if leggeri else _figli_modelli)(figli)
        rettifiche = rettifiche_di(figli)
        for obiettivo in lista:
            obiettivo.figli = {
                "indicatori": indicatori.get(obiettivo.pk, []),
                "fasi": fasi.get(obiettivo.pk, []),
                "rettifiche": rettifiche.get(obiettivo.pk, []),
            }
            if not leggeri:
                for indicatore in obiettivo.figli["indicatori"]:
                    indicatore.figli = {"rilevazioni": rilevazioni.get(indicatore.pk, [])}
    return lista


def _figli_modelli(figli) -> tuple[dict, dict, dict]:
    indicatori = raggruppa(
        Indicatore.objects.filter(obiettivo__in=figli).only(*CAMPI_INDICATORE), "obiettivo_id"
    )
    fasi = raggruppa(Fase.objects.filter(obiettivo__in=figli).only(*CAMPI_FASE), "obiettivo_id")
    rilevazioni = raggruppa(
        Rilevazione.objects.filter(indicatore__obiettivo__in=figli).only(*CAMPI_RILEVAZIONE),
        "indicatore_id",
    )
    return indicatori, fasi, rilevazioni


def raggruppa(queryset, chiave: str) -> dict:
    """{value of ``chiave``: [objects]} in numero (else id) order, from one query."""
    gruppi: dict = {}
    ordine = "numero" if hasattr(queryset.model, "numero") else "id"
    for obj in queryset.order_by(chiave, ordine):
        gruppi.setdefault(getattr(obj, chiave), []).append(obj)
    return gruppi


# -- Light rows: what scoring reads, as tuples -----------------------------------------
# The stored rule is read as its JSON text (no decoding per row) and each distinct text is
# turned into a Rule once, exactly as ``ConGraduazione.regola_letta`` does.


@lru_cache(maxsize=1024)
def _regola_da_testo(testo: str) -> Rule | None:
    dati = json.loads(testo)
    return _da_json(json.dumps(dati, sort_keys=True)) if dati else None


def _regola_letta(testo: str | None, graduazione: str) -> Rule | None:
    """``ConGraduazione.regola_letta`` from the rule's JSON text and the graduazione."""
    rule = _regola_da_testo(testo) if testo is not None else None
    if rule is not None:
        return rule
    return parse(graduazione) if graduazione.strip() else None


@lru_cache(maxsize=4096)
def _lettore(testo: str | None, graduazione: str) -> Callable[[], Rule | None]:
    """``regola_letta`` of a light row: the rule of each distinct (JSON text, graduazione)
    read once; one that cannot be read raises again at every call, as the model's does."""
    try:
        rule = _regola_letta(testo, graduazione)
    except Exception:
        return partial(_regola_letta, testo, graduazione)
    return partial(_stessa, rule)


def _stessa(rule):
    return rule


_CAMPI_INDICATORE_LEGGERO = tuple(c for c in CAMPI_INDICATORE if c != "regola")
_CAMPI_FASE_LEGGERA = tuple(c for c in CAMPI_FASE if c != "regola")

# Light rows: ``pk``, the model's fields scoring reads, ``regola_letta()`` as on the model
# (indicatori: and ``figli``, with their rilevazioni).
IndicatoreLeggero = namedtuple(
    "IndicatoreLeggero", ("pk", *_CAMPI_INDICATORE_LEGGERO, "regola_letta", "figli")
)
FaseLeggera = namedtuple("FaseLeggera", ("pk", *_CAMPI_FASE_LEGGERA, "regola_letta"))
RilevazioneLeggera = namedtuple("RilevazioneLeggera", ("pk", *CAMPI_RILEVAZIONE))


def _testo_regola():
    return Cast("regola", output_field=TextField())


def righe(queryset) -> list[tuple]:
    """``list(queryset)`` of a ``values_list`` queryset, the same tuples, faster on many rows.

    The query is Django's; each column's values are converted by Django's own converters
    (decimals, dates...), but each distinct raw value once: a plan repeats a few weights,
    targets and dates thousands of times."""
    compiler = queryset.query.get_compiler(queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return []
    connection = connections[queryset.db]
    colonne = [c[0] for c in compiler.select]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        dati = cursor.fetchall()
    if not dati:
        return []
    convertitori = compiler.get_converters(colonne)
    if not convertitori:
        return [tuple(r) for r in dati]
    per_colonna = list(zip(*dati, strict=True))
    for i, (funzioni, espressione) in convertitori.items():
        per_colonna[i] = list(map(_memo(funzioni, espressione, connection), per_colonna[i]))
    return list(zip(*per_colonna, strict=True))


def _memo(funzioni, espressione, connection):
    @lru_cache(maxsize=None, typed=True)
    def converti(valore):
        for funzione in funzioni:
            valore = funzione(valore, espressione, connection)
        return valore

    return converti


def _figli_leggeri(figli) -> tuple[dict, dict, None]:
    rilevazioni: dict = {}
    for riga in righe(
        Rilevazione.objects.filter(indicatore__obiettivo__in=figli)
        .order_by("indicatore_id", "id")
        .values_list(*CAMPI_RILEVAZIONE)
    ):
        rilevazioni.setdefault(riga[1], []).append(RilevazioneLeggera(riga[0], *riga))
    indicatori: dict = {}
    for *riga, testo in righe(
        Indicatore.objects.filter(obiettivo__in=figli)
        .order_by("obiettivo_id", "numero")
        .values_list(*_CAMPI_INDICATORE_LEGGERO, _testo_regola())
    ):
        indicatori.setdefault(riga[1], []).append(
            IndicatoreLeggero(
                riga[0],
                *riga,
                _lettore(testo, riga[5]),
                {"rilevazioni": rilevazioni.get(riga[0], [])},
            )
        )
    fasi: dict = {}
    for *riga, testo in righe(
        Fase.objects.filter(obiettivo__in=figli)
        .order_by("obiettivo_id", "numero")
        .values_list(*_CAMPI_FASE_LEGGERA, _testo_regola())
    ):
        fasi.setdefault(riga[1], []).append(FaseLeggera(riga[0], *riga, _lettore(testo, riga[4])))
    return indicatori, fasi, None


@contextmanager
def senza_raccolta():
    """The garbage collector paused during a bulk load and scoring.

    Loading a whole ente allocates tens of thousands of objects that all stay alive: each
    collection the allocations trigger walks all of them again, for nothing (25% of the
    time at 30 × 50 schede, 43% at 60 × 50: the cost grew faster than the plan). Nested
    uses leave it to the outermost; the collector runs again after, as it was."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
