"""Excel workbook of a piano (one year, or one settore): the same sheets serve as the
export, the empty template and the import format (``reporting.excel_import``).

One row per record, keyed by obiettivo codice + anno and indicatore/fase numero, so the
file can be read back. The output is deterministic: fixed document dates and fixed
zip entry times, so the same content gives the same bytes.
"""

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from indicators.models import Indicatore, Rilevazione
from objectives.models import Obiettivo, RisorsaFinanziaria, RisorsaStrumentale

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


@dataclass(frozen=True)
class Col:
    header: str
    field: str  # model attribute; "" for the key columns filled by hand
    kind: str = "testo"  # testo, intero, numero2, numero4, importo, data, scelta, bool
    width: int = 14
    choices: tuple = ()
    required: bool = False
    importa: bool = True

    @property
    def decimali(self) -> int | None:
        return {"numero2": 2, "importo": 2, "numero4": 4}.get(self.kind)


def _codici(choices) -> tuple:
    return tuple(value for value, _ in choices)


CHIAVE = (
    Col("CODICE", "", width=16, required=True),
    Col("ANNO", "", "intero", 8, required=True),
)

FOGLI: dict[str, tuple[Col, ...]] = {
    "Obiettivi": (
        Col("SETTORE_CODICE", "", width=12),
        Col("SETTORE", "", width=40),
        *CHIAVE,
        Col("ANNO_INIZIO", "anno_inizio", "intero", 10),
        Col("ANNO_FINE", "anno_fine", "intero", 10),
        Col("DURATA", "durata", "scelta", 13, _codici(Obiettivo.Durata.choices)),
        Col("TIPO", "tipo", "scelta", 14, _codici(Obiettivo.Tipo.choices)),
        Col("DENOMINAZIONE", "denominazione", width=50, required=True),
        Col("DESCRIZIONE", "descrizione", width=50),
        Col("RISULTATO_ATTESO", "risultato_atteso", width=40),
        Col("AREA_TEMATICA", "area_tematica", width=20),
        Col("ASSESSORATO", "assessorato", width=20),
        Col("UNITA_RESPONSABILE", "unita_organizzativa_responsabile", width=24),
        Col("RESPONSABILI", "responsabili_testo", width=24),
        Col("CENTRO_DI_COSTO", "centro_di_costo", width=18),
        Col("STRATEGICITA", "strategicita", "numero2", 12),
        Col("COMPLESSITA", "complessita", "numero2", 12),
        Col("TIPOLOGIA", "tipologia", "numero2", 10),
        Col("PESO", "peso", "numero2", 9),
        Col("INIZIO_PREVISTO", "data_inizio_prevista", "data", 14),
        Col("FINE_PREVISTA", "data_fine_prevista", "data", 14),
        Col("CONDIZIONE", "condizione", width=18),
        Col("NOTE", "note", width=30),
        # Exported for reading; the state is never imported (the workflow moves it).
        Col("STATO", "stato", "scelta", 15, _codici(Obiettivo.Stato.choices), importa=False),
    ),
    "Indicatori": (
        *CHIAVE,
        Col("NUMERO", "numero", "intero", 9, required=True),
        Col("PESO", "peso", "numero2", 9),
        Col("DENOMINAZIONE", "denominazione", width=50, required=True),
        Col("FORMULA", "formula", width=30),
        Col("TIPO", "tipo", "scelta", 13, _codici(Indicatore.Tipo.choices)),
        Col("UNITA_MISURA", "unita_misura", width=14),
        Col("POLARITA", "polarita", "scelta", 13, _codici(Indicatore.Polarita.choices)),
        Col("VALORE_INTERMEDIO", "valore_intermedio", "numero4", 14),
        Col("VALORE_INTERMEDIO_TESTO", "valore_intermedio_testo", width=20),
        Col("DATA_INTERMEDIA", "data_intermedia", "data", 14),
        Col("VALORE_ATTESO", "valore_atteso", "numero4", 14),
        Col("VALORE_ATTESO_TESTO", "valore_atteso_testo", width=20),
        Col("DATA_ATTESA", "data_attesa", "data", 14),
        Col("SCADENZA_TESTO", "scadenza_testo", width=20),
        Col("GRADUAZIONE", "graduazione", width=40),
        Col("NOTE", "note", width=30),
    ),
    "Fasi": (
        *CHIAVE,
        Col("NUMERO", "numero", "intero", 9, required=True),
        Col("PESO", "peso", "numero2", 9),
        Col("DESCRIZIONE", "descrizione", width=50, required=True),
        Col("INIZIO_PREVISTO", "data_inizio_prevista", "data", 14),
        Col("FINE_PREVISTA", "data_fine_prevista", "data", 14),
        Col("TEMPI_TESTO", "tempi_testo", width=20),
        Col("INDICATORE", "indicatore", width=30),
        Col("LIVELLO_ATTESO", "livello_atteso", width=16),
        Col("GRADUAZIONE", "graduazione", width=30),
        Col("RESPONSABILE", "responsabile", width=20),
    ),
    "Risorse": (
        *CHIAVE,
        Col("TIPO", "tipo", "scelta", 10, _codici(RisorsaFinanziaria.Tipo.choices)),
        Col("NATURA", "natura", "scelta", 11, _codici(RisorsaFinanziaria.Natura.choices)),
        Col("CAPITOLO", "capitolo", width=11),
        Col("ARTICOLO", "articolo", width=10),
        Col("DESCRIZIONE", "descrizione", width=40),
        Col("IMPORTO", "importo", "importo", 15),
        Col("QUOTA_PARTE", "quota_parte", "bool", 12, ("sì", "no")),
        Col("TESTO", "testo", width=30),
    ),
    "Risorse strumentali": (
        *CHIAVE,
        Col("TIPO", "tipo", "scelta", 13, _codici(RisorsaStrumentale.Tipo.choices), required=True),
        Col("DESCRIZIONE", "descrizione", width=60, required=True),
    ),
    "Rilevazioni": (
        *CHIAVE,
        Col("INDICATORE", "", "intero", 11, required=True),
        Col("TIPO", "tipo", "scelta", 12, _codici(Rilevazione.Tipo.choices), required=True),
        Col("VALORE", "valore", "numero4", 14),
        Col("VALORE_TESTO", "valore_testo", width=20),
        Col("DATA", "data", "data", 12),
        Col("PERCENTUALE", "percentuale_raggiungimento", "numero2", 13),
        Col("NOTE", "note", width=30),
    ),
}


