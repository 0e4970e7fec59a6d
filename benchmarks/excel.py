"""Benchmark: the Excel file of a whole piano of 30 settori × 50 obiettivi × 6 indicatori
× 4 fasi.

Export: best of 3 seconds of ``reporting.excel`` (every format, dropdown and the
«Risultati» sheet with its scores) beside the raw work on the same plan — fetching the
same rows with one ``values_list()`` query per sheet and writing the same number of
cells with a plain write-only openpyxl workbook, no styles — and their ratio (goal
≤ 2×), with the export's SQL queries. Exits 1 if the queries grow with the plan; times
are printed, never asserted (a shared machine is noisy). Runs on a throwaway SQLite
database unless DATABASE_URL is set. With ``--piccolo`` (``make test``) the large plan
is 4 × 6 × 6 × 4: seconds instead of minutes, the same check on the queries.

    python benchmarks/excel.py [--piccolo]
"""

import io
import sys
import time

from comune import dimensioni, genera
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from indicators.models import Indicatore, Rilevazione
from objectives.models import (
    Fase,
    Obiettivo,
    RisorsaFinanziaria,
    RisorsaStrumentale,
    RisorsaUmana,
)
from reporting import excel, excel_risultati

RIPETIZIONI = 3
# The model of each sheet and the path from it to the scheda.
MODELLI = {
    "Obiettivi": (Obiettivo, ""),
    "Indicatori": (Indicatore, "obiettivo__"),
    "Fasi": (Fase, "obiettivo__"),
    "Rilevazioni": (Rilevazione, "indicatore__obiettivo__"),
    "Risorse finanziarie": (RisorsaFinanziaria, "obiettivo__"),
    "Risorse umane": (RisorsaUmana, "obiettivo__"),
    "Risorse strumentali": (RisorsaStrumentale, "obiettivo__"),
}


def meglio_di_3(funzione) -> tuple[tuple[float, float], int, object]:
    """Best seconds of 3 runs (elapsed, and of CPU: steadier on a busy machine), the
    SQL queries of one, what it returned."""
    tempi, cpu = [], []
    for _ in range(RIPETIZIONI):
        with CaptureQueriesContext(connection) as query:
            inizio, inizio_cpu = time.perf_counter(), time.process_time()
            risultato = funzione()
            tempi.append(time.perf_counter() - inizio)
            cpu.append(time.process_time() - inizio_cpu)
    return (min(tempi), min(cpu)), len(query), risultato


def esportazione(piano) -> tuple[tuple[float, float], int, bytes]:
    """Our export of the whole piano, as the download view makes it."""
    return meglio_di_3(
        lambda: excel.cartella(excel.obiettivi_da_esportare(Obiettivo.objects.all(), piano))
    )


def _campi(modello, colonne, via: str) -> list[str]:
    """The sheet's columns that are fields of the model, and the scheda's key."""
    nomi = {f.name for f in modello._meta.concrete_fields}
    return [f"{via}codice", f"{via}anno", *(c.field for c in colonne if c.field in nomi)]


def grezzo(piano) -> tuple[tuple[float, float], int, int]:
    """The raw work: the same rows fetched with one values_list() query per sheet and
    the same number of cells written with a plain write-only workbook, no styles."""

    def lavoro() -> int:
        wb = Workbook(write_only=True)
        celle = 0
        fogli = {nome: (*MODELLI[nome], colonne) for nome, colonne in excel.FOGLI.items()}
        fogli[excel_risultati.NOME] = (Obiettivo, "", excel.FOGLI["Obiettivi"][:10])
        for nome, (modello, via, colonne) in fogli.items():
            ws = wb.create_sheet(nome)
            larghezza = len(colonne)
            ws.append([c.header for c in colonne])
            righe = modello.objects.filter(**{f"{via}piano": piano}).values_list(
                *_campi(modello, colonne, via)
            )
            for riga in righe:
                cella = list(riga[:larghezza])
                ws.append(cella + [None] * (larghezza - len(cella)))
                celle += larghezza
        wb.save(io.BytesIO())
        return celle

    return meglio_di_3(lavoro)


def misura_esportazione(nome: str, dimensioni) -> int:
    """Prints our export beside the raw work; returns the export's queries."""
    piano = genera(f"bench-excel-{nome}", *dimensioni)
    (secondi, cpu), query, dati = esportazione(piano)
    (grezzi, cpu_grezza), query_grezze, celle = grezzo(piano)
    descrizione = " × ".join(str(d) for d in dimensioni)
    print(
        f"esportazione Excel {nome:8} {descrizione} ({celle} celle, {len(dati) // 1024} kB): "
        f"{secondi:.2f} s (CPU {cpu:.2f} s), {query} query SQL; lavoro grezzo {grezzi:.2f} s "
        f"(CPU {cpu_grezza:.2f} s, {query_grezze} query); rapporto {secondi / grezzi:.2f}× "
        f"(CPU {cpu / cpu_grezza:.2f}×; obiettivo ≤ 2×)"
    )
    return query


def main() -> int:
    sizes = dimensioni(__doc__)
    query = {nome: misura_esportazione(nome, dimensioni) for nome, dimensioni in sizes.items()}
    if query["grande"] != query["piccolo"]:
        print(
            f"ERRORE: le query dell'esportazione crescono con il piano "
            f"({query['piccolo']} → {query['grande']})."
        )
        return 1
    print(f"Query dell'esportazione costanti al crescere del piano: {query['grande']}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
