"""Benchmark: the OIV's pages on a piano of 30 settori × 50 obiettivi × 6 indicatori × 4 fasi.

Prints, for a small plan and the large one, the time (best of 3) and the SQL queries of
the validation queue, the ente dashboard, a settore page and the Relazione sulla
performance, requested as the OIV through Django's test client (no network). Exits 1
if the queries grow with the plan; times are reported, never asserted. With ``--piccolo``
(``make test``) the large plan is 4 × 6 × 6 × 4: the same check on the queries, in seconds.

    python benchmarks/pagine_oiv.py [--piccolo]
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
os.environ["ALLOWED_HOSTS"] = "testserver"

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from objectives.models import Obiettivo  # noqa: E402
from peg.models import Piano, Ruolo  # noqa: E402

SIZES = {"piccolo": (2, 3, 6, 4), "grande": (30, 50, 6, 4)}
# --piccolo: twice the settori and the obiettivi of the small plan, enough to see growth.
SIZES_PICCOLO = {"piccolo": (2, 3, 6, 4), "grande": (4, 6, 6, 4)}


def pagine(piano) -> dict[str, str]:
    slug, settore = piano.comune.slug, piano.comune.settori.order_by("codice").first()
    return {
        "coda": reverse("coda_valutazione", args=[slug]),
        "cruscotto": reverse("cruscotto", args=[slug, piano.pk]),
        "settore": reverse("cruscotto_settore", args=[slug, piano.pk, settore.pk]),
        "relazione": reverse("relazione", args=[slug, piano.pk]),
    }


def misura(slug, size) -> dict[str, tuple[float, int]]:
    settori, obiettivi, indicatori, fasi = (str(n) for n in size)
    call_command(
        "genera_dati",
        *("--comune", slug, "--settori", settori, "--obiettivi", obiettivi),
        *("--indicatori", indicatori, "--fasi", fasi, "--sostituisci"),
        stdout=io.StringIO(),
    )
    piano = Piano.objects.get(comune__slug=slug)
    Obiettivo.objects.filter(piano=piano).update(stato=Obiettivo.Stato.RENDICONTATO)
    oiv, _ = get_user_model().objects.get_or_create(username=f"oiv-{slug}")
    Ruolo.objects.get_or_create(utente=oiv, comune=piano.comune, tipo=Ruolo.Tipo.OIV)
    client = Client()
    client.force_login(oiv)
    risultati = {}
    for nome, url in pagine(piano).items():
        tempi = []
        for _ in range(3):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                risposta = client.get(url)
                tempi.append(time.perf_counter() - start)
            assert risposta.status_code == 200, (url, risposta.status_code)
        risultati[nome] = (min(tempi), len(queries))
    return risultati


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--piccolo", action="store_true", help="piano grande di 4 × 6 × 6 × 4")
    sizes = SIZES_PICCOLO if parser.parse_args().piccolo else SIZES
    call_command("migrate", verbosity=0)
    query = {}
    for nome, size in sizes.items():
        for pagina, (secondi, n) in misura(f"bench-oiv-{nome}", size).items():
            query[(nome, pagina)] = n
            print(
                f"{pagina:10} {nome:8} {size[0]} settori × {size[1]} obiettivi × {size[2]} "
                f"indicatori × {size[3]} fasi: {secondi:.3f} s, {n} query SQL"
            )
    crescono = [
        p for (n, p) in query if n == "grande" and query[("grande", p)] > query[("piccolo", p)]
    ]
    if crescono:
        print(f"ERRORE: le query crescono con il piano in: {', '.join(crescono)}.")
        return 1
    print("Query costanti al crescere del piano.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
