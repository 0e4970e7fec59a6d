"""Benchmark: score a whole piano of 30 settori × 50 obiettivi × 6 indicatori × 4 fasi.

Prints the time of ``carica_punteggi`` (best of 3) and its number of SQL queries, for a
small plan and the large one. Exits 1 if the number of queries grows with the plan;
the time is reported, never asserted. Runs on a throwaway SQLite database unless
DATABASE_URL is set. With ``--piccolo`` (``make test``) the large plan is 4 × 6 × 6 × 4:
seconds instead of minutes, the same check on the queries.

    python benchmarks/punteggi.py [--piccolo]
"""

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peg.settings")
os.environ.setdefault("PEG_VAR_DIR", tempfile.mkdtemp(prefix="peg-bench-"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from indicators.caricamento import carica_punteggi  # noqa: E402
from peg.models import Piano  # noqa: E402

SIZES = {"piccolo": (2, 3, 6, 4), "grande": (30, 50, 6, 4)}
# --piccolo: twice the settori and the obiettivi of the small plan, enough to see growth.
SIZES_PICCOLO = {"piccolo": (2, 3, 6, 4), "grande": (4, 6, 6, 4)}


def misura(slug, settori, obiettivi, indicatori, fasi):
    call_command(
        "genera_dati",
        "--comune",
        slug,
        "--settori",
        settori,
        "--obiettivi",
        obiettivi,
        "--indicatori",
        indicatori,
        "--fasi",
        fasi,
        "--sostituisci",
        stdout=io.StringIO(),
    )
    piano = Piano.objects.get(comune__slug=slug)
    tempi = []
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            punteggi = carica_punteggi(piano, 2019)
            tempi.append(time.perf_counter() - start)
    return min(tempi), len(queries), punteggi


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--piccolo", action="store_true", help="piano grande di 4 × 6 × 6 × 4")
    sizes = SIZES_PICCOLO if parser.parse_args().piccolo else SIZES
    call_command("migrate", verbosity=0)
    risultati = {}
    for nome, size in sizes.items():
        secondi, query, punteggi = misura(f"bench-{nome}", *size)
        n_ind = size[0] * size[1] * size[2]
        risultati[nome] = query
        print(
            f"punteggi {nome:8} {size[0]} settori × {size[1]} obiettivi × {size[2]} indicatori × {size[3]} fasi "
            f"({n_ind} indicatori): {secondi:.3f} s, {query} query SQL, ente {punteggi.ente.testo}"
        )
    if risultati["grande"] != risultati["piccolo"]:
        print(
            f"ERRORE: le query crescono con il piano ({risultati['piccolo']} → {risultati['grande']})."
        )
        return 1
    print(f"Query costanti al crescere del piano: {risultati['grande']}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
