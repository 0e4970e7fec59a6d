"""Database loaders for the pure scoring engine (``indicators.engine.scoring``).

``carica_figli`` attaches to any set of schede what scoring reads (indicatori with their
rilevazioni, fasi, and the OIV's validated figures in force) in a fixed number of
queries (five, four when no scheda loaded is validated); ``carica_punteggi`` loads and
scores a piano.

The validated figures are stored by the OIV's app (``valutazione``), which sits above
this one: it registers at start-up the function that loads those in force
(``registra_rettifiche``), with the rule of which schede may have them (by stato), so
nothing here imports it and the query is spared when no scheda loaded may have any.
"""

from __future__ import annotations

import json
from collections import namedtuple
from collections.abc import Callable
from functools import lru_cache, partial
from itertools import groupby

from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import connections
from django.db.models import TextField
from django.db.models.base import ModelState
from django.db.models.functions import Cast
from django.db.models.signals import post_init, pre_init

from objectives.models import Fase, Obiettivo
from peg.memoria import senza_raccolta
from peg.models import Settore

from .engine.graduation import Rule, parse
from .engine.scoring import FINALE, PunteggiPiano, Sistema, calcola
from .models import Indicatore, Rilevazione
from .regola import _da_json

# (subquery of obiettivo ids) → {obiettivo id: [validated scores in force]}
FonteRettifiche = Callable[[object], dict]
_fonte_rettifiche: FonteRettifiche | None = None
# stato → whether a scheda in that stato may have validated figures in force
_puo_averne: Callable[[str], bool] | None = None


def registra_rettifiche(fonte: FonteRettifiche, puo_averne: Callable[[str], bool]) -> None:
    """Called once by ``valutazione`` when the apps are ready."""
    global _fonte_rettifiche, _puo_averne
    _fonte_rettifiche, _puo_averne = fonte, puo_averne


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
# Up to so many schede, their children are selected by id list (see ``_attacca``).
PER_ID = 500


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
        schede = (
            Obiettivo.objects.filter(**filtro)
            .select_related("settore")
            .only(*CAMPI_OBIETTIVO)
            .order_by("settore__codice", "settore__nome", "codice_ordinabile", "anno", "id")
        )
        obiettivi = _attacca(_obiettivi_con_settore(schede), schede, leggeri=True)
        return calcola(
            obiettivi,
            Sistema.del_piano(piano),
            momento,
            etichetta_ente=str(piano.comune),
            spiega=spiega,
        )


def carica_figli(obiettivi, leggeri: bool = False) -> list:
    """The obiettivi of a queryset with what scoring reads attached, in five queries
    whatever their number (children selected by the same filter, by id lists only up
    to ``PER_ID`` schede).

    ``leggeri``: the indicatori, fasi and rilevazioni attached are light rows with only
    what scoring reads (see ``IndicatoreLeggero``, ``FaseLeggera``, ``RilevazioneLeggera``),
    not model instances: several times faster on a whole ente, for callers that only
    score and read weights. Without it they are model instances (``.only`` the same
    fields), for pages that show or change them."""
    with senza_raccolta():
        return _attacca(list(obiettivi), obiettivi, leggeri)


def _attacca(lista: list, obiettivi, leggeri: bool) -> list:
    """``lista`` (the obiettivi of the queryset ``obiettivi``) with their ``figli``."""
    # A few schede: by their ids, which compile faster than the queryset as a subquery
    # (a whole ente's ids would be too many parameters for one query).
    figli = [o.pk for o in lista] if len(lista) <= PER_ID else obiettivi.order_by().values("pk")
    # Light indicatori come with their rilevazioni attached.
    indicatori, fasi, rilevazioni = (_figli_leggeri if leggeri else _figli_modelli)(figli)
    rettifiche = rettifiche_di(figli) if _possono_averne(lista) else {}
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


def _possono_averne(lista: list) -> bool:
    """Whether a scheda of ``lista`` may have validated figures in force, by the stato
    its row was loaded with (one whose stato was not loaded may)."""
    if _puo_averne is None:
        return True  # rettifiche_di says why there are none
    stati = {o.__dict__.get("stato") for o in lista}  # not loaded (``.only``): None
    return None in stati or any(map(_puo_averne, stati))


