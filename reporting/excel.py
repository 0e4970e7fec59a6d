"""Excel workbook of a piano (one year, or one settore): the same sheets serve as the
export, the empty template and the import format (``reporting.excel_import``).

Written for people: the headers are the schede's own words («Livello finale atteso
(valore)»), every choice is its Italian label («In monitoraggio», «Più alto è meglio»),
links are written out («1.2 Proteggere, garantire…»); numbers and dates stay numeric and
date cells. One row per record, keyed by obiettivo codice + anno and indicatore/fase
numero, so the file can be read back; the import also accepts each column's technical
name (``Col.chiave``, the headers of the first files) and the choices' codes. The
«Risultati» sheet (``reporting.excel_risultati``) is only read by people.

The output is deterministic: fixed document dates and fixed zip entry times, so the same
content gives the same bytes. It is streamed: a write-only workbook, each sheet's rows
loaded by ``reporting.excel_righe`` in one query and written row by row, styles shared
by column; a fixed number of queries and linear time whatever the piano.
"""

import io
import re
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.writer.excel import ExcelWriter

from indicators.models import Indicatore, Rilevazione
from objectives.models import Obiettivo, RisorsaFinanziaria, RisorsaStrumentale

from . import excel_righe, excel_risultati

DATA_FISSA = datetime(2000, 1, 1)
ZIP_DATA = (1980, 1, 1, 0, 0, 0)
MODIFICATO = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
FORMATO = {
    "numero2": "#,##0.00",
    "numero4": "#,##0.00##",
    "importo": "#,##0.00",
    "data": "DD/MM/YYYY",
    "intero": "0",
}
SI_NO = (("sì", "sì"), ("no", "no"))
# The order of the schede in every sheet.
ORDINE = ("settore__codice", "settore__nome", "anno", "codice_ordinabile", "id")
GRASSETTO = Font(bold=True)
A_CAPO = Alignment(vertical="top", wrap_text=True)


@dataclass(frozen=True)
class Col:
    """One column. ``chiave`` is its technical name: the key the import reads the row
    by, and the header the first files had (still accepted on import)."""

    chiave: str
    header: str
    field: str = ""  # model attribute; "" for the key columns filled by hand
    kind: str = "testo"  # testo, intero, numero2, numero4, importo, data, scelta, bool,
    # riferimento (an object named in the cell), elenco (objects, one a line)
    width: int = 14
    choices: tuple = ()  # ((codice, etichetta), …)
    required: bool = False
    importa: bool = True
    # Added after the first files: a file without the column leaves the field as it is.
    facoltativa: bool = False
    # What was achieved (entered with the rendicontazione): a variazione leaves it as is.
    consuntivo: bool = False
    # What the export writes, when it is not the field's value.
    esporta: Callable | None = None

    @property
    def decimali(self) -> int | None:
        return {"numero2": 2, "importo": 2, "numero4": 4}.get(self.kind)

    @property
    def etichette(self) -> tuple:
        return tuple(etichetta for _, etichetta in self.choices)


def _scelte(choices) -> tuple:
    return tuple((codice, str(etichetta)) for codice, etichetta in choices)


def _elenco(oggetti) -> str | None:
    return "\n".join(oggetti) or None


def _nodi(obiettivo) -> str | None:
    nodi = sorted(obiettivo.nodi_dup.all(), key=lambda n: (n.ordine, n.codice, n.pk))
    return _elenco(f"{n.codice} {n.denominazione}".strip() for n in nodi)


def _ambiti(obiettivo) -> str | None:
    return _elenco(str(a) for a in sorted(obiettivo.ambiti.all(), key=lambda a: a.numero))


def _oggetto(campo: str):
    def esporta(istanza):
        valore = getattr(istanza, campo)
        return str(valore) if valore is not None else None

    return esporta


def _persona(campo: str):
    def esporta(risorsa):
        return getattr(risorsa.persona, campo) or None

    return esporta


CODICE = Col("CODICE", "Codice obiettivo", width=16, required=True)
ANNO = Col("ANNO", "Anno", kind="intero", width=8, required=True)
CHIAVE = (CODICE, ANNO)
NUMERO = Col("NUMERO", "N°", "numero", "intero", 6, required=True)


