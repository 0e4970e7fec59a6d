"""The payroll office's prospetto: one row per person of the distributions in force,
numbers as numbers (Excel sums them) shown the Italian way by the number formats."""

from __future__ import annotations

import io
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from peg.formatting import data_ora

from .models import Smvp

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EURO = '"€" #,##0.00'
NUMERO = "#,##0.00"
PERCENTUALE = '#,##0.00"%"'
INTERO = "0"
GRASSETTO = Font(bold=True)

# (header, width, number format)
COLONNE = (
    ("Matricola", 12, None),
    ("Nome e cognome", 30, None),
    ("Categoria", 28, None),
    ("Settore", 30, None),
    ("Fondo", 24, None),
    ("Punteggio finale", 12, NUMERO),
    ("Fascia: premio (%)", 12, PERCENTUALE),
    ("Part-time (%)", 12, PERCENTUALE),
    ("Giorni di servizio", 12, INTERO),
    ("Premio (€)", 14, EURO),
    ("Maggiorazione art. 81 (€)", 14, EURO),
    ("Importo (€)", 14, EURO),
)


def nome_file(smvp: Smvp) -> str:
    return f"premi-{smvp.comune.slug}-{smvp.anno}.xlsx"


def _riga(d, q) -> list:
    s = q.scheda
    return [
        s.persona.matricola,
        s.persona.nome,
        s.categoria.nome,
        f"{s.settore.codice} {s.settore.nome}".strip() if s.settore else "",
        d.categoria.nome if d.categoria else "Fondo unico",
        q.punteggio,
        q.fascia,
        s.percentuale_servizio,
        s.giorni_servizio,
        q.base,
        q.maggiorazione,
        q.importo,
    ]


def prospetto(smvp: Smvp, distribuzioni) -> bytes:
    """The workbook: a title, the header, a row per quota, the totals and residuo."""
    wb = Workbook()
    ws = wb.active
    ws.title = f"Premi {smvp.anno}"
    ws.append([f"Premi {smvp.anno} · {smvp.comune.nome}"])
    ws["A1"].font = GRASSETTO
    eseguite = ", ".join(
        f"{d.categoria.nome if d.categoria else 'fondo unico'}: {data_ora(d.eseguita_il)}"
        for d in distribuzioni
    )
    ws.append([f"Distribuzioni in vigore ({eseguite})" if eseguite else "Nessuna distribuzione"])
    ws.append([c[0] for c in COLONNE])
    for cella in ws[3]:
        cella.font = GRASSETTO
        cella.alignment = Alignment(wrap_text=True, vertical="top")
    for d in distribuzioni:
        for q in sorted(d.quote.all(), key=lambda q: (-q.importo, q.scheda.persona.nome)):
            ws.append(_riga(d, q))
    ultima = ws.max_row
    fondo = sum((d.fondo for d in distribuzioni), 0)
    distribuito = sum((d.distribuito for d in distribuzioni), 0)
    ws.append(["", "Totale distribuito", "", "", "", "", "", "", "", "", "", distribuito])
    ws.append(["", "Fondo", "", "", "", "", "", "", "", "", "", fondo])
    ws.append(
        ["", "Residuo non distribuito", "", "", "", "", "", "", "", "", "", fondo - distribuito]
    )
    for n in range(ultima + 1, ws.max_row + 1):
        ws.cell(n, 2).font = GRASSETTO
    for i, (_, larghezza, formato) in enumerate(COLONNE, start=1):
        ws.column_dimensions[get_column_letter(i)].width = larghezza
        if formato:
            for n in range(4, ws.max_row + 1):
                ws.cell(n, i).number_format = formato
    ws.freeze_panes = "C4"
    wb.properties.created = wb.properties.modified = datetime(2000, 1, 1)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
