"""Queries compiled once per database and run again with new values (plumbing).

Some pages run the same query at every request with only an id changing. On a small
server the ORM spends about a millisecond of Python building and compiling such a query,
while SQLite runs it in a tenth of that. A ``Compilata`` builds its queryset the first
time a database asks, with placeholder values no row has (e.g. a negative id), keeps
its SQL, compiler and converters, and then runs the SQL with the placeholders replaced
by the request's values: the same rows, converted the same way, as the queryset.

The SQL keeps named parameters: at each run the SQLite backend turns every "%s" into
"?" with a regular expression over the whole text (0.7 ms for the scheda's history),
named ones with Python's ``%``. Used by the scheda page (``objectives.lettura``,
``objectives.storico``) and the rendicontazione page (``objectives.rendicontazione``).
"""

import itertools
import re

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.query import get_related_populators

_SEGNAPOSTO_SQL = re.compile(r"(?<!%)%s")  # as the SQLite backend finds them


def con_nomi(sql: str, params) -> tuple:
    """The query with named parameters ("%(p0)s"..., params by name); the same query as
    it was if the count of "%s" is not that of the parameters."""
    numeri = itertools.count()
    con, quanti = _SEGNAPOSTO_SQL.subn(lambda _m: f"%(p{next(numeri)})s", sql)
    if quanti != len(params):
        return sql, tuple(params)
    return con, {f"p{i}": p for i, p in enumerate(params)}


def con_valori(params, valori: dict):
    """``params`` (as ``con_nomi`` gives them) with the placeholders of ``valori`` replaced."""
    if isinstance(params, dict):
        return {n: valori.get(p, p) for n, p in params.items()}
    return [valori.get(p, p) for p in params]


class Compilata:
    """The queryset ``crea()`` builds (with placeholder values), compiled once per
    database; ``righe``/``istanze`` run it with ``valori`` {placeholder: value}."""

    def __init__(self, crea):
        self.crea = crea
        self._per_db: dict = {}

    def compilata(self, connection) -> tuple:
        """(compiler, sql, params, converters) for the connection's database. The
        queryset is built anew to be compiled: compiling sets up the query object it
        compiles, and the threads of a process share this one."""
        chiave = (connection.alias, connection.vendor)
        fatta = self._per_db.get(chiave)
        if fatta is None:
            compiler = self.crea().query.get_compiler(connection=connection)
            sql, params = con_nomi(*compiler.as_sql())
            colonne = [c[0] for c in compiler.select[: compiler.col_count]]
            fatta = (compiler, sql, params, compiler.get_converters(colonne))
            self._per_db[chiave] = fatta
        return fatta

    def dimentica(self) -> None:
        """Compile again at the next run (benchmarks measure what compiling costs)."""
        self._per_db.clear()

    def grezze(self, valori: dict, using: str | None = None) -> list[tuple]:
        """The rows as the database driver gives them (no converter run)."""
        connection = connections[using or DEFAULT_DB_ALIAS]
        _compiler, sql, params, _converters = self.compilata(connection)
        with connection.cursor() as cursor:
            cursor.execute(sql, con_valori(params, valori))
            return cursor.fetchall()

    def righe(self, valori: dict, using: str | None = None) -> list:
        """The rows converted as the queryset converts them (dates, decimals, booleans)."""
        connection = connections[using or DEFAULT_DB_ALIAS]
        compiler, _sql, _params, converters = self.compilata(connection)
        righe = self.grezze(valori, using)
        if not converters:
            return list(righe)
        return list(compiler.apply_converters(righe, converters))

    def istanze(self, valori: dict, using: str | None = None) -> list:
        """Model instances as the queryset gives them (``from_db``, the objects of its
        ``select_related`` attached by Django's own populators, its annotations set)."""
        db = using or DEFAULT_DB_ALIAS
        compiler, _sql, _params, _converters = self.compilata(connections[db])
        klass_info = compiler.klass_info
        inizio, fine = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        campi = [c[0].target.attname for c in compiler.select[inizio:fine]]
        popolatori = get_related_populators(klass_info, compiler.select, db)
        modello = compiler.query.model
        annotazioni = compiler.annotation_col_map.items()
        istanze = []
        for riga in self.righe(valori, db):
            istanza = modello.from_db(db, campi, riga[inizio:fine])
            for popolatore in popolatori:
                popolatore.populate(riga, istanza)
            for nome, posizione in annotazioni:
                setattr(istanza, nome, riga[posizione])
            istanze.append(istanza)
        return istanze


class PerChiave:
    """``Compilata`` by key, each built the first time its key is asked: the same lookup
    for several models, or a rule whose SQL takes a few shapes."""

    def __init__(self):
        self._per_chiave: dict = {}

    def __call__(self, chiave, crea) -> Compilata:
        compilata = self._per_chiave.get(chiave)
        if compilata is None:  # two threads at once: one of the two is kept
            compilata = self._per_chiave.setdefault(chiave, Compilata(crea))
        return compilata