# The effective dates of a scheda or of a fase: filled in the rendicontazione (consuntivo).
DATE_EFFETTIVE = tuple(
    Col(tecnico, etichetta, campo, "data", 14, facoltativa=True, consuntivo=True)
    for tecnico, etichetta, campo in (
        ("INIZIO_EFFETTIVO", "Inizio effettivo", "data_inizio_effettiva"),
        ("FINE_EFFETTIVA", "Fine effettiva", "data_fine_effettiva"),
    )
)

# What every sheet reads of a scheda, for the import's comparison with the file (the
# export loads the same cells by sheet: ``reporting.excel_righe``).
FIGLI = (
    "indicatori__rilevazioni",
    "fasi",
    "risorse_finanziarie",
    "risorse_strumentali",
    "risorse_umane__persona",
    "nodi_dup",
    "ambiti",
)

FOGLI: dict[str, tuple[Col, ...]] = {
    "Obiettivi": (
        *CHIAVE,
        Col("SETTORE_CODICE", "Codice settore", width=12),
        Col("SETTORE", "Settore", width=40),
        Col("ANNO_INIZIO", "Dall'anno", "anno_inizio", "intero", 10),
        Col("ANNO_FINE", "All'anno", "anno_fine", "intero", 10),
        Col(
            "DURATA",
            "Obiettivo annuale o pluriennale",
            "durata",
            "scelta",
            14,
            _scelte(Obiettivo.Durata.choices),
        ),
        Col("TIPO", "Tipo di obiettivo", "tipo", "scelta", 16, _scelte(Obiettivo.Tipo.choices)),
        Col("DENOMINAZIONE", "Denominazione", "denominazione", width=50, required=True),
        Col("DESCRIZIONE", "Descrizione dell'obiettivo", "descrizione", width=50),
        Col("RISULTATO_ATTESO", "Risultato atteso", "risultato_atteso", width=40),
        Col(
            "RIFERIMENTO_DUP",
            "Riferimento DUP",
            "riferimento_dup",
            width=14,
            facoltativa=True,
        ),
        Col(
            "COLLEGAMENTI_DUP",
            "Collegato a (DUP)",
            "nodi_dup",
            "elenco",
            40,
            facoltativa=True,
            esporta=_nodi,
        ),
        Col(
            "MISSIONE",
            "Missione D.Lgs 118/2011",
            "missione",
            "riferimento",
            30,
            facoltativa=True,
            esporta=_oggetto("missione"),
        ),
        Col(
            "PROGRAMMA",
            "Programma D.Lgs 118/2011",
            "programma",
            "riferimento",
            30,
            facoltativa=True,
            esporta=_oggetto("programma"),
        ),
        Col(
            "INDIRIZZI_DUP",
            "Indirizzi del Documento Unico di Programmazione",
            "indirizzi_dup",
            width=40,
            facoltativa=True,
        ),
        Col("AREA_TEMATICA", "Area tematica", "area_tematica", width=20),
        Col("ASSESSORATO", "Assessorato", "assessorato", width=20),
        Col("DIREZIONE", "Direzione", "direzione", width=20, facoltativa=True),
        Col("DIRETTORE", "Direttore", "direttore", width=20, facoltativa=True),
        Col(
            "UNITA_RESPONSABILE",
            "Unità organizzativa responsabile",
            "unita_organizzativa_responsabile",
            width=24,
        ),
        Col("RESPONSABILI", "Responsabile", "responsabili_testo", width=24),
        Col(
            "UNITA_COINVOLTE",
            "Unità organizzative coinvolte",
            "unita_coinvolte",
            width=24,
            facoltativa=True,
        ),
        Col(
            "SERVIZI_COINVOLTI",
            "Servizi coinvolti",
            "servizi_coinvolti",
            width=24,
            facoltativa=True,
        ),
        Col(
            "RIFERIMENTO_ORIGINE",
            "Riferimenti d'origine",
            "riferimento_origine",
            "scelta",
            14,
            _scelte(Obiettivo.Origine.choices),
            facoltativa=True,
        ),
        Col(
            "MODALITA_REALIZZAZIONE",
            "Modalità di realizzazione",
            "modalita_realizzazione",
            width=30,
            facoltativa=True,
        ),
        Col("CENTRO_DI_COSTO", "Centro di costo associato", "centro_di_costo", width=18),
        Col(
            "AMBITI",
            "Ambiti della performance organizzativa",
            "ambiti",
            "elenco",
            40,
            facoltativa=True,
            esporta=_ambiti,
        ),
        Col("STRATEGICITA", "Strategicità", "strategicita", "numero2", 12),
        Col("COMPLESSITA", "Complessità", "complessita", "numero2", 12),
        Col("TIPOLOGIA", "Tipologia", "tipologia", "numero2", 10),
        Col("PUNTEGGIO", "Punteggio", "punteggio", "numero2", 11, importa=False),
        Col("PESO", "Peso nel settore", "peso", "numero2", 10),
        Col("INIZIO_PREVISTO", "Inizio previsto", "data_inizio_prevista", "data", 14),
        Col("FINE_PREVISTA", "Fine prevista", "data_fine_prevista", "data", 14),
        *DATE_EFFETTIVE,
        Col("CONDIZIONE", "Condizione", "condizione", width=18),
        Col(
            "STATO_ATTUAZIONE",
            "Stato di attuazione",
            "stato_attuazione",
            width=40,
            facoltativa=True,
            consuntivo=True,
        ),
        Col(
            "MONITORAGGIO",
            "Monitoraggio",
            "monitoraggio",
            width=40,
            facoltativa=True,
            consuntivo=True,
        ),
        Col(
            "RISORSE_STANZIATE",
            "Risorse stanziate (come stampate)",
            "risorse_finanziarie_testo",
            width=30,
            facoltativa=True,
        ),
        Col("NOTE", "Note", "note", width=30),
        # Exported for reading; the state is never imported (the workflow moves it).
        Col(
            "STATO",
            "Stato della scheda",
            "stato",
            "scelta",
            15,
            _scelte(Obiettivo.Stato.choices),
            importa=False,
        ),
    ),
    "Indicatori": (
        *CHIAVE,
        NUMERO,
        Col("PESO", "Peso", "peso", "numero2", 9),
        Col("DENOMINAZIONE", "Denominazione", "denominazione", width=50, required=True),
        Col("FORMULA", "Formula di calcolo", "formula", width=30),
        Col("TIPO", "Tipo di indicatore", "tipo", "scelta", 13, _scelte(Indicatore.Tipo.choices)),
        Col("UNITA_MISURA", "Unità di misura o scala", "unita_misura", width=14),
        Col(
            "POLARITA",
            "Polarità",
            "polarita",
            "scelta",
            18,
            _scelte(Indicatore.Polarita.choices),
        ),
        Col(
            "ANNO_INDICATORE",
            "Anno di riferimento",
            "anno",
            "intero",
            10,
            facoltativa=True,
        ),
        Col(
            "VALORE_INTERMEDIO",
            "Livello intermedio atteso (valore)",
            "valore_intermedio",
            "numero4",
            14,
        ),
        Col(
            "VALORE_INTERMEDIO_TESTO",
            "Livello intermedio atteso (come stampato)",
            "valore_intermedio_testo",
            width=20,
        ),
        Col("DATA_INTERMEDIA", "Livello intermedio alla data", "data_intermedia", "data", 14),
        Col("VALORE_ATTESO", "Livello finale atteso (valore)", "valore_atteso", "numero4", 14),
        Col(
            "VALORE_ATTESO_TESTO",
            "Livello finale atteso (come stampato)",
            "valore_atteso_testo",
            width=20,
        ),
        Col("DATA_ATTESA", "Livello finale alla data", "data_attesa", "data", 14),
        Col("SCADENZA_TESTO", "Scadenza (come stampata)", "scadenza_testo", width=20),
        Col("GRADUAZIONE", "Graduazione del conseguimento", "graduazione", width=40),
        Col("NOTE", "Note", "note", width=30),
    ),
    "Fasi": (
        *CHIAVE,
        NUMERO,
        Col("PESO", "Peso", "peso", "numero2", 9),
        Col("DESCRIZIONE", "Sub-obiettivo / attività", "descrizione", width=50, required=True),
        Col("INIZIO_PREVISTO", "Inizio previsto", "data_inizio_prevista", "data", 14),
        Col("FINE_PREVISTA", "Fine prevista", "data_fine_prevista", "data", 14),
        Col("TEMPI_TESTO", "Tempi (come stampati)", "tempi_testo", width=20),
        Col("INDICATORE", "Indicatore", "indicatore", width=30),
        Col("LIVELLO_ATTESO", "Livello atteso", "livello_atteso", width=16),
        Col("GRADUAZIONE", "Graduazione del conseguimento", "graduazione", width=30),
        Col("RESPONSABILE", "Responsabile", "responsabile", width=20),
        Col(
            "CENTRO_RESPONSABILITA",
            "Centro di responsabilità",
            "centro_di_responsabilita",
            width=20,
            facoltativa=True,
        ),
        *DATE_EFFETTIVE,
        Col(
            "AVANZAMENTO",
            "Avanzamento (%)",
            "avanzamento",
            "numero2",
            13,
            facoltativa=True,
            consuntivo=True,
        ),
        Col("RAGGIUNTO", "Raggiunto", "raggiunto", width=16, facoltativa=True, consuntivo=True),
        Col(
            "MONITORAGGIO",
            "Monitoraggio / note",
            "monitoraggio",
            width=30,
            facoltativa=True,
            consuntivo=True,
        ),
    ),
    "Rilevazioni": (
        *CHIAVE,
        Col("INDICATORE", "Indicatore n°", kind="intero", width=12, required=True),
        Col(
            "TIPO",
            "Rilevazione",
            "tipo",
            "scelta",
            20,
            _scelte(Rilevazione.Tipo.choices),
            required=True,
        ),
        Col("VALORE", "Valore raggiunto", "valore", "numero4", 14),
        Col("VALORE_TESTO", "Valore raggiunto (come stampato)", "valore_testo", width=20),
        Col("DATA", "Data", "data", "data", 12),
        Col(
            "PERCENTUALE",
            "% raggiungimento dichiarata",
            "percentuale_raggiungimento",
            "numero2",
            14,
        ),
        Col("NOTE", "Note", "note", width=30),
    ),
    "Risorse finanziarie": (
        *CHIAVE,
        Col(
            "TIPO", "Entrata/spesa", "tipo", "scelta", 12, _scelte(RisorsaFinanziaria.Tipo.choices)
        ),
        Col(
            "NATURA",
            "Prevista/effettiva",
            "natura",
            "scelta",
            12,
            _scelte(RisorsaFinanziaria.Natura.choices),
        ),
        Col("CAPITOLO", "Capitolo", "capitolo", width=11),
        Col("ARTICOLO", "Articolo", "articolo", width=10),
        Col("DESCRIZIONE", "Descrizione", "descrizione", width=40),
        Col("IMPORTO", "Importo", "importo", "importo", 15),
        Col("QUOTA_PARTE", "Quota parte", "quota_parte", "bool", 12, SI_NO),
        Col("TESTO", "Come stampato", "testo", width=30),
    ),
    "Risorse umane": (
        *CHIAVE,
        Col("MATRICOLA", "Matricola", width=11, esporta=_persona("matricola")),
        Col("NOME", "Cognome e nome", width=30, esporta=_persona("nome")),
        Col(
            "CATEGORIA",
            "Categoria",
            width=16,
            importa=False,
            esporta=_persona("categoria"),
        ),
        Col("IMPIEGO", "Impiego (%)", "percentuale_impiego", "numero2", 12),
    ),
    "Risorse strumentali": (
        *CHIAVE,
        Col(
            "TIPO",
            "Tipo",
            "tipo",
            "scelta",
            22,
            _scelte(RisorsaStrumentale.Tipo.choices),
            required=True,
        ),
        Col("DESCRIZIONE", "Descrizione", "descrizione", width=60, required=True),
    ),
}
# Sheets added after the first files: a file without one leaves its rows as they are.
FOGLI_FACOLTATIVI = {"Risorse umane"}
# The sheets' former names, still read: {name in the file: name now}.
ALIAS_FOGLI = {"Risorse": "Risorse finanziarie"}


