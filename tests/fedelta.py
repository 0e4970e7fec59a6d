"""How much of a seed document a printed book reproduces, and how much of the book comes
from the document (issue 13): words and pairs of consecutive words as multisets, so the
order in which pdftotext reads table cells does not count.

Text: lower case, Unicode NFKC, the seeds' markup (``<b>``, ``<li>``, ``**``) removed;
words are runs of letters or of digits (with ``.``/``,`` inside numbers, a trailing
``%`` kept). Used by tests/test_fedelta_stampe.py and benchmarks/.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

# Copies of ../shared/seeds, kept with the tests so that every clone can measure.
SEMI = Path(__file__).resolve().parent / "documenti"
PAROLA = re.compile(r"\d+(?:[.,]\d+)*%?|[^\W\d_]+")
MARCATURA = re.compile(r"</?[a-zA-Z][^>]*>")

# The four documents and the books that imitate them, printed from the demo data with
# the default command: (seed, comune, years, esporta_pdf options).
DOCUMENTI = {
    "chiavari": ("001_57a0b84c466d2a35.txt", "chiavari", (2019, 2020, 2021), ()),
    "soresina": ("002_3bc3a4401f4746d9.txt", "soresina", (2017,), ()),
    "seregno": ("003_e32459548b0a40ae.txt", "seregno", (2019,), ("--rendicontazione",)),
    "cinisello": (
        "004_f75b5fd4b04ea9c7.txt",
        "cinisello-balsamo",
        (2019,),
        ("--rendicontazione",),
    ),
}
# Floors: the book holds >= 95% of the document's word pairs, and >= 80% of the book's
# word pairs come from the document (headers, footers and page numbers included).
MINIMO_DOCUMENTO = 0.95
MINIMO_LIBRO = 0.80


def parole(testo: str) -> list[str]:
    testo = unicodedata.normalize("NFKC", testo).lower()
    testo = MARCATURA.sub(" ", testo).replace("**", " ")
    return PAROLA.findall(testo)


def coppie(testo: str) -> Counter:
    p = parole(testo)
    return Counter(zip(p, p[1:], strict=False))


@dataclass
class Fedelta:
    documento: str
    del_documento: float  # share of the document's pairs found in the book
    dal_documento: float  # share of the book's pairs found in the document
    parole_documento: float
    parole_libro: float

    @property
    def sufficiente(self) -> bool:
        return self.del_documento >= MINIMO_DOCUMENTO and self.dal_documento >= MINIMO_LIBRO

    def __str__(self) -> str:
        return (
            f"{self.documento}: coppie del documento nel libro {self.del_documento:.1%}, "
            f"coppie del libro dal documento {self.dal_documento:.1%} "
            f"(parole {self.parole_documento:.1%} / {self.parole_libro:.1%})"
        )


def _quota(parte: Counter, tutto: Counter) -> float:
    return sum((parte & tutto).values()) / max(1, sum(tutto.values()))


def misura(nome: str, documento: str, libro: str) -> Fedelta:
    d, l_ = coppie(documento), coppie(libro)
    pd, pl = Counter(parole(documento)), Counter(parole(libro))
    return Fedelta(nome, _quota(l_, d), _quota(d, l_), _quota(pl, pd), _quota(pd, pl))


def testo_pdf(percorso: Path) -> str:
    """pdftotext in reading order (no layout), as the issue measures."""
    esito = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(percorso), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return esito.stdout


def documento(nome: str) -> str:
    return (SEMI / DOCUMENTI[nome][0]).read_text(encoding="utf-8")


def stampa_libri(nome: str, cartella: Path, esegui) -> str:
    """The document's books printed with ``esegui(argomenti)`` (call_command or a process),
    as text."""
    _, slug, anni, opzioni = DOCUMENTI[nome]
    testi = []
    for anno in anni:
        uscita = cartella / f"{nome}-{anno}.pdf"
        esegui(["esporta_pdf", "--comune", slug, "--anno", str(anno), *opzioni, "-o", str(uscita)])
        testi.append(testo_pdf(uscita))
    return "\n".join(testi)
