"""The empty template of the organigramma: sheets Settori and Persone with their
headers, lists to choose from where a column has fixed values, and an Istruzioni
sheet (which the import ignores, as it ignores any sheet it does not know)."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ...models import Persona, Settore
from .colonne import COLONNE, ISTRUZIONI, PERSONE, SETTORI

# Rows the lists and hints cover: beyond any comune's staff.
RIGHE = 5000
INTESTAZIONE = PatternFill("solid", fgColor="DCE6F1")
LARGHEZZE = {
    "nome": 36,
    "descrizione": 40,
    "servizi": 40,
    "email": 30,
    "area": 30,
    "profilo": 26,
    "responsabile": 24,
    "ruoli": 28,
}
# Columns whose values look like numbers (VI, 0042): kept as text so Excel does not
# drop leading zeros or turn them into numbers.
TESTO = {"codice", "matricola", "settore"}
ELENCHI = {
    (SETTORI, "tipo"): list(Settore.Tipo.labels),
    (PERSONE, "area"): list(Persona.Area.labels),
    (PERSONE, "responsabile"): ["sì", "no"],
}

ISTRUZIONI_TESTO = (
    "Come compilare il modello dell'organigramma",
    "",
    "Foglio Settori: una riga per settore. «Denominazione» è obbligatoria; «Codice» (es. VI) "
    "è il modo più semplice di indicare il settore nel foglio Persone. «Tipo» vuoto vale "
    "Settore. «Servizi»: separati da ; nell'ordine delle stampe (sostituiscono quelli già "
    "registrati).",
    "Foglio Persone: una riga per persona. «Matricola» e «Nome e cognome» sono obbligatori: "
    "la matricola riconosce la persona alle importazioni successive.",
    "«Area»: l'area del CCNL 2019-2021; la categoria dell'ordinamento precedente (es. D3) va "
    "in «Categoria».",
    "«Settore»: il codice del settore in cui la persona lavora (o la denominazione, se il "
    "settore non ha codice), di questo foglio o già registrato. «Responsabile del settore»: "
    "sì se lo dirige.",
    "«Ruoli»: segreteria, responsabile, oiv, lettore, separati da ;. Chi riceve un ruolo "
    "riceve per e-mail l'invito ad accedere: serve l'«E-mail».",
    "",
    "Una cella vuota lascia com'è il dato già registrato («Responsabile del settore» vuoto "
    "vale no). I settori e le persone che non sono nel file restano come sono: "
    "l'importazione aggiunge e aggiorna, non cancella nulla.",
    "Il file si importa tutto o niente: con un errore non si salva nulla e l'elenco indica "
    "foglio, riga e colonna. Prova prima con «solo verifica».",
    "Il solo foglio Persone si può importare anche in CSV (UTF-8, separato da ; o ,): i "
    "settori devono allora essere già registrati.",
)


def modello() -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for foglio in (SETTORI, PERSONE):
        _foglio(wb.create_sheet(foglio), foglio)
    istruzioni = wb.create_sheet(ISTRUZIONI)
    istruzioni.column_dimensions["A"].width = 110
    for numero, riga in enumerate(ISTRUZIONI_TESTO, start=1):
        cella = istruzioni.cell(numero, 1, riga)
        cella.alignment = Alignment(wrap_text=True, vertical="top")
    istruzioni["A1"].font = Font(bold=True, size=13)
    uscita = io.BytesIO()
    wb.save(uscita)
    return uscita.getvalue()


def _foglio(ws, foglio: str) -> None:
    ws.freeze_panes = "A2"
    for indice, col in enumerate(COLONNE[foglio], start=1):
        lettera = get_column_letter(indice)
        cella = ws.cell(1, indice, col.intestazione)
        cella.font = Font(bold=True)
        cella.fill = INTESTAZIONE
        ws.column_dimensions[lettera].width = LARGHEZZE.get(col.chiave, 18)
        if col.chiave in TESTO:
            ws.column_dimensions[lettera].number_format = "@"
        elenco = ELENCHI.get((foglio, col.chiave))
        if elenco:
            convalida = DataValidation(
                type="list",
                formula1='"' + ",".join(elenco) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="Valore non previsto",
                error="Scegli uno dei valori dell'elenco: " + ", ".join(elenco) + ".",
            )
        else:
            convalida = DataValidation(allow_blank=True)
        aiuto = col.aiuto
        if aiuto:
            convalida.showInputMessage = True
            convalida.promptTitle = col.intestazione[:32]
            convalida.prompt = aiuto[:255]
        if elenco or aiuto:
            ws.add_data_validation(convalida)
            convalida.add(f"{lettera}2:{lettera}{RIGHE}")