def colonna(foglio: str, chiave: str) -> Col:
    return next(c for c in FOGLI[foglio] if c.chiave == chiave)


def intestazione(foglio: str, chiave: str) -> str:
    """The Italian header of a column, as the errors name it."""
    return colonna(foglio, chiave).header


def obiettivi_da_esportare(queryset, piano, anno=None, settore=None):
    """The schede to export, in the file's order (loaded by ``reporting.excel_righe``)."""
    obiettivi = queryset.filter(piano=piano)
    if anno:
        obiettivi = obiettivi.filter(anno=anno)
    if settore is not None:
        obiettivi = obiettivi.filter(settore=settore)
    return obiettivi.order_by(*ORDINE)


def valore(istanza, col: Col):
    """The cell of ``istanza`` in column ``col`` (not a key column)."""
    if col.esporta is not None:
        return col.esporta(istanza)
    dato = getattr(istanza, col.field)
    if col.kind == "bool":
        return "sì" if dato else "no"
    if col.kind == "scelta":
        return dict(col.choices).get(dato, dato) or None
    if dato == "":
        return None
    return dato


def istanze(obiettivo: Obiettivo) -> dict[str, list[tuple]]:
    """{sheet: [(instance, its key cells)]} of one scheda, in the sheets' order."""
    chiave = {"CODICE": obiettivo.codice, "ANNO": obiettivo.anno}
    settore = obiettivo.settore
    indicatori = sorted(obiettivo.indicatori.all(), key=lambda i: i.numero)
    tipi = list(Rilevazione.Tipo.values)
    return {
        "Obiettivi": [
            (
                obiettivo,
                chiave | {"SETTORE_CODICE": settore.codice or None, "SETTORE": settore.nome},
            )
        ],
        "Indicatori": [(i, chiave | {"NUMERO": i.numero}) for i in indicatori],
        "Fasi": [
            (f, chiave | {"NUMERO": f.numero}) for f in sorted(obiettivo.fasi.all(), key=_num)
        ],
        "Rilevazioni": [
            (r, chiave | {"INDICATORE": i.numero})
            for i in indicatori
            for r in sorted(i.rilevazioni.all(), key=lambda r: (tipi.index(r.tipo), r.pk))
        ],
        "Risorse finanziarie": [
            (r, chiave) for r in sorted(obiettivo.risorse_finanziarie.all(), key=ordine_risorsa)
        ],
        "Risorse umane": [
            (r, chiave) for r in sorted(obiettivo.risorse_umane.all(), key=ordine_umana)
        ],
        "Risorse strumentali": [
            (r, chiave) for r in sorted(obiettivo.risorse_strumentali.all(), key=ordine_strumentale)
        ],
    }


