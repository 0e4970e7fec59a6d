"""Benchmark: «Tutte le modifiche» of a scheda saved many times, and its page.

On a throwaway SQLite database (``genera_dati`` as the load test's, one responsabile
logged in), one scheda is saved through the rendicontazione page ``--salvataggi`` times;
prints (best of 3 rounds, median of each round) the time of the scheda page and of
``storico_obiettivo`` (its UNION compiled once per database) and compiling it
on every call as it did before, with their ratio, measured in the same run. Exits 1 if
the list's queries grow with the saves; times are reported, never asserted.

    python benchmarks/storico.py [--piccolo]
"""

import argparse
import os
import random
import statistics
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

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from benchmarks.loadtest.esegui import prepara  # noqa: E402
from benchmarks.loadtest.profila import richieste  # noqa: E402
from objectives import storico  # noqa: E402
from objectives.models import Obiettivo  # noqa: E402


def ms(fai, volte: int) -> float:
    """Best of 3 rounds of the median of ``volte`` calls, in milliseconds."""
    giri = []
    for _ in range(3):
        tempi = []
        for _ in range(volte):
            inizio = time.perf_counter()
            fai()
            tempi.append((time.perf_counter() - inizio) * 1000)
        giri.append(statistics.median(tempi))
    return min(giri)


def ricompila() -> None:
    """As before the query was kept: the UNION built and compiled at every call."""
    storico._struttura.cache_clear()
    storico._STORICO.dimentica()
    storico._per_tipo.clear()


def compilato_ogni_volta(obiettivo):
    ricompila()
    return storico.storico_obiettivo(obiettivo)


def query(obiettivo) -> int:
    with CaptureQueriesContext(connection) as q:
        storico.storico_obiettivo(obiettivo)
    return len(q)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--piccolo", action="store_true", help="10 salvataggi, poche misure.")
    args = parser.parse_args()
    salvataggi, volte = (10, 3) if args.piccolo else (40, 15)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.LOGIN_URL_PATH = "/accesso/"
    username, password, schede = prepara(1, 1, 6, 4)[0]
    client = Client()
    assert client.post("/accesso/", {"username": username, "password": password}).status_code == 302
    scheda = schede[0]
    obiettivo = Obiettivo.objects.get(pk=int(scheda.pagina.rstrip("/").split("/")[-1]))
    salva = richieste(client, scheda, random.Random(1))["salva (+ pagina)"]
    salva()
    query_poche = query(obiettivo)
    for _ in range(salvataggi - 1):
        salva()
    query_tante = query(obiettivo)
    assert compilato_ogni_volta(obiettivo) == storico.storico_obiettivo(obiettivo)
    voci = len(storico.storico_obiettivo(obiettivo))

    def pagina():
        assert client.get(scheda.pagina).status_code == 200

    print(f"{connection.vendor}: scheda salvata {salvataggi} volte, {voci} modifiche elencate")
    print(f"  query dell'elenco: {query_poche} dopo 1 salvataggio, {query_tante} dopo {salvataggi}")
    prima = ms(lambda: compilato_ogni_volta(obiettivo), volte)
    dopo = ms(lambda: storico.storico_obiettivo(obiettivo), volte)
    print(
        f"  storico_obiettivo: compilato ogni volta {prima:.1f} ms, compilato una volta "
        f"{dopo:.1f} ms ({prima / dopo:.1f}×)"
    )
    prima = ms(lambda: (ricompila(), pagina()), volte)
    dopo = ms(pagina, volte)
    print(
        f"  pagina della scheda: compilato ogni volta {prima:.1f} ms, compilato una volta "
        f"{dopo:.1f} ms ({prima / dopo:.1f}×)"
    )
    if query_tante > query_poche:
        print("ERRORE: le query dell'elenco crescono con i salvataggi")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
