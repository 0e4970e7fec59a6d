"""The audit trail of a scheda: every recorded change to it and to what hangs off it.

Reads the django-simple-history tables of every kind of object in one query (a UNION
ALL) and works out old → new in Python (``diff_against`` would query once per record).
"""

import functools
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection
from django.db.models import Value
from django.db.models.functions import Cast

from indicators.models import Indicatore, Rilevazione
from peg.compilate import Compilata
from peg.formatting import in_parole

from .models import Fase, Obiettivo, RisorsaFinanziaria, RisorsaStrumentale, RisorsaUmana

TIPI = {"+": "creato", "~": "modificato", "-": "eliminato"}
IGNORATI = {"id", "versione", "regola"}  # derived or technical


@dataclass
class Voce:
    quando: datetime
    utente: str
    oggetto: str
    tipo: str
    motivo: str
    cambi: list = field(default_factory=list)  # [(campo, prima, dopo)]


def _fonti(obiettivo_id: int):
    """(model, its history rows of the scheda, the name of one row) for every kind."""
    yield Obiettivo, Obiettivo.history.filter(id=obiettivo_id), lambda r: "obiettivo"
    yield (
        Indicatore,
        Indicatore.history.filter(obiettivo_id=obiettivo_id),
        lambda r: f"indicatore {r['numero']}",
    )
    yield Fase, Fase.history.filter(obiettivo_id=obiettivo_id), lambda r: f"fase {r['numero']}"
    tipi_rilevazione = dict(Rilevazione._meta.get_field("tipo").flatchoices)
    yield (
        Rilevazione,
        Rilevazione.history.filter(indicatore__obiettivo_id=obiettivo_id),
        lambda r: (
            f"rilevazione {str(tipi_rilevazione.get(r['tipo'], r['tipo'])).lower()}"
            f" (indicatore {r['indicatore__numero']})"
        ),
    )
    for model, nome in (
        (RisorsaFinanziaria, "risorsa finanziaria"),
        (RisorsaUmana, "risorsa umana"),
        (RisorsaStrumentale, "risorsa strumentale"),
    ):
        yield model, model.history.filter(obiettivo_id=obiettivo_id), lambda r, nome=nome: nome


# What every history row gives, whatever its kind.
COMUNI = (
    "id",
    "history_id",
    "history_date",
    "history_type",
    "history_change_reason",
    "history_user__first_name",
    "history_user__last_name",
    "history_user__username",
)


def _campi(model) -> list:
    return [f for f in model._meta.concrete_fields if f.name not in IGNORATI]


# The UNION below has hundreds of typed NULL columns: building and compiling it through
# the ORM cost more than running it (measured: most of the scheda page). It is compiled
# once per database with this id in place of the scheda's, which each call puts back.
SEGNAPOSTO = -7_310_001  # no scheda has it


@functools.cache
def _struttura() -> tuple:
    """Every history row of every kind in one query: a UNION ALL where each kind fills
    its own columns (those of the others are NULL cast to their type: PostgreSQL matches
    the types of a UNION, and the values come back converted alike). (queryset, the
    columns each kind reads back, [(model, name of a row)])."""
    fonti = list(_fonti(SEGNAPOSTO))
    colonne = [("comune", c, None) for c in COMUNI]
    for k, (model, queryset, _nome) in enumerate(fonti):
        history = queryset.model
        colonne += [(k, f.attname, history._meta.get_field(f.name)) for f in _campi(model)]
        if model is Rilevazione:
            numero = Indicatore._meta.get_field("numero")
            colonne.append((k, "indicatore__numero", numero))
    rami = []
    for k, (_model, queryset, _nome) in enumerate(fonti):
        nulli, nomi = {}, []
        for j, (di, nome, campo) in enumerate(colonne):
            if di == "comune" or di == k:
                nomi.append(nome)
            else:
                nulli[f"_c{j}"] = Cast(Value(None), output_field=campo)
                nomi.append(f"_c{j}")
        ramo = queryset.order_by().annotate(_tipo=Value(k), **nulli)
        rami.append(ramo.values_list("_tipo", *nomi))
    # Each kind reads back the common columns and its own (names repeat across kinds).
    propri = {
        k: [(j, nome) for j, (di, nome, _c) in enumerate(colonne, 1) if di in ("comune", k)]
        for k in range(len(fonti))
    }
    tipi = [(model, nome) for model, _queryset, nome in fonti]
    return rami[0].union(*rami[1:], all=True), propri, tipi