def _num(riga):
    return riga.numero


def ordine_risorsa(r):
    """The order of the Risorse finanziarie sheet (the import matches saved rows by it)."""
    return (r.tipo, r.natura, r.ordine, r.pk)


def ordine_umana(r):
    return (r.ordine, r.pk)


def ordine_strumentale(r):
    return (r.tipo, r.pk)


def _lista(col: Col) -> str:
    """The dropdown's formula: the labels, a quote written twice."""
    return '"' + ",".join(e.replace('"', '""') for e in col.etichette) + '"'


def intestazioni(ws, testi) -> list[Cell]:
    """The header row: bold, wrapped at the top."""
    celle = []
    for testo in testi:
        cella = Cell(ws, row=1, column=1, value=testo)
        cella.font = GRASSETTO
        cella.alignment = A_CAPO
        celle.append(cella)
    return celle


def stile(ws, formato: str | None = None, font=None, alignment=None):
    """The style of a column's cells (None: none), shared by all of them."""
    if not (formato or font or alignment):
        return None
    cella = Cell(ws, row=1, column=1)
    if formato:
        cella.number_format = formato
    if font:
        cella.font = font
    if alignment:
        cella.alignment = alignment
    return cella._style


def celle(ws, stili: list, valori: list) -> list:
    """A row: plain values where the column has no style, styled cells where it has.
    A text beginning with "=" is text, not a formula: no injection, and it reads back."""
    riga = []
    for valore, stile_colonna in zip(valori, stili, strict=True):
        testuale = isinstance(valore, str) and valore.startswith("=")
        if stile_colonna is None and not testuale:
            riga.append(valore)
            continue
        cella = Cell(ws, row=1, column=1, value=valore, style_array=stile_colonna)
        if testuale:
            cella.data_type = "s"
        riga.append(cella)
    return riga


