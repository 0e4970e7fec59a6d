"""The Excel export writes the same workbook as before its rewrite for speed: every sheet,
cell value, number format, font and alignment, data validation, column width, freeze
pane and filter, for each demo comune's piani, the empty template and a small
deterministic ``genera_dati`` plan.

The snapshots in ``tests/documenti/excel/`` were taken with the export as it was
(openpyxl's normal workbook, schede loaded with prefetch_related). After an intended
change of the workbook, write them again with
``PEG_AGGIORNA_EXCEL=1 pytest tests/test_excel_identico.py`` and review the diff.
"""

import io
import json
import os
from datetime import date, datetime, time
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from objectives.models import Obiettivo
from peg.models import Piano
from reporting import excel

pytestmark = pytest.mark.django_db

CARTELLA = Path(__file__).parent / "documenti" / "excel"
AGGIORNA = os.environ.get("PEG_AGGIORNA_EXCEL") == "1"
DEMO = ("chiavari", "cinisello-balsamo", "seregno", "soresina")


def _valore(cella):
    valore = cella.value
    if isinstance(valore, datetime | date | time):
        return {"data": valore.isoformat()}
    if cella.data_type == "f":
        return {"formula": valore}
    return valore


def _stile(cella) -> str:
    font, allineamento = cella.font, cella.alignment
    return "|".join(
        [
            cella.number_format,
            "grassetto" if font.bold else "",
            allineamento.vertical or "",
            "a capo" if allineamento.wrap_text else "",
        ]
    )


def _a_tratti(stili: list[str]) -> list:
    """[[style, how many rows in a row], …]: a column's styles, compact."""
    tratti: list = []
    for stile in stili:
        if tratti and tratti[-1][0] == stile:
            tratti[-1][1] += 1
        else:
            tratti.append([stile, 1])
    return tratti


def fotografia(dati: bytes) -> dict:
    """What a person (and the import) sees of the workbook, as plain JSON."""
    wb = load_workbook(io.BytesIO(dati))
    fogli = {}
    for ws in wb:
        righe = [list(r) for r in ws.iter_rows()]
        colonne = list(zip(*righe, strict=True)) if righe else []
        fogli[ws.title] = {
            "celle": [[_valore(c) for c in riga] for riga in righe],
            "stili": {
                colonna[0].column_letter: _a_tratti([_stile(c) for c in colonna])
                for colonna in colonne
            },
            "larghezze": {
                lettera: dimensione.width
                for lettera, dimensione in sorted(ws.column_dimensions.items())
                if dimensione.customWidth
            },
            "blocca": ws.freeze_panes,
            "filtro": ws.auto_filter.ref,
            "convalide": [
                {
                    "celle": str(dv.sqref),
                    "tipo": dv.type,
                    "formula": dv.formula1,
                    "vuoto": bool(dv.allow_blank),
                    "errore": [bool(dv.showErrorMessage), dv.errorTitle, dv.error],
                }
                for dv in ws.data_validations.dataValidation
            ],
        }
    return {
        "fogli": list(wb.sheetnames),
        "nomi": {nome: d.attr_text for nome, d in sorted(wb.defined_names.items())},
        "autore": [wb.properties.creator, wb.properties.lastModifiedBy],
        "date": [str(wb.properties.created), str(wb.properties.modified)],
        "contenuto": fogli,
    }


def _esporta(piano) -> bytes:
    return excel.cartella(excel.obiettivi_da_esportare(Obiettivo.objects.all(), piano))


def _confronta(nome: str, attuale: dict) -> None:
    file = CARTELLA / f"{nome}.json"
    testo = json.dumps(attuale, ensure_ascii=False, indent=0, sort_keys=True) + "\n"
    if AGGIORNA:
        CARTELLA.mkdir(parents=True, exist_ok=True)
        file.write_text(testo, encoding="utf-8")
    atteso = json.loads(file.read_text(encoding="utf-8"))
    assert json.loads(testo) == atteso, f"{nome}: il file Excel non è più quello di prima"


@pytest.mark.parametrize("slug", DEMO)
def test_piani_demo_come_prima(demo, slug):
    comune = demo(slug)
    piani = Piano.objects.filter(comune=comune).order_by("anno_inizio", "tipo", "pk")
    assert piani
    _confronta(slug, {f"{p.tipo} {p.anni_label}": fotografia(_esporta(p)) for p in piani})


def test_modello_vuoto_come_prima():
    _confronta("modello", fotografia(excel.cartella()))


def test_piano_generato_come_prima():
    call_command(
        "genera_dati",
        *("--comune", "generato", "--settori", "2", "--obiettivi", "3"),
        *("--indicatori", "3", "--fasi", "2", "--seme", "14"),
        stdout=io.StringIO(),
    )
    piano = Piano.objects.get(comune__slug="generato")
    _confronta("generato", fotografia(_esporta(piano)))


def test_ogni_foglio_dichiara_le_sue_dimensioni():
    """A reader in read-only mode (Excel, the import) learns each sheet's size from the
    file itself: the same as reading every cell."""
    call_command(
        "genera_dati",
        *("--comune", "dimensioni", "--settori", "2", "--obiettivi", "2"),
        *("--indicatori", "2", "--fasi", "2"),
        stdout=io.StringIO(),
    )
    dati = _esporta(Piano.objects.get(comune__slug="dimensioni"))
    completo = load_workbook(io.BytesIO(dati))
    leggero = load_workbook(io.BytesIO(dati), read_only=True)
    for ws in completo:
        dimensioni = (ws.max_row, ws.max_column)
        assert (leggero[ws.title].max_row, leggero[ws.title].max_column) == dimensioni, ws.title
    for ws in load_workbook(io.BytesIO(excel.cartella()), read_only=True):
        assert ws.max_row == 1 and ws.max_column > 1, ws.title