_STORICO = Compilata(lambda: _struttura()[0].all())


def _righe(obiettivo_id: int) -> list[tuple[int, dict]]:
    """The history rows of the scheda as (kind, {column: value}), converted as the ORM
    would (its converters, e.g. dates and decimals on SQLite)."""
    chiave = (connection.alias, connection.vendor)
    _queryset, propri, _tipi = _struttura()
    if chiave not in _per_tipo:
        converters = _STORICO.compilata(connection)[3]
        _per_tipo[chiave] = _convertitori_per_tipo(list(converters.items()), propri)
    del_tipo, per_tipo = _per_tipo[chiave]
    righe = _STORICO.grezze({SEGNAPOSTO: obiettivo_id}, connection.alias)
    risultato = []
    for riga in righe:
        riga = list(riga)
        _converti(riga, del_tipo)
        _converti(riga, per_tipo[riga[0]])
        risultato.append((riga[0], {nome: riga[j] for j, nome in propri[riga[0]]}))
    return risultato


_per_tipo: dict = {}  # (alias, vendor) → what _convertitori_per_tipo returns


def _convertitori_per_tipo(converters: list, propri: dict) -> tuple[list, dict]:
    """The converters of the kind's column, and by kind those of the columns it reads
    back: the others' (NULL for that kind, dropped) are not run."""
    del_tipo = [c for c in converters if c[0] == 0]
    per_tipo = {
        k: [c for c in converters if c[0] in {j for j, _nome in colonne}]
        for k, colonne in propri.items()
    }
    return del_tipo, per_tipo


def _converti(riga: list, convertitori: list) -> None:
    for pos, (convs, expression) in convertitori:
        for converter in convs:
            riga[pos] = converter(riga[pos], expression, connection)


def _valore(record: dict, campo, nomi: dict) -> str:
    return in_parole(record[campo.attname], campo, nomi)


def storico_obiettivo(obiettivo: Obiettivo, limite: int = 300) -> list[Voce]:
    # The kinds with their names (their querysets are only compiled once, above).
    fonti = _struttura()[2]
    per_tipo: dict[int, list] = {k: [] for k in range(len(fonti))}
    for k, riga in _righe(obiettivo.pk):
        per_tipo[k].append(riga)
    voci = []
    nomi = {}
    for k, (model, nome) in enumerate(fonti):
        campi = _campi(model)
        precedenti = {}
        for record in sorted(per_tipo[k], key=lambda r: (r["history_date"], r["history_id"])):
            voce = Voce(
                quando=record["history_date"],
                utente=_utente(record),
                oggetto=nome(record),
                tipo=TIPI[record["history_type"]],
                motivo=record["history_change_reason"] or "",
            )
            prima = precedenti.get(record["id"])
            if prima is not None and record["history_type"] == "~":
                voce.cambi = [
                    (str(c.verbose_name), _valore(prima, c, nomi), _valore(record, c, nomi))
                    for c in campi
                    if prima[c.attname] != record[c.attname]
                ]
                if not voce.cambi and not voce.motivo:
                    precedenti[record["id"]] = record
                    continue
            precedenti[record["id"]] = record
            voci.append(voce)
    voci.sort(key=lambda v: v.quando, reverse=True)
    return voci[:limite]


def _utente(record: dict) -> str:
    if record["history_user__username"] is None:
        return "sistema"
    nome = f"{record['history_user__first_name']} {record['history_user__last_name']}".strip()
    return nome or record["history_user__username"]