def _obiettivi_con_settore(queryset) -> list:
    """``list(queryset)`` of ``carica_punteggi``'s queryset (``.only(*CAMPI_OBIETTIVO)``,
    ``select_related("settore")``): the same model instances, the other fields loaded on
    access as with ``.only``, each settore one instance, built straight from the rows.
    ``Model.from_db`` walks every one of the obiettivo's 47 fields for each row: on a whole
    ente that cost as much as fetching every row scoring reads."""
    if any(s.has_listeners(m) for s in (pre_init, post_init) for m in (Obiettivo, Settore)):
        return list(queryset)  # what __init__ would tell them: the ordinary path
    campi = [Obiettivo._meta.get_field(c).attname for c in CAMPI_OBIETTIVO]
    campi_settore = [f.attname for f in Settore._meta.concrete_fields]
    db = queryset.db
    settori: dict = {}
    lista = []
    for riga in righe(queryset.values_list(*campi, *(f"settore__{c}" for c in campi_settore))):
        obiettivo = _istanza(Obiettivo, db, zip(campi, riga, strict=False))
        settore_id = obiettivo.settore_id
        if (settore := settori.get(settore_id)) is None:
            valori = zip(campi_settore, riga[len(campi) :], strict=True)
            settore = settori[settore_id] = _istanza(Settore, db, valori)
        obiettivo._state.fields_cache["settore"] = settore
        lista.append(obiettivo)
    return lista


def _istanza(modello, db, valori):
    """A model instance as ``from_db`` makes it with only these field values."""
    obj = modello.__new__(modello)
    obj.__dict__.update(valori)
    obj._state = ModelState()
    obj._state.adding = False
    obj._state.db = db
    return obj


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
_GRADUAZIONE_INDICATORE = _CAMPI_INDICATORE_LEGGERO.index("graduazione")
_GRADUAZIONE_FASE = _CAMPI_FASE_LEGGERA.index("graduazione")

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
    """``list(queryset)`` of a ``values_list`` queryset, the same tuples, faster on many rows
    (see ``colonne``)."""
    return list(zip(*colonne(queryset), strict=True))


def colonne(queryset) -> list:
    """The columns of a ``values_list`` queryset's rows: ``list(zip(*queryset))``.

    The query is Django's; each column's values are converted by Django's own converters
    (decimals, dates...), but each distinct raw value once: a plan repeats a few weights,
    targets and dates thousands of times."""
    compiler = queryset.query.get_compiler(queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:  # a filter that matches nothing by construction (``.none()``)
        return [() for _ in queryset._fields]
    connection = connections[queryset.db]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        dati = cursor.fetchall()
    per_colonna = list(zip(*dati, strict=True)) or [() for _ in compiler.select]
    convertitori = compiler.get_converters([c[0] for c in compiler.select])
    for i, (funzioni, espressione) in convertitori.items():
        per_colonna[i] = tuple(map(_memo(funzioni, espressione, connection), per_colonna[i]))
    return per_colonna


def _memo(funzioni, espressione, connection):
    @lru_cache(maxsize=None, typed=True)
    def converti(valore):
        for funzione in funzioni:
            valore = funzione(valore, espressione, connection)
        return valore

    return converti


def _figli_leggeri(figli) -> tuple[dict, dict, None]:
    rilevazioni = _per_chiave(
        RilevazioneLeggera,
        colonne(
            Rilevazione.objects.filter(indicatore__obiettivo__in=figli)
            .order_by("indicatore_id", "id")
            .values_list(*CAMPI_RILEVAZIONE)
        ),
    )
    *campi, testi = colonne(
        Indicatore.objects.filter(obiettivo__in=figli)
        .order_by("obiettivo_id", "numero")
        .values_list(*_CAMPI_INDICATORE_LEGGERO, _testo_regola())
    )
    figli_indicatori = [{"rilevazioni": rilevazioni.get(pk, [])} for pk in campi[0]]
    indicatori = _per_chiave(
        IndicatoreLeggero,
        [*campi, map(_lettore, testi, campi[_GRADUAZIONE_INDICATORE]), figli_indicatori],
    )
    *campi, testi = colonne(
        Fase.objects.filter(obiettivo__in=figli)
        .order_by("obiettivo_id", "numero")
        .values_list(*_CAMPI_FASE_LEGGERA, _testo_regola())
    )
    fasi = _per_chiave(FaseLeggera, [*campi, map(_lettore, testi, campi[_GRADUAZIONE_FASE])])
    return indicatori, fasi, None


def _per_chiave(tipo, colonne: list) -> dict:
    """{second column's value: [rows of ``tipo``]} from columns (id, key, ...) of rows
    ordered by key: ``tipo`` takes the id twice, as ``pk`` and ``id``."""
    righe_ = map(partial(tuple.__new__, tipo), zip(colonne[0], *colonne, strict=False))
    return {k: list(g) for k, g in groupby(righe_, key=_chiave)}


def _chiave(riga):
    return riga[2]