def dimensioni(ws, colonne: int, righe: int) -> None:
    """The sheet's size, declared at its top as openpyxl's normal workbook does (a
    write-only sheet omits it): readers in read-only mode, such as the import, size the
    sheet by it. Set before the first row; ``righe`` without the header."""
    ultima = f"{get_column_letter(colonne)}{righe + 1}"
    ws.calculate_dimension = lambda: f"A1:{ultima}"


def chiudi(ws, colonne: int, righe: int) -> None:
    """What follows the rows: the filter over them."""
    ws.auto_filter.ref = f"A1:{get_column_letter(colonne)}{max(righe + 1, 2)}"


def foglio(wb: Workbook, nome: str, colonne: tuple[Col, ...], dati: list[list]) -> None:
    """One sheet of a write-only workbook: widths, frozen header and dropdowns first,
    then the rows streamed."""
    ws = wb.create_sheet(nome)
    for indice, col in enumerate(colonne, start=1):
        lettera = get_column_letter(indice)
        ws.column_dimensions[lettera].width = col.width
        if col.choices and col.importa:
            dv = DataValidation(
                type="list",
                formula1=_lista(col),
                allow_blank=not col.required,
                showErrorMessage=True,
                errorTitle="Valore non ammesso",
                error=f"Valori ammessi: {', '.join(col.etichette)}.",
            )
            dv.add(f"{lettera}2:{lettera}1048576")
            ws.data_validations.append(dv)
    ws.freeze_panes = "A2"
    dimensioni(ws, len(colonne), len(dati))
    ws.append(intestazioni(ws, [c.header for c in colonne]))
    stili = [
        stile(ws, FORMATO.get(c.kind), alignment=A_CAPO if c.kind == "elenco" else None)
        for c in colonne
    ]
    for riga in dati:
        ws.append(celle(ws, stili, riga))
    chiudi(ws, len(colonne), len(dati))


