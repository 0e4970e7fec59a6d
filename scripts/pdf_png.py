"""First page of one PDF per demo comune as PNG, into docs/pdf/ (to look at the layout).

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

from objectives.models import Obiettivo  # noqa: E402
from peg.models import Settore  # noqa: E402
from reporting import libri  # noqa: E402
from reporting.pdf_views import nome_file  # noqa: E402

USCITA = BASE / "docs" / "pdf"


def schede(slug, codice=None):
    qs = Obiettivo.objects.filter(piano__comune__slug=slug).order_by("anno", "codice")
    return qs.filter(codice=codice) if codice else qs


def documenti():
    chiavari = schede("chiavari", "VI - 1").filter(anno=2019)
    yield "chiavari-VI-1-2019", libri.pdf_schede(chiavari, rendicontazione=False)
    soresina = schede("soresina").first()
    settore = Settore.objects.get(pk=soresina.settore_id)
    yield (
        "soresina-settore-2017",
        libri.pdf_settore(soresina.piano, settore, soresina.anno, rendicontazione=False),
    )
    for slug in ("seregno", "cinisello-balsamo"):
        primo = schede(slug).first()
        nome = nome_file(slug, "rendicontazione", primo.codice, primo.anno)[:-4]
        yield nome, libri.pdf_schede(schede(slug).filter(pk=primo.pk), rendicontazione=True)


def main():
    USCITA.mkdir(parents=True, exist_ok=True)
    for nome, pdf in documenti():
        with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
            f.write(pdf)
            f.flush()
            radice = USCITA / nome
            cmd = ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile"]
            subprocess.run([*cmd, f.name, str(radice)], check=True)
        print(f"{radice}.png")


if __name__ == "__main__":
    main()
