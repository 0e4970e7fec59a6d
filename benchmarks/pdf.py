"""Benchmark: the PDF of one scheda and of a whole piano of 30 settori × 50 obiettivi ×
6 indicatori × 4 fasi (WeasyPrint).

Prints the time of one scheda (best of 3), of the whole-piano book (one run: it is long),
its pages and size, and the SQL queries of both (the same for a small plan, else exit 1).
Times are reported, never asserted. Size from the environment: BENCH_PDF_SETTORI,
BENCH_PDF_OBIETTIVI (default 30 × 50).

With ``--piccolo`` (``make test``) the large plan is 3 × 4 (default of BENCH_PDF_*) and
the book is laid out in parts of 2 schede instead of ``libri.SCHEDE_PER_PARTE``, so that
both plans still go through several parts per settore: the same path and the same
check on the queries, in seconds instead of ten minutes.

    python benchmarks/pdf.py [--piccolo]
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
from pypdf import PdfReader  # noqa: E402

from objectives.models import Obiettivo  # noqa: E402
from peg.models import Piano  # noqa: E402
from reporting import libri  # noqa: E402


def genera(slug: str, settori: int, obiettivi: int) -> Piano:
    call_command(
        "genera_dati",
        *("--comune", slug, "--settori", str(settori), "--obiettivi", str(obiettivi)),
        *("--indicatori", "6", "--fasi", "4", "--sostituisci"),
        stdout=io.StringIO(),
    )
    return Piano.objects.get(comune__slug=slug)


def misura(piano: Piano, ripeti_piano: bool):
    scheda = Obiettivo.objects.filter(piano=piano).order_by("pk")[:1]
    tempi = []
    for _ in range(3):
        with CaptureQueriesContext(connection) as q_scheda:
            start = time.perf_counter()
            libri.pdf_schede(scheda, None, "Scheda")
            tempi.append(time.perf_counter() - start)
    with CaptureQueriesContext(connection) as q_piano:
        start = time.perf_counter()
        pdf = libri.pdf_piano(piano, 2019) if ripeti_piano else b""
        secondi = time.perf_counter() - start
    pagine = len(PdfReader(io.BytesIO(pdf)).pages) if pdf else 0
    return min(tempi), len(q_scheda), secondi, len(q_piano), pagine, len(pdf)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--piccolo", action="store_true", help="piano grande di 3 × 4, parti di 2 schede"
    )
    piccolo = parser.parse_args().piccolo
    if piccolo:
        libri.SCHEDE_PER_PARTE = 2
    call_command("migrate", verbosity=0)
    settori = int(os.environ.get("BENCH_PDF_SETTORI", 3 if piccolo else 30))
    obiettivi = int(os.environ.get("BENCH_PDF_OBIETTIVI", 4 if piccolo else 50))
    query = {}
    for nome, (s, o) in {"piccolo": (2, 3), "grande": (settori, obiettivi)}.items():
        piano = genera(f"bench-pdf-{nome}", s, o)
        una, q_una, tutto, q_tutto, pagine, byte = misura(piano, True)
        query[nome] = (q_una, q_tutto)
        print(
            f"pdf {nome:8} {s} settori × {o} obiettivi × 6 indicatori × 4 fasi "
            f"(parti di {libri.SCHEDE_PER_PARTE} schede): "
            f"una scheda {una:.3f} s ({q_una} query); intero piano {tutto:.1f} s "
            f"({q_tutto} query, {pagine} pagine, {byte / 1_048_576:.1f} MB)"
        )
    if query["grande"] != query["piccolo"]:
        print(f"ERRORE: le query crescono con il piano ({query['piccolo']} → {query['grande']}).")
        return 1
    print("Query costanti al crescere del piano.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
