"""Benchmark: the PDF of one scheda and of a whole piano of 30 settori × 50 obiettivi ×
6 indicatori × 4 fasi (WeasyPrint), and one scheda in each built-in print model.

Prints the time of one scheda (best of 3) and, for each generated plan, the whole-piano
book written with 1 and with 2 processes (``libri.scrivi_piano``, issue 14), each by a
process of its own (``--libro``) so that its peak memory is the book's alone: seconds,
seconds per scheda, the speed-up of 2 processes, queries, pages, size, peak RSS of that
process (``RUSAGE_SELF``) and of the largest layout process (``RUSAGE_CHILDREN``). On the
100-scheda plan (4 × 25; with ``--piccolo`` the 3 × 4 one) the book's size against the
same pages laid out at once by WeasyPrint (their HTML joined in one document): OK up to
RAPPORTO_DIMENSIONE (1.5×), else OLTRE and exit 1 (not with ``--piccolo``, whose parts
of 2 schede each carry their fonts). Exit 1 also if the queries grow with the plan.
Size from the environment: BENCH_PDF_SETTORI, BENCH_PDF_OBIETTIVI (default 30 × 50).

Then, for each built-in model (``reporting.modelli.predefiniti.PREDEFINITI``) and each
use (piano, rendicontazione), the time of ``libri.pdf_schede`` on the demo scheda with
the most rows (indicatori, fasi, risorse) against WeasyPrint alone writing the very HTML
``pdf_schede`` lays out (same base URL and URL fetcher), best of BENCH_PDF_RIPETI runs
(default 5, up to TENTATIVI rounds of them while above the bound; one round of 3 with
``--piccolo``), and their ratio: OK up to RAPPORTO_MASSIMO (1.2×), else OLTRE and exit 1
(issue 13). The ratio is on this process's CPU time (the wall time, printed in
brackets, also counts the other processes of a shared machine). "L'HTML" is
``pdf_schede`` without WeasyPrint (queries, Gantt, templates): what the scheda adds to
WeasyPrint, without the noise of two layouts. ``--solo-modelli`` runs only this part.
The other times are reported, never asserted.

With ``--piccolo`` (``make test``) the large plan is 3 × 4 (default of BENCH_PDF_*) and
the book is laid out in parts of 2 schede instead of ``libri.SCHEDE_PER_PARTE``, with
the processes however few the schede, so that both plans still go through several
parts per settore and through the pool: the same path and the same check on the
queries, in a minute instead of twenty. The ratios per model are
printed but never fail there (times are noisy on a shared machine).

    python benchmarks/pdf.py [--piccolo] [--solo-modelli]
"""