def cartella(obiettivi=()) -> bytes:
    """The workbook of the schede of a queryset (none: the empty template), as .xlsx
    bytes."""
    uscita = io.BytesIO()
    scrivi(obiettivi, uscita)
    return uscita.getvalue()


def scrivi(obiettivi, destinazione) -> None:
    """Write the workbook into ``destinazione`` (a path or a binary file), sheet by
    sheet in a write-only workbook: memory bounded by one sheet's rows."""
    if not isinstance(obiettivi, QuerySet):
        obiettivi = Obiettivo.objects.filter(pk__in=[o.pk for o in obiettivi]).order_by(*ORDINE)
    schede, dati, organigramma = excel_righe.carica(obiettivi)
    wb = Workbook(write_only=True)
    for nome, colonne in FOGLI.items():
        foglio(wb, nome, colonne, dati.pop(nome))
    excel_risultati.foglio(wb, obiettivi if schede else None, organigramma)
    wb.properties.creator = "PEG"
    wb.properties.lastModifiedBy = "PEG"
    wb.properties.created = DATA_FISSA
    wb.properties.modified = DATA_FISSA
    with _ZipDeterministico(destinazione, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archivio:
        ExcelWriter(wb, archivio).save()


class _ZipDeterministico(zipfile.ZipFile):
    """The archive openpyxl writes into, every entry with a fixed time stamp: same
    content, same bytes."""

    def writestr(self, nome, dati, *args, **kwargs):
        if not isinstance(nome, zipfile.ZipInfo):
            nome = _voce(nome)
        if nome.filename == "docProps/core.xml":
            # openpyxl stamps "modified" with the time of the save.
            if isinstance(dati, str):
                dati = dati.encode()
            dati = MODIFICATO.sub(rb"\g<1>2000-01-01T00:00:00Z\g<2>", dati)
        super().writestr(nome, dati, *args, **kwargs)

    def write(self, filename, arcname=None, *args, **kwargs):
        """A sheet written by the write-only workbook: copied in blocks."""
        with open(filename, "rb") as origine, self.open(_voce(arcname), "w") as voce:
            shutil.copyfileobj(origine, voce, 1 << 20)


def _voce(nome: str) -> zipfile.ZipInfo:
    voce = zipfile.ZipInfo(nome, date_time=ZIP_DATA)
    voce.compress_type = zipfile.ZIP_DEFLATED
    voce.external_attr = 0o600 << 16
    return voce


def nome_file(piano, anno=None, settore=None) -> str:
    parti = [piano.comune.slug, piano.tipo.lower(), str(anno or piano.anni_label)]
    if settore is not None:
        parti.append(f"settore-{settore.codice or settore.pk}")
    return "-".join(parti).replace(" ", "") + ".xlsx"
