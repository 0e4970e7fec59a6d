"""The «Risultati» sheet of the Excel export: what each scheda and each settore achieved.

Per obiettivo the conseguimento computed by the scoring engine
(``indicators.engine.scoring.calcola`` with the piano's ``Sistema``), the one validated
by the OIV where a validation is in force (``valutazione.punteggi``), its fascia
(``indicators.engine.fasce``); after the schede of each settore and year, the settore's
result weighted as the piano says. Read only: the import ignores the sheet.

Loaded with the export's schede in two more queries at most, whatever their number.
"""

from decimal import Decimal

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from indicators.engine import fasce
from indicators.engine.formatting import CENTO
from indicators.engine.scoring import FINALE, Sistema, calcola
from objectives.models import Obiettivo
from valutazione.punteggi import rettifiche_in_vigore, validazioni_in_vigore

NOME = "Risultati"
# (header, width, number format)
COLONNE = (
    ("Settore", 40, None),
    ("Anno", 8, "0"),
    ("Codice obiettivo", 16, None),
    ("Denominazione", 50, None),
    ("Stato della scheda", 15, None),
    ("Peso nel settore", 10, "#,##0.00"),
    ("Conseguimento calcolato", 14, "0.00%"),
    ("Conseguimento validato dall'OIV", 14, "0.00%"),
    ("Fascia di raggiungimento", 22, None),
    ("Note dell'OIV", 40, None),
)
RISULTATO_SETTORE = "Risultato del settore"


def _cifra(esito) -> Decimal | str:
    """A score as a fraction for the «0,00%» cell, or why there is none."""
    if esito.calcolato:
        return esito.punteggio / CENTO
    return esito.stato


def _carica(obiettivi: list) -> dict:
    """The OIV's validations in force ({obiettivo id: Validazione}); the validated
    figures attached where the engine reads them."""
    validati = [o.pk for o in obiettivi if o.stato == Obiettivo.Stato.VALIDATO]
    rettifiche = rettifiche_in_vigore(validati) if validati else {}
    for o in obiettivi:
        o.figli = {
            "indicatori": sorted(o.indicatori.all(), key=lambda i: i.numero),
            "fasi": sorted(o.fasi.all(), key=lambda f: f.numero),
            "rettifiche": rettifiche.get(o.pk, []),
        }
    return validazioni_in_vigore(validati) if validati else {}


def righe(obiettivi: list) -> list[tuple[list, bool]]:
    """[(cells, whether it is a settore's row)] in the export's order."""
    if not obiettivi:
        return []
    validazioni = _carica(obiettivi)
    sistema = Sistema.del_piano(obiettivi[0].piano)
    per_anno = {}
    for anno in sorted({o.anno for o in obiettivi}):
        schede = [o for o in obiettivi if o.anno == anno]
        per_anno[anno] = calcola(schede, sistema, FINALE, spiega=False)
    gruppi: dict = {}
    for o in obiettivi:
        gruppi.setdefault((o.settore_id, o.anno), []).append(o)
    uscita = []
    for (_, anno), schede in gruppi.items():
        punteggi = per_anno[anno]
        settore = schede[0].settore
        for o in schede:
            esito = punteggi.obiettivi[o.pk]
            validazione = validazioni.get(o.pk)
            cella = [
                settore.nome,
                anno,
                o.codice,
                o.denominazione,
                o.get_stato_display(),
                o.peso,
                _cifra(esito.come_calcolato()),
                _cifra(esito) if validazione is not None else None,
                fasce.fascia(esito).etichetta,
                (validazione.note or None) if validazione is not None else None,
            ]
            uscita.append((cella, False))
        esito = punteggi.settori[settore]
        cella = [
            settore.nome,
            anno,
            None,
            RISULTATO_SETTORE,
            None,
            None,
            _cifra(esito.come_calcolato()),
            _cifra(esito) if esito.validato else None,
            fasce.fascia(esito).etichetta,
            None,
        ]
        uscita.append((cella, True))
    return uscita


def foglio(wb, obiettivi: list) -> None:
    ws = wb.create_sheet(NOME)
    ws.append([header for header, _, _ in COLONNE])
    grassetto = Font(bold=True)
    for cella in ws[1]:
        cella.font = grassetto
        cella.alignment = Alignment(vertical="top", wrap_text=True)
    for valori, del_settore in righe(obiettivi):
        ws.append(valori)
        for cella in ws[ws.max_row]:
            if cella.data_type == "f":
                cella.data_type = "s"
            if del_settore:
                cella.font = grassetto
    for indice, (_, larghezza, formato) in enumerate(COLONNE, start=1):
        ws.column_dimensions[get_column_letter(indice)].width = larghezza
        if formato:
            for (cella,) in ws.iter_rows(min_row=2, min_col=indice, max_col=indice):
                cella.number_format = formato
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLONNE))}{max(ws.max_row, 2)}"