def obiettivi_da_esportare(queryset, piano, anno=None, settore=None):
    obiettivi = queryset.filter(piano=piano)
    if anno:
        obiettivi = obiettivi.filter(anno=anno)
    if settore is not None:
        obiettivi = obiettivi.filter(settore=settore)
    return (
        obiettivi.select_related("settore")
        .prefetch_related(
            "indicatori__rilevazioni", "fasi", "risorse_finanziarie", "risorse_strumentali"
        )
        .order_by("settore__codice", "settore__nome", "anno", "codice_ordinabile", "id")
    )


def _valore(istanza, col: Col):
    valore = getattr(istanza, col.field)
    if col.kind == "bool":
        return "sì" if valore else "no"
    if valore == "":
        return None
    return valore


def _riga(istanza, foglio: str, chiave: tuple) -> list:
    return [*chiave, *(_valore(istanza, c) for c in FOGLI[foglio][len(chiave) :])]


def righe(obiettivo: Obiettivo) -> dict[str, list[list]]:
    """The rows of one scheda in every sheet (also used by the import to tell if a
    scheda in the file is unchanged)."""
    chiave = (obiettivo.codice, obiettivo.anno)
    settore = obiettivo.settore
    out = {
        "Obiettivi": [
            _riga(obiettivo, "Obiettivi", (settore.codice or None, settore.nome, *chiave))
        ]
    }
    indicatori = sorted(obiettivo.indicatori.all(), key=lambda i: i.numero)
    out["Indicatori"] = [_riga(i, "Indicatori", chiave) for i in indicatori]
    out["Fasi"] = [_riga(f, "Fasi", chiave) for f in sorted(obiettivo.fasi.all(), key=_num)]
    out["Risorse"] = [
        _riga(r, "Risorse", chiave)
        for r in sorted(obiettivo.risorse_finanziarie.all(), key=ordine_risorsa)
    ]
    out["Risorse strumentali"] = [
        _riga(r, "Risorse strumentali", chiave)
        for r in sorted(obiettivo.risorse_strumentali.all(), key=ordine_strumentale)
    ]
    tipi = list(Rilevazione.Tipo.values)
    out["Rilevazioni"] = [
        _riga(r, "Rilevazioni", (*chiave, i.numero))
        for i in indicatori
        for r in sorted(i.rilevazioni.all(), key=lambda r: (tipi.index(r.tipo), r.pk))
    ]
    return out


