"""What every benchmark shares: Django set up on a throwaway SQLite database (unless
DATABASE_URL is set), the plan sizes, ``genera_dati`` plans, the best of N runs and the
``--piccolo`` command line. Imported first by each script (``import comune``), before
anything that needs the apps ready."""

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
# Pages are requested through Django's test client.
os.environ["ALLOWED_HOSTS"] = "testserver"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

# settori × obiettivi × indicatori × fasi: a small plan and a Roma-scale one.
SIZES = {"piccolo": (2, 3, 6, 4), "grande": (30, 50, 6, 4)}
# --piccolo (make test): twice the settori and the obiettivi of the small plan, enough to
# see the queries grow, in seconds instead of minutes.
SIZES_PICCOLO = {"piccolo": (2, 3, 6, 4), "grande": (4, 6, 6, 4)}


def genera(slug: str, settori, obiettivi, indicatori, fasi, *altre_opzioni):
    """A ``genera_dati`` comune (recreated if it exists) and its piano."""
    from peg.models import Piano

    call_command(
        "genera_dati",
        *("--comune", slug, "--settori", str(settori), "--obiettivi", str(obiettivi)),
        *("--indicatori", str(indicatori), "--fasi", str(fasi), "--sostituisci"),
        *altre_opzioni,
        stdout=io.StringIO(),
    )
    return Piano.objects.get(comune__slug=slug)


def migliore(funzione, volte: int = 3) -> float:
    """The best elapsed seconds of ``volte`` runs."""
    tempi = []
    for _ in range(volte):
        inizio = time.perf_counter()
        funzione()
        tempi.append(time.perf_counter() - inizio)
    return min(tempi)


def dimensioni(doc: str, aiuto: str = "piano grande di 4 × 6 × 6 × 4", grandi=SIZES) -> dict:
    """The sizes the command line asks for (``--piccolo``: SIZES_PICCOLO), once the
    throwaway database is migrated."""
    parser = argparse.ArgumentParser(
        description=doc, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--piccolo", action="store_true", help=aiuto)
    scelte = SIZES_PICCOLO if parser.parse_args().piccolo else grandi
    call_command("migrate", verbosity=0)
    return scelte
