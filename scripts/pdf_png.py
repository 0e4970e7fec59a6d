"""The first two pages of each demo comune's book as PNG, into docs/pdf/: the books the
fidelity test compares with the four documents (Chiavari's 2019 plan, Soresina's 2017
plan, Seregno's and Cinisello's 2019 rendicontazione), printed as ``esporta_pdf`` does.

env -u DATABASE_URL python scripts/pdf_png.py   # needs the demo data (make run / carica_demo)
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peg.settings")

import django  # noqa: E402

django.setup()

from objectives.piano_anno import piano_dell_anno  # noqa: E402
from peg.models import Comune  # noqa: E402
from reporting import libri  # noqa: E402

USCITA = BASE / "docs" / "pdf"
PAGINE = 2

# (file name, comune, year, rendicontazione): the default books of tests/fedelta.py.
LIBRI = (
    ("chiavari-piano-2019", "chiavari", 2019, None),
    ("soresina-piano-2017", "soresina", 2017, None),
    ("seregno-rendicontazione-2019", "seregno", 2019, True),
    ("cinisello-balsamo-rendicontazione-2019", "cinisello-balsamo", 2019, True),
)


def documenti():
    for nome, slug, anno, rendicontazione in LIBRI:
        piano = piano_dell_anno(Comune.objects.get(slug=slug), anno)  # as esporta_pdf
        yield nome, libri.pdf_piano(piano, anno, rendicontazione=rendicontazione)


def main():
    USCITA.mkdir(parents=True, exist_ok=True)
    for nome, pdf in documenti():
        with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
            f.write(pdf)
            f.flush()
            for pagina in range(1, PAGINE + 1):
                radice = USCITA / f"{nome}-p{pagina}"
                cmd = ["pdftoppm", "-png", "-r", "60", "-f", str(pagina), "-l", str(pagina)]
                subprocess.run([*cmd, "-singlefile", f.name, str(radice)], check=True)
                print(f"{radice}.png")


if __name__ == "__main__":
    main()
