"""Benchmark: score a whole piano of 30 settori × 50 obiettivi × 6 indicatori × 4 fasi.

For each plan prints, best of 3 and in the same run (rounds alternating measures and plans): the raw fetch (the same columns of
the same rows that scoring reads, by plain SQL, rows as the driver returns them), the
same through Django's ``values_list``, ``carica_punteggi`` (load and score), the ratio of
ours to the raw fetch (goal ≤ 5×) and the number of SQL queries. The full run also
scores 60 × 50 and prints how the time grows when the plan doubles (goal ≤ ~2.1×).
Exits 1 if the number of queries grows with the plan; times are reported, never
asserted. Runs on a throwaway SQLite database unless DATABASE_URL is set. With
``--piccolo`` (``make test``) the plans are 2 × 3 and 4 × 6: seconds, the same check on
the queries, no doubling figure.

Like the servers (``peg/wsgi.py``), it freezes what start-up allocated (``gc.freeze()``)
before measuring.

    python benchmarks/punteggi.py [--piccolo]
"""

import gc
import sys
import time

from comune import dimensioni, genera
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.caricamento import (
    CAMPI_FASE,
    CAMPI_INDICATORE,
    CAMPI_OBIETTIVO,
    CAMPI_RILEVAZIONE,
    carica_punteggi,
)
from indicators.models import Indicatore, Rilevazione
from objectives.models import Fase, Obiettivo
from peg.memoria import congela

ANNO = 2019
SIZES = {"piccolo": (2, 3, 6, 4), "grande": (30, 50, 6, 4), "doppio": (60, 50, 6, 4)}
# The goal holds for a whole ente; on a few schede the fixed cost of five queries dominates.
OBIETTIVO = {("grande", SIZES["grande"]): " (obiettivo ≤ 5×)"}


def _query_grezze(piano) -> list:
    """The SQL of the rows and columns scoring reads (as ``carica_punteggi`` selects them)."""
    obiettivi = Obiettivo.objects.filter(piano=piano, anno=ANNO)
    figli = obiettivi.order_by().values("pk")
    querysets = [
        obiettivi.values_list(*(Obiettivo._meta.get_field(c).attname for c in CAMPI_OBIETTIVO)),
        Indicatore.objects.filter(obiettivo__in=figli).values_list(*CAMPI_INDICATORE),
        Fase.objects.filter(obiettivo__in=figli).values_list(*CAMPI_FASE),
        Rilevazione.objects.filter(indicatore__obiettivo__in=figli).values_list(*CAMPI_RILEVAZIONE),
    ]
    return querysets, [qs.query.get_compiler(qs.db).as_sql() for qs in querysets]


def _grezzo(sqls) -> None:
    with connection.cursor() as cursor:
        for sql, params in sqls:
            cursor.execute(sql, params)
            cursor.fetchall()


def _values_list(querysets) -> None:
    for qs in querysets:
        list(qs.all())


def _tempo(funzione) -> float:
    start = time.perf_counter()
    funzione()
    return time.perf_counter() - start


def misura(piani: dict) -> dict:
    """Best of 3 of each measure on each piano, in rounds that alternate measures and
    piani: a machine that gets busier slows them all alike, ratios hold."""
    grezze = {nome: _query_grezze(piano) for nome, piano in piani.items()}
    tempi = {nome: {"grezzo": [], "values_list": [], "nostro": []} for nome in piani}
    query = {}
    congela()  # what is alive now stays, as after a server's start-up
    for _ in range(3):
        for nome, piano in piani.items():
            querysets, sqls = grezze[nome]
            tempi[nome]["grezzo"].append(_tempo(lambda sqls=sqls: _grezzo(sqls)))
            tempi[nome]["values_list"].append(_tempo(lambda qs=querysets: _values_list(qs)))
            with CaptureQueriesContext(connection) as queries:
                tempi[nome]["nostro"].append(_tempo(lambda p=piano: carica_punteggi(p, ANNO)))
            query[nome] = len(queries)
    gc.unfreeze()
    return {
        nome: {
            **{chiave: min(valori) for chiave, valori in tempi[nome].items()},
            "query": query[nome],
            "ente": carica_punteggi(piano, ANNO).ente.testo,
        }
        for nome, piano in piani.items()
    }


def main() -> int:
    sizes = dimensioni(__doc__, "piani di 2 × 3 e 4 × 6 obiettivi", grandi=SIZES)
    risultati = misura(
        {
            nome: genera(f"bench-{nome}", *size, "--non-rilevati", "0.1")
            for nome, size in sizes.items()
        }
    )
    for nome, size in sizes.items():
        r = risultati[nome]
        print(
            f"punteggi {nome:8} {size[0]} settori × {size[1]} obiettivi × {size[2]} indicatori "
            f"× {size[3]} fasi ({size[0] * size[1] * size[2]} indicatori): "
            f"lettura grezza {r['grezzo']:.3f} s, values_list {r['values_list']:.3f} s, "
            f"carica_punteggi {r['nostro']:.3f} s = {r['nostro'] / r['grezzo']:.1f}× la "
            f"lettura grezza{OBIETTIVO.get((nome, size), '')}, {r['query']} query SQL, "
            f"ente {r['ente']}"
        )
    if "doppio" in risultati:
        crescita = risultati["doppio"]["nostro"] / risultati["grande"]["nostro"]
        grezza = risultati["doppio"]["grezzo"] / risultati["grande"]["grezzo"]
        print(
            f"Piano doppio (60 × 50 contro 30 × 50): {crescita:.2f}× il tempo "
            f"(obiettivo ≤ 2,1×; la lettura grezza {grezza:.2f}×)."
        )
    query = {nome: r["query"] for nome, r in risultati.items()}
    if len(set(query.values())) > 1:
        print(f"ERRORE: le query crescono con il piano ({query}).")
        return 1
    print(f"Query costanti al crescere del piano: {query['grande']}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
