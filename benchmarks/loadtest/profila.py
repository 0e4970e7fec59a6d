"""Where a request of the load test's mix spends its time, in process (no server).

On a throwaway SQLite database (or DATABASE_URL): a comune of ``genera_dati --utenti``,
one responsabile logged in through the login page; each kind of request of the mix
(benchmarks/loadtest/cliente.py) is repeated ``--volte`` times through Django's whole
stack (every middleware, the test client instead of gunicorn). Prints per kind the median
milliseconds (elapsed, and CPU of this process: the latter hardly moves when other
programs load the machine; on PostgreSQL it leaves out the server's work), the queries
and the ratio of CPU time to the empty logged-in page of the same run (issue 14's goal:
one-scheda pages ≤ 3× it). Two pages outside the mix measure the fixed cost: the login
page (anonymous: the trivial page) and «password cambiata» (logged in: session, user,
every middleware and the layout, no data of the app). With ``--profilo`` the functions
that take the most cumulative time (cProfile) over the mix.

    python benchmarks/loadtest/profila.py [--volte 30] [--profilo 40]
"""

import argparse
import cProfile
import io
import os
import pstats
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peg.settings")
os.environ.setdefault("PEG_VAR_DIR", tempfile.mkdtemp(prefix="peg-profilo-"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from benchmarks.loadtest.cliente import (  # noqa: E402
    campi_del_form,
    con_un_valore_nuovo,
    posta_come_il_browser,
)
from benchmarks.loadtest.esegui import prepara  # noqa: E402

VUOTA = "pagina vuota (autenticato)"
FUORI_DAL_GIRO = ("accesso (banale)", VUOTA)


def richieste(client, scheda, rng):
    """The mix's kinds: name → a call making that request once (checked)."""
    campi = campi_del_form(client.get(scheda.rendicontazione).content.decode())
    htmx = {"HTTP_HX_REQUEST": "true"}

    def salva():
        nonlocal campi
        r = posta_come_il_browser(client, scheda.rendicontazione, con_un_valore_nuovo(campi, rng))
        assert r.status_code == 302, r.status_code
        campi = campi_del_form(client.get(scheda.rendicontazione).content.decode())

    return {
        "accesso (banale)": lambda: Client().get(settings.LOGIN_URL_PATH),
        VUOTA: lambda: client.get(reverse("password_change_done")),
        "home": lambda: client.get("/"),
        "scheda": lambda: client.get(scheda.pagina),
        "rendicontazione": lambda: client.get(scheda.rendicontazione),
        "anteprima": lambda: posta_come_il_browser(
            client, scheda.anteprima, con_un_valore_nuovo(campi, rng), **htmx
        ),
        "salva (+ pagina)": salva,
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--volte", type=int, default=30)
    parser.add_argument("--profilo", type=int, default=0, help="Righe di cProfile (0: niente).")
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.LOGIN_URL_PATH = "/accesso/"
    username, password, schede = prepara(3, 2, 6, 4)[0]
    client = Client()
    assert client.post("/accesso/", {"username": username, "password": password}).status_code == 302
    tipi = richieste(client, schede[0], random.Random(1))
    for fai in tipi.values():  # warm-up: templates compiled, caches filled
        fai()
    print(f"{connection.vendor}, {args.volte} volte ciascuna (mediana)")
    print(f"  {'richiesta':<28}{'ms':>8}{'ms cpu':>8}{'query':>8}{'× vuota':>10}")
    vuota = None
    for nome, fai in tipi.items():
        tempi, cpu = [], []
        for _ in range(args.volte):
            with CaptureQueriesContext(connection) as q:
                inizio, inizio_cpu = time.perf_counter(), time.process_time()
                r = fai()
                cpu.append((time.process_time() - inizio_cpu) * 1000)
                tempi.append((time.perf_counter() - inizio) * 1000)
            assert r is None or r.status_code == 200, (nome, r.status_code)
        mediana = statistics.median(cpu)
        vuota = mediana if nome == VUOTA else vuota
        rapporto = f"{mediana / vuota:>9.1f}×" if vuota else ""
        print(f"  {nome:<28}{statistics.median(tempi):>8.1f}{mediana:>8.1f}{len(q):>8}{rapporto}")
    if args.profilo:
        profilo = cProfile.Profile()
        profilo.enable()
        for _ in range(args.volte):
            for nome, fai in tipi.items():
                if nome not in FUORI_DAL_GIRO:
                    fai()
        profilo.disable()
        testo = io.StringIO()
        pstats.Stats(profilo, stream=testo).sort_stats("cumulative").print_stats(args.profilo)
        print(testo.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