def _num(riga):
    return riga.numero


def ordine_risorsa(r):
    """The order of the Risorse sheet (the import matches saved rows by it)."""
    return (r.tipo, r.natura, r.ordine, r.pk)


def ordine_strumentale(r):
    return (r.tipo, r.pk)


def _foglio(wb: Workbook, nome: str, colonne: tuple[Col, ...], dati: list[list]) -> None:
    ws = wb.create_sheet(nome)
    ws.append([c.header for c in colonne])
    grassetto = Font(bold=True)
    for cella in ws[1]:
        cella.font = grassetto
        cella.alignment = Alignment(vertical="top")
    for riga in dati:
        ws.append(riga)
        # A text beginning with "=" is text, not a formula: no injection, and it reads back.
        for cella in ws[ws.max_row]:
            if cella.data_type == "f":
                cella.data_type = "s"
    ultima = max(ws.max_row, 2)
    for indice, col in enumerate(colonne, start=1):
        lettera = get_column_letter(indice)
        ws.column_dimensions[lettera].width = col.width
        formato = FORMATO.get(col.kind)
        if formato:
            for (cella,) in ws.iter_rows(min_row=2, min_col=indice, max_col=indice):
                cella.number_format = formato
        if col.choices and col.importa:
            elenco = ",".join(col.choices)
            dv = DataValidation(
                type="list",
                formula1=f'"{elenco}"',
                allow_blank=not col.required,
                showErrorMessage=True,
                errorTitle="Valore non ammesso",
                error=f"Valori ammessi: {', '.join(col.choices)}.",
            )
            dv.add(f"{lettera}2:{lettera}1048576")
            ws.add_data_validation(dv)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(colonne))}{ultima}"


def cartella(obiettivi=()) -> bytes:
    """The workbook of these schede (none: the empty template), as .xlsx bytes."""
    dati = {nome: [] for nome in FOGLI}
    for obiettivo in obiettivi:
        for nome, lista in righe(obiettivo).items():
            dati[nome].extend(lista)
    wb = Workbook()
    wb.remove(wb.active)
    for nome, colonne in FOGLI.items():
        _foglio(wb, nome, colonne, dati[nome])
    wb.properties.creator = "PEG"
    wb.properties.lastModifiedBy = "PEG"
    wb.properties.created = DATA_FISSA
    wb.properties.modified = DATA_FISSA
    buffer = io.BytesIO()
    wb.save(buffer)
    return _zip_deterministico(buffer.getvalue())


def _zip_deterministico(dati: bytes) -> bytes:
    """Same entries with a fixed time stamp: same content, same bytes."""
    uscita = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(dati)) as origine,
        zipfile.ZipFile(uscita, "w", zipfile.ZIP_DEFLATED) as destinazione,
    ):
        for info in origine.infolist():
            nuova = zipfile.ZipInfo(info.filename, date_time=ZIP_DATA)
            nuova.compress_type = zipfile.ZIP_DEFLATED
            nuova.external_attr = 0o600 << 16
            contenuto = origine.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl stamps "modified" with the time of the save.
                contenuto = MODIFICATO.sub(rb"\g<1>2000-01-01T00:00:00Z\g<2>", contenuto)
            destinazione.writestr(nuova, contenuto)
    return uscita.getvalue()


def nome_file(piano, anno=None, settore=None) -> str:
    parti = [piano.comune.slug, piano.tipo.lower(), str(anno or piano.anni_label)]
    if settore is not None:
        parti.append(f"settore-{settore.codice or settore.pk}")
    return "-".join(parti).replace(" ", "") + ".xlsx"
