"""The «Risultati» sheet of the Excel export: what each scheda and each settore achieved.

Per obiettivo the conseguimento computed by the scoring engine
(``indicators.engine.scoring.calcola`` with the piano's ``Sistema``), the one validated
by the OIV where a validation is in force (``valutazione.punteggi``), its fascia
(``indicators.engine.fasce``); after the schede of each settore and year, the settore's
result weighted as the piano says. Read only: the import ignores the sheet.

Loaded in a fixed number of queries, whatever the number of schede.
"""

from decimal import Decimal

from openpyxl.utils import get_column_letter

from indicators.caricamento import CAMPI_OBIETTIVO, carica_figli
from indicators.engine import fasce
from indicators.engine.formatting import CENTO
from indicators.engine.scoring import FINALE, Sistema, calcola
from objectives.models import Obiettivo
from peg.models import Piano
from peg.organigramma_piano import come_nelle_schede
from valutazione.punteggi import validazioni_in_vigore

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


def _carica(obiettivi) -> tuple[list, dict]:
    """The schede of a queryset with what scoring reads (``indicators.caricamento``),
    and the OIV's validations in force ({obiettivo id: Validazione})."""
    lista = carica_figli(
        obiettivi.select_related("settore").only(*CAMPI_OBIETTIVO, "denominazione")
    )
    validati = obiettivi.filter(stato=Obiettivo.Stato.VALIDATO).order_by().values("pk")
    return lista, validazioni_in_vigore(validati)


def righe(obiettivi, organigramma=None) -> list[tuple[list, bool]]:
    """[(cells, whether it is a settore's row)] of the schede of a queryset (None: the
    empty template), in its order. ``organigramma``: the piani's photographs
    (``peg.organigramma_piano.fotografie``) if already read."""
    if obiettivi is None:
        return []
    obiettivi, validazioni = _carica(obiettivi)
    if not obiettivi:
        return []
    come_nelle_schede(obiettivi, organigramma)  # the settori as each piano approved them
    sistema = Sistema.del_piano(Piano.objects.get(pk=obiettivi[0].piano_id))
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


def foglio(wb, obiettivi, organigramma=None) -> None:
    """The sheet in a write-only workbook (``reporting.excel``), of the schede of a
    queryset (None: none); ``organigramma`` as for ``righe``."""
    from .excel import GRASSETTO, celle, chiudi, dimensioni, intestazioni, stile

    ws = wb.create_sheet(NOME)
    for indice, (_, larghezza, _) in enumerate(COLONNE, start=1):
        ws.column_dimensions[get_column_letter(indice)].width = larghezza
    ws.freeze_panes = "A2"
    dati = righe(obiettivi, organigramma)
    dimensioni(ws, len(COLONNE), len(dati))
    ws.append(intestazioni(ws, [header for header, _, _ in COLONNE]))
    stili = {
        del_settore: [
            stile(ws, formato, font=GRASSETTO if del_settore else None) for _, _, formato in COLONNE
        ]
        for del_settore in (False, True)
    }
    for valori, del_settore in dati:
        ws.append(celle(ws, stili[del_settore], valori))
    chiudi(ws, len(COLONNE), len(dati))
