"""Benchmark: importing the Excel export of a piano of 30 settori × 50 obiettivi × 6
indicatori × 4 fasi as new schede of another comune.

A ``genera_dati`` plan is exported (``reporting.excel.cartella``, as the page does) and
imported into a second comune made by ``genera_dati`` with the same settori and
without its schede: every scheda of the file is new. Prints, best of 3, the seconds of
the dry run («Solo verifica») and of the real import (rolled back after each run), the
raw reading of the file (openpyxl in read-only mode walking every cell), their ratios,
and the SQL queries of each: the real import's INSERTs go in batches (SQLite takes up
to 999 values a statement), the other queries are counted apart. Exits 1 if those grow
with the file or the INSERTs are not batched; times are reported, never asserted. Runs on a throwaway SQLite database unless DATABASE_URL is
set. With ``--piccolo`` (``make test``) the plans are 2 × 3 and 4 × 6: seconds.

    python benchmarks/excel_import.py [--piccolo]
"""

import io
import sys
import time

from comune import dimensioni, genera
from django.db import connection, transaction
from openpyxl import load_workbook

from objectives.models import Obiettivo
from peg.models import Piano
from reporting import excel
from reporting.excel_import import importa

VOLTE = 3


class Annulla(Exception):
    """Raised to roll back a real import once measured."""


def lettura_grezza(dati: bytes) -> float:
    """openpyxl alone, read-only, walking every cell of every sheet."""
    start = time.perf_counter()
    wb = load_workbook(io.BytesIO(dati), read_only=True, data_only=True)
    for ws in wb.worksheets:
        for riga in ws.iter_rows(values_only=True):
            for _ in riga:
                pass
    wb.close()
    return time.perf_counter() - start


class Contatore:
    """The statements run: bulk INSERTs (batches of rows) apart from the others."""

    def __init__(self):
        self.insert = self.altre = 0

    def __call__(self, execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("INSERT"):
            self.insert += 1
        else:
            self.altre += 1
        return execute(sql, params, many, context)


def importa_misurando(piano: Piano, dati: bytes, solo_verifica: bool) -> dict:
    """Seconds (best of VOLTE), queries and schede created of one import (a real one is
    rolled back, so that each run imports into the same empty piano)."""
    tempi = []
    for _ in range(VOLTE):
        contatore = Contatore()
        try:
            with transaction.atomic(), connection.execute_wrapper(contatore):
                start = time.perf_counter()
                esito = importa(piano, dati, solo_verifica=solo_verifica)
                tempi.append(time.perf_counter() - start)
                if not esito.ok:
                    raise SystemExit(
                        f"importazione rifiutata: {[str(e) for e in esito.errori[:5]]}"
                    )
                raise Annulla
        except Annulla:
            pass
    return {
        "secondi": min(tempi),
        "altre": contatore.altre,
        "insert": contatore.insert,
        "schede": len(esito.creati),
    }


def misura(nome: str, size) -> dict:
    sorgente = genera(f"bench-xls-{nome}", *size)
    dati = excel.cartella(excel.obiettivi_da_esportare(Obiettivo.objects.all(), sorgente))
    destinazione = genera(f"bench-xls-{nome}-nuovo", *size)
    Obiettivo.objects.filter(piano=destinazione).delete()
    # genera_dati makes a piano already reported, closed to new schede: a piano in bozza.
    Piano.objects.filter(pk=destinazione.pk).update(stato=Piano.Stato.BOZZA)
    destinazione.refresh_from_db()
    grezza = min(lettura_grezza(dati) for _ in range(VOLTE))
    verifica = importa_misurando(destinazione, dati, solo_verifica=True)
    reale = importa_misurando(destinazione, dati, solo_verifica=False)
    return {"grezza": grezza, "verifica": verifica, "reale": reale, "byte": len(dati)}


def righe_scritte(size) -> int:
    """The rows an import of the plan inserts (schede, indicatori, fasi, rilevazioni),
    each with its history row."""
    settori, obiettivi, indicatori, fasi = size
    return 2 * settori * obiettivi * (1 + 2 * indicatori + fasi)


def main() -> int:
    sizes = dimensioni(__doc__)
    altre, errori = {}, []
    for nome, size in sizes.items():
        r = misura(nome, size)
        v, i, grezza = r["verifica"], r["reale"], r["grezza"]
        altre[nome] = (v["altre"], i["altre"])
        righe = righe_scritte(size)
        print(
            f"import {nome:8} {size[0]} settori × {size[1]} obiettivi × {size[2]} indicatori × "
            f"{size[3]} fasi ({v['schede']} schede nuove, {r['byte'] / 1024:.0f} kB)\n"
            f"  lettura grezza (openpyxl read-only, ogni cella): {grezza:.2f} s\n"
            f"  solo verifica: {v['secondi']:.2f} s ({v['secondi'] / grezza:.1f}× la lettura), "
            f"{v['altre'] + v['insert']} query SQL\n"
            f"  importazione:  {i['secondi']:.2f} s ({i['secondi'] / grezza:.1f}× la lettura), "
            f"{i['altre']} query SQL + {i['insert']} INSERT a blocchi per {righe} righe "
            f"(con lo storico)"
        )
        if i["insert"] * 10 > righe:
            errori.append(f"{i['insert']} INSERT per {righe} righe: non sono a blocchi.")
    if altre["grande"] != altre["piccolo"]:
        errori.append(f"le query crescono con il file ({altre['piccolo']} → {altre['grande']}).")
    if errori:
        print("ERRORE: " + " ".join(errori))
        return 1
    print(
        f"Query costanti al crescere del file: {altre['grande'][0]} per la verifica, "
        f"{altre['grande'][1]} per l'importazione più gli INSERT a blocchi (SQLite: fino a 999 "
        "valori per INSERT)."
    )
    print(f"Memoria di picco del processo: {picco_mb():.0f} MB.")
    return 0


def picco_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    sys.exit(main())