import argparse
import gc
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peg.settings")
os.environ.setdefault("PEG_VAR_DIR", tempfile.mkdtemp(prefix="peg-bench-"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Case, Count, F, Q, When  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from objectives.models import Fase, Obiettivo  # noqa: E402
from peg.models import Piano  # noqa: E402
from reporting import libri  # noqa: E402
from reporting import pdf as impaginazione  # noqa: E402
from reporting.modelli.predefiniti import PREDEFINITI  # noqa: E402
from reporting.modelli.scelta import RENDICONTAZIONE, USI, predefinito  # noqa: E402

# One scheda's PDF within this much of WeasyPrint alone on the same HTML (issue 13).
RAPPORTO_MASSIMO = 1.2
# The whole-piano book within this much of the same pages laid out at once (issue 14).
RAPPORTO_DIMENSIONE = 1.5
# Rounds of BENCH_PDF_RIPETI runs at most, while a model stays above the bound.
TENTATIVI = 3
SENZA_DATE = Q(
    data_inizio_prevista=None,
    data_fine_prevista=None,
    data_inizio_effettiva=None,
    data_fine_effettiva=None,
)
RIGHE = ("indicatori", "fasi", "risorse_finanziarie", "risorse_umane", "risorse_strumentali")


def genera(slug: str, settori: int, obiettivi: int) -> Piano:
    call_command(
        "genera_dati",
        *("--comune", slug, "--settori", str(settori), "--obiettivi", str(obiettivi)),
        *("--indicatori", "6", "--fasi", "4", "--sostituisci"),
        stdout=io.StringIO(),
    )
    return Piano.objects.get(comune__slug=slug)


def misura(piano: Piano) -> tuple[float, int]:
    """One scheda's PDF: best of 3 and its queries."""
    scheda = Obiettivo.objects.filter(piano=piano).order_by("pk")[:1]
    tempi = []
    for _ in range(3):
        with CaptureQueriesContext(connection) as q_scheda:
            start = time.perf_counter()
            libri.pdf_schede(scheda, None, "Scheda")
            tempi.append(time.perf_counter() - start)
    return min(tempi), len(q_scheda)


def scheda_rappresentativa():
    """The demo scheda with the most rows among those with indicatori, fasi and risorse,
    one whose fasi have dates first (so that its Gantt is drawn too)."""
    conteggi = {f"n_{r}": Count(r, distinct=True) for r in RIGHE}
    datate = Count("fasi", distinct=True, filter=Q(fasi__in=Fase.objects.exclude(SENZA_DATE)))
    scelta = (
        Obiettivo.objects.annotate(**conteggi, n_datate=datate)
        .annotate(righe=sum((F(n) for n in conteggi), start=0))
        .filter(n_indicatori__gt=0, n_fasi__gt=0)
        .filter(Q(n_risorse_finanziarie__gt=0) | Q(n_risorse_umane__gt=0))
        .order_by(Case(When(n_datate__gt=0, then=0), default=1), "-righe", "pk")
        .select_related("piano__comune")
        .first()
    )
    if scelta is None:
        raise SystemExit("ERRORE: nessuna scheda demo con indicatori, fasi e risorse.")
    return scelta


def html_della_scheda(scheda, modelli, rendicontazione: bool) -> str:
    """The HTML ``pdf_schede`` hands to WeasyPrint (``reporting.pdf.impagina``)."""
    with mock.patch.object(impaginazione, "impagina", wraps=impaginazione.impagina) as impagina:
        libri.pdf_schede(scheda, rendicontazione, modelli=modelli)
    return impagina.call_args.args[0]


def solo_weasyprint(html: str) -> bytes:
    """WeasyPrint alone (imported through reporting.pdf, which silences its progress log)."""
    return impaginazione.HTML(
        string=html, base_url=impaginazione.base_url(), url_fetcher=impaginazione.url_fetcher()
    ).write_pdf()


def misura_modelli(ripeti: int, tentativi: int) -> list[tuple]:
    """(model, use, pdf_schede's times, WeasyPrint alone's, HTML's, pages, runs) per
    built-in model and use (``confronta``)."""
    obiettivo = scheda_rappresentativa()
    scheda = Obiettivo.objects.filter(pk=obiettivo.pk)
    print(
        f"modelli: scheda {obiettivo.codice} ({obiettivo.piano.comune}, {obiettivo.anno}), "
        + ", ".join(f"{getattr(obiettivo, f'n_{r}')} {r.replace('_', ' ')}" for r in RIGHE)
        + f" ({obiettivo.n_datate} fasi con date)"
    )
    risultati = []
    for chiave in PREDEFINITI:
        modelli = dict.fromkeys(USI, predefinito(chiave))
        for uso in USI:
            rendicontazione = uso == RENDICONTAZIONE
            risultati.append(
                (chiave, uso, *confronta(scheda, modelli, rendicontazione, ripeti, tentativi))
            )
    return risultati


def confronta(scheda, modelli, rendicontazione: bool, ripeti: int, tentativi: int) -> tuple:
    """Best of ``ripeti`` runs of the scheda's PDF and of WeasyPrint alone on its HTML,
    alternated so that a busy moment hits both; above the bound, more rounds before
    believing it (the best of a few runs on a busy machine is still ± 10%; a real
    slowdown stays)."""
    html = html_della_scheda(scheda, modelli, rendicontazione)
    tempi, soli = [], []
    for _ in range(tentativi):
        for _ in range(ripeti):
            pdf, tempo = cronometra(libri.pdf_schede, scheda, rendicontazione, modelli=modelli)
            tempi.append(tempo)
            soli.append(cronometra(solo_weasyprint, html)[1])
        if migliore(tempi)[0] <= RAPPORTO_MASSIMO * migliore(soli)[0]:
            break
    pagine = len(PdfReader(io.BytesIO(pdf)).pages)
    prima = preparazione(scheda, modelli, rendicontazione, ripeti)
    return migliore(tempi), migliore(soli), prima, pagine, len(tempi)


def preparazione(scheda, modelli, rendicontazione: bool, ripeti: int) -> float:
    """CPU time of ``pdf_schede`` up to the HTML (carica_schede's queries, Gantt, template),
    WeasyPrint left out: what the scheda costs beyond WeasyPrint alone."""
    vuoto = impaginazione.Impaginato(b"", 0, {}, [])
    with mock.patch.object(impaginazione, "impagina", return_value=vuoto):
        tempi = [
            cronometra(libri.pdf_schede, scheda, rendicontazione, modelli=modelli)[1]
            for _ in range(ripeti)
        ]
    return migliore(tempi)[0]


def migliore(tempi: list[tuple[float, float]]) -> tuple[float, float]:
    """The best CPU time and the best wall time of the runs."""
    return min(t[0] for t in tempi), min(t[1] for t in tempi)


def cronometra(funzione, *args, **kwargs):
    """(result, (CPU seconds of this process, wall seconds)). The ratio is on CPU time:
    on a shared machine the wall clock also counts the other processes' turns."""
    gc.collect()  # the previous layout's cycles, not freed inside this run
    cpu, parete = time.process_time(), time.perf_counter()
    risultato = funzione(*args, **kwargs)
    return risultato, (time.process_time() - cpu, time.perf_counter() - parete)


def stampa_modelli(risultati) -> list[str]:
    """Prints one line per model and use; returns those above RAPPORTO_MASSIMO."""
    oltre = []
    for chiave, uso, (tempo, parete), (solo, parete_solo), prima, pagine, prove in risultati:
        rapporto = tempo / solo
        esito = "OK" if rapporto <= RAPPORTO_MASSIMO else "OLTRE"
        if esito == "OLTRE":
            oltre.append(f"{chiave} ({uso})")
        print(
            f"modello {chiave:10} {uso:15} {pagine} pagine, migliore di {prove}: una scheda "
            f"{tempo:.3f} s CPU ({parete:.3f} s), WeasyPrint da solo {solo:.3f} s CPU "
            f"({parete_solo:.3f} s): {rapporto:.2f}× {esito} (massimo {RAPPORTO_MASSIMO:.1f}×); "
            f"l'HTML {prima:.3f} s, +{prima / solo:.0%} di WeasyPrint"
        )
    return oltre


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--piccolo", action="store_true", help="piano grande di 3 × 4, parti di 2 schede"
    )
    parser.add_argument(
        "--solo-modelli",
        action="store_true",
        help="solo una scheda per modello contro WeasyPrint da solo (niente piani generati)",
    )
    parser.add_argument("--libro", help=argparse.SUPPRESS)  # scrivi_libro, in a process
    parser.add_argument("--processi", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--insieme", action="store_true", help=argparse.SUPPRESS)
    argomenti = parser.parse_args()
    piccolo = argomenti.piccolo
    if argomenti.libro:
        scrivi_libro(argomenti.libro, argomenti.processi, piccolo, argomenti.insieme)
        return 0
    call_command("migrate", verbosity=0)
    esito = 0 if argomenti.solo_modelli else piani(piccolo)
    call_command("carica_demo", "--sostituisci", stdout=io.StringIO())
    ripeti = int(os.environ.get("BENCH_PDF_RIPETI", 3 if piccolo else 5))
    oltre = stampa_modelli(misura_modelli(ripeti, 1 if piccolo else TENTATIVI))
    if not oltre:
        print(f"Una scheda entro {RAPPORTO_MASSIMO:.1f}× WeasyPrint da solo con ogni modello.")
    elif piccolo:
        print(f"Oltre {RAPPORTO_MASSIMO:.1f}× (non verificato con --piccolo): {', '.join(oltre)}.")
    else:
        print(
            f"ERRORE: una scheda oltre {RAPPORTO_MASSIMO:.1f}× WeasyPrint da solo: "
            f"{', '.join(oltre)}."
        )
        esito = 1
    return esito


def piani(piccolo: bool) -> int:
    """The generated plans: the books with 1 and 2 processes (each in its own process, for
    its peak memory), the size against the same pages laid out at once; 1 if the queries
    grow with the plan."""
    settori = int(os.environ.get("BENCH_PDF_SETTORI", 3 if piccolo else 30))
    obiettivi = int(os.environ.get("BENCH_PDF_OBIETTIVI", 4 if piccolo else 50))
    # The size is compared on a plan short enough to lay out at once (the 100
    # schede); with --piccolo, on the "grande" one.
    piani = {"piccolo": (2, 3), "medio": (4, 25), "grande": (settori, obiettivi)}
    if piccolo:
        del piani["medio"]
    confronto = "grande" if piccolo else "medio"
    carico = ", ".join(f"{c:.1f}" for c in os.getloadavg())
    print(f"carico della macchina (1, 5, 15 minuti): {carico} su {os.cpu_count()} core")
    query, oltre = {}, []
    for nome, (s, o) in piani.items():
        slug = f"bench-pdf-{nome}"
        piano = genera(slug, s, o)
        una, q_una = misura(piano)
        schede = s * o
        print(
            f"pdf {nome:8} {s} settori × {o} obiettivi × 6 indicatori × 4 fasi: "
            f"una scheda {una:.3f} s ({q_una} query)"
        )
        tempi = {}
        for processi in (1, 2):
            r = libro(slug, processi, piccolo, insieme=nome == confronto and processi == 1)
            tempi[processi] = r["secondi"]
            if processi == 1:
                query[nome] = (q_una, r["query"])
            print(
                f"    libro con {processi} processi (usati {r['usati']}, parti di "
                f"{r['parti_di']} schede): {r['secondi']:.1f} s, "
                f"{r['secondi'] / schede:.3f} s a scheda, {r['query']} query, "
                f"{r['pagine']} pagine, {r['byte'] / 1_048_576:.2f} MB; memoria di picco: "
                f"questo processo {r['rss_mb']:.0f} MB, il più grande dei processi "
                f"figli {r['rss_figli_mb']:.0f} MB"
            )
            if "insieme" in r:
                rapporto = r["byte"] / r["insieme"]
                esito = "OK" if rapporto <= RAPPORTO_DIMENSIONE else "OLTRE"
                if esito == "OLTRE":
                    oltre.append(nome)
                print(
                    f"    dimensione: {r['byte'] / 1_048_576:.2f} MB contro "
                    f"{r['insieme'] / 1_048_576:.2f} MB delle stesse pagine impaginate "
                    f"insieme: {rapporto:.2f}× {esito} (massimo {RAPPORTO_DIMENSIONE:.1f}×)"
                )
        print(
            f"    2 processi contro 1: {tempi[1] / tempi[2]:.2f}× più veloce "
            f"({tempi[1] / schede:.3f} → {tempi[2] / schede:.3f} s a scheda)"
        )
    esito = 0
    if oltre and not piccolo:
        print(f"ERRORE: libro oltre {RAPPORTO_DIMENSIONE:.1f}× le pagine impaginate insieme.")
        esito = 1
    if query["grande"] != query["piccolo"]:
        print(f"ERRORE: le query crescono con il piano ({query['piccolo']} → {query['grande']}).")
        return 1
    print("Query costanti al crescere del piano.")
    return esito


def libro(slug: str, processi: int, piccolo: bool, insieme: bool) -> dict:
    """The whole-piano book of ``slug`` written by a process of its own (``--libro``):
    its peak memory is the book's alone. Returns what that process prints."""
    comando = [sys.executable, __file__, "--libro", slug, "--processi", str(processi)]
    comando += ["--piccolo"] * piccolo + ["--insieme"] * insieme
    esito = subprocess.run(comando, capture_output=True, text=True)
    if esito.returncode:
        raise SystemExit(f"ERRORE nel libro di {slug}:\n{esito.stderr}")
    return json.loads(esito.stdout.strip().splitlines()[-1])


def scrivi_libro(slug: str, processi: int, piccolo: bool, insieme: bool) -> None:
    """In its own process: the book of ``slug`` with ``processi`` processes, timed, its
    queries, pages, size and peak memory (this process, the largest layout process)
    printed as one JSON line; ``insieme``: also the size of the same pages laid out in
    one WeasyPrint document (their HTML joined)."""
    if piccolo:
        libri.SCHEDE_PER_PARTE = 2
        libri.MINIMO_SCHEDE_PER_PROCESSO = 1  # the processes even for a few schede
    piano = Piano.objects.get(comune__slug=slug)
    usati, html = [], []
    esecutore, impagina_in_file = libri.esecutore, libri.impagina_in_file
    libri.esecutore = lambda n: (usati.append(n), esecutore(n))[1]
    if insieme:  # one process: the parts and the front matter pass here, in order
        libri.impagina_in_file = lambda h, f: (html.append((f, h)), impagina_in_file(h, f))[1]
    with tempfile.TemporaryDirectory() as cartella:
        uscita = Path(cartella) / "piano.pdf"
        with CaptureQueriesContext(connection) as query:
            inizio = time.perf_counter()
            libri.scrivi_piano(piano, 2019, uscita, processi=processi)
            secondi = time.perf_counter() - inizio
        risultato = {
            "secondi": secondi,
            "query": len(query),
            "usati": usati[0],
            "parti_di": libri.SCHEDE_PER_PARTE,
            "pagine": len(PdfReader(uscita).pages),
            "byte": uscita.stat().st_size,
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "rss_figli_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        }
    if insieme:
        risultato["insieme"] = len(impaginazione.impagina(tutto_insieme(html)).pdf)
    print(json.dumps(risultato))


def tutto_insieme(html: list[tuple[str, str]]) -> str:
    """The front matter's last layout, then every part, as one HTML document: the body of
    each part appended to the first one's."""
    ultimi = dict(html)  # the front matter is laid out twice: its last HTML
    ordine = sorted(ultimi, key=lambda f: (not f.endswith("fronte.pdf"), len(f), f))
    primo, *altri = (ultimi[f] for f in ordine)
    corpi = [h[h.index(">", h.index("<body")) + 1 : h.rindex("</body>")] for h in altri]
    fine = primo.rindex("</body>")
    return primo[:fine] + "".join(corpi) + primo[fine:]


if __name__ == "__main__":
    sys.exit(main())
