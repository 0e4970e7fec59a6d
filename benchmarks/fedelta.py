"""Benchmark: how faithful the demo books are to the four documents (issue 13).

Loads the demo comuni, prints each document's books with the default command
(``esporta_pdf``, exactly as tests/test_fedelta_stampe.py does, through tests/fedelta.py)
and prints four figures per document: the share of the document's word pairs found in
the book, the share of the book's word pairs that come from the document, and the same
two shares for single words. The pair figures get OK or SOTTO against the floors
(MINIMO_DOCUMENTO 95%, MINIMO_LIBRO 80%); the word shares have none.

Figures are reported, never asserted: the floors are enforced by the test. Exits 1 only
if a book cannot be printed.

    python benchmarks/fedelta.py [chiavari soresina seregno cinisello]
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
from django.core.management.base import CommandError  # noqa: E402

from tests import fedelta  # noqa: E402


def esito(quota: float, minimo: float) -> str:
    return f"{quota:.1%} {'OK' if quota >= minimo else 'SOTTO'} (minimo {minimo:.0%})"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "documenti", nargs="*", help=f"tra {', '.join(fedelta.DOCUMENTI)} (default: tutti)"
    )
    nomi = parser.parse_args().documenti or list(fedelta.DOCUMENTI)
    if sconosciuti := [n for n in nomi if n not in fedelta.DOCUMENTI]:
        parser.error(f"documento sconosciuto: {', '.join(sconosciuti)}")
    call_command("migrate", verbosity=0)
    slugs = [fedelta.DOCUMENTI[nome][1] for nome in nomi]
    call_command("carica_demo", *slugs, "--sostituisci", stdout=io.StringIO())
    sotto = []
    with tempfile.TemporaryDirectory(prefix="peg-fedelta-") as cartella:
        for nome in nomi:
            start = time.perf_counter()
            try:
                libro = fedelta.stampa_libri(
                    nome,
                    Path(cartella),
                    lambda argomenti: call_command(*argomenti, stdout=io.StringIO()),
                )
            except CommandError as exc:
                print(f"ERRORE: {nome}: il libro non si stampa: {exc}")
                return 1
            secondi = time.perf_counter() - start
            f = fedelta.misura(nome, fedelta.documento(nome), libro)
            print(
                f"fedeltà {nome:10} coppie del documento nel libro "
                f"{esito(f.del_documento, fedelta.MINIMO_DOCUMENTO)}, coppie del libro dal "
                f"documento {esito(f.dal_documento, fedelta.MINIMO_LIBRO)}; parole "
                f"{f.parole_documento:.1%} / {f.parole_libro:.1%} ({secondi:.1f} s)"
            )
            if not f.sufficiente:
                sotto.append(nome)
    if sotto:
        print(f"Sotto le soglie (verificate da tests/test_fedelta_stampe.py): {', '.join(sotto)}.")
    else:
        print("Ogni libro sopra le soglie.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
