"""Excel import at file speed: the same rows, history and Italian errors as the import
validated and saved row by row did (a snapshot taken before it was made fast), and a
number of queries that does not grow with the file.

The snapshot (``excel_import_istantanea.json``) was written by the import as it was;
``AGGIORNA_ISTANTANEA=1`` rewrites it (only for a deliberate change of output).
"""

import io
import json
import os
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from indicators.models import Indicatore, Rilevazione
from objectives.models import (
    Fase,
    Obiettivo,
    RisorsaFinanziaria,
    RisorsaStrumentale,
    RisorsaUmana,
    Variazione,
)
from peg.models import Piano
from reporting import excel
from reporting.excel_import import importa

from .utenti import utente

pytestmark = pytest.mark.django_db
ISTANTANEA = Path(__file__).with_name("excel_import_istantanea.json")
FIGLI = {
    Indicatore: "obiettivo__piano",
    Fase: "obiettivo__piano",
    RisorsaFinanziaria: "obiettivo__piano",
    RisorsaUmana: "obiettivo__piano",
    RisorsaStrumentale: "obiettivo__piano",
    Rilevazione: "indicatore__obiettivo__piano",
}


# -- the rows of a piano, without ids or timestamps ------------------------------------


def _naturale(modello, pk):
    """A linked row by what it is, not by its id (ids differ between databases)."""
    if pk is None:
        return None
    oggetto = modello._base_manager.get(pk=pk)
    if modello is Obiettivo:
        return f"{oggetto.codice} ({oggetto.anno})"
    if modello is Indicatore:
        return f"{oggetto.obiettivo.codice} ({oggetto.obiettivo.anno}) n. {oggetto.numero}"
    if modello is Piano:
        return "piano"
    if modello is get_user_model():
        return oggetto.username
    for campo in ("codice", "matricola", "numero", "nome"):
        if getattr(oggetto, campo, ""):
            return f"{modello.__name__} {getattr(oggetto, campo)}"
    return str(oggetto)


def _riga(oggetto) -> dict:
    riga = {}
    for campo in oggetto._meta.concrete_fields:
        if campo.primary_key or getattr(campo, "auto_now", False):
            continue
        if getattr(campo, "auto_now_add", False):
            continue
        valore = getattr(oggetto, campo.attname)
        if campo.is_relation:
            valore = _naturale(campo.related_model, valore)
        riga[campo.name] = json.dumps(valore, default=str, sort_keys=True)
    return riga


def _storia(modello, ids) -> list:
    """History rows of these objects: how many of each kind, by whom and why."""
    conta = Counter(
        (h.history_type, getattr(h.history_user, "username", None), h.history_change_reason)
        for h in modello.history.filter(id__in=ids).select_related("history_user")
    )
    return sorted([*chiave, n] for chiave, n in conta.items())


def _piano(piano) -> dict:
    obiettivi = list(Obiettivo.objects.filter(piano=piano))
    foto = {
        "Obiettivo": sorted((_riga(o) for o in obiettivi), key=repr),
        "collegamenti": sorted(
            [
                f"{o.codice} ({o.anno})",
                sorted(n.codice for n in o.nodi_dup.all()),
                sorted(a.numero for a in o.ambiti.all()),
            ]
            for o in obiettivi
        ),
        "storico Obiettivo": _storia(Obiettivo, [o.pk for o in obiettivi]),
        "Variazione": Variazione.objects.filter(obiettivo__piano=piano).count(),
    }
    for modello, percorso in FIGLI.items():
        righe = list(modello.objects.filter(**{percorso: piano}))
        foto[modello.__name__] = sorted((_riga(r) for r in righe), key=repr)
        foto[f"storico {modello.__name__}"] = _storia(modello, [r.pk for r in righe])
    return foto


# -- the files -----------------------------------------------------------------------


def _genera(slug: str, settori: int, obiettivi: int) -> Piano:
    call_command(
        "genera_dati",
        *("--comune", slug, "--settori", str(settori), "--obiettivi", str(obiettivi)),
        *("--indicatori", "3", "--fasi", "2", "--sostituisci"),
        stdout=io.StringIO(),
    )
    return Piano.objects.get(comune__slug=slug)


def _esporta(piano) -> bytes:
    return excel.cartella(excel.obiettivi_da_esportare(Obiettivo.objects.all(), piano))


def _svuotato(piano) -> Piano:
    """The piano without its schede and open to new ones: each of the file is new."""
    Obiettivo.objects.filter(piano=piano).delete()
    Piano.objects.filter(pk=piano.pk).update(stato=Piano.Stato.BOZZA)
    piano.refresh_from_db()
    return piano


def _sorgente_e_destinazione(settori: int, obiettivi: int) -> tuple[bytes, Piano]:
    """The export of a genera_dati plan and another comune with the same settori and
    no schede."""
    dati = _esporta(_genera(f"xls-{settori}x{obiettivi}", settori, obiettivi))
    return dati, _svuotato(_genera(f"xls-{settori}x{obiettivi}-nuovo", settori, obiettivi))


def _salva(wb) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _scrivi(ws, riga: int, header: str, valore) -> None:
    ws.cell(riga, [c.value for c in ws[1]].index(header) + 1).value = valore


def _copia_riga(ws, riga: int) -> None:
    ws.append([c.value for c in ws[riga]])


def _con_errori(dati: bytes) -> bytes:
    """The file with a mistake of each kind the import finds once every cell is read
    (a cell that cannot be read stops the import before: ``lettura``)."""
    wb = load_workbook(io.BytesIO(dati))
    ob, ind, fasi, ril = wb["Obiettivi"], wb["Indicatori"], wb["Fasi"], wb["Rilevazioni"]
    _copia_riga(ob, 2)  # the same scheda twice in the file
    _copia_riga(ind, 3)  # the same indicatore twice
    _copia_riga(fasi, 2)  # the same fase twice
    _copia_riga(ril, 2)  # the same rilevazione twice
    # Rows 2-4 of Obiettivi: settore 1, obiettivi 1-3 (3 indicatori, 2 fasi, 3
    # rilevazioni each); 5-7: settore 2. Rows of a scheda whose own row fails (its
    # settore) are not checked: the mistakes in rows are on schede 1 and 3.
    _scrivi(ob, 3, "Settore", "Settore che non c'è")  # unknown reference
    _scrivi(ob, 4, "Missione D.Lgs 118/2011", "77")
    _scrivi(ob, 5, "Collegato a (DUP)", "9.9.9")
    _scrivi(ob, 6, "Ambiti della performance organizzativa", "42")
    _scrivi(ob, 7, "Peso nel settore", 150)  # out of range
    _scrivi(ob, 5, "Dall'anno", 2030)  # anno outside its period: the model's constraint
    _scrivi(ind, 8, "Peso", -3)
    _scrivi(ind, 9, "Livello intermedio alla data", date(2019, 12, 31))  # after the final
    _scrivi(ind, 9, "Livello finale alla data", date(2019, 6, 30))
    _scrivi(fasi, 6, "Inizio previsto", date(2019, 12, 1))  # ends before it starts
    _scrivi(fasi, 6, "Fine prevista", date(2019, 2, 1))
    _scrivi(fasi, 7, "Avanzamento (%)", 120)
    _scrivi(fasi, 2, "Fine effettiva", date(2018, 2, 1))  # before the effective start
    _scrivi(ril, 3, "Indicatore n°", 9)  # an indicatore the scheda does not have
    _scrivi(ril, 4, "Rilevazione", "intermedia")  # fine: a kind not yet there
    _scrivi(ril, 8, "% raggiungimento dichiarata", -5)
    ind.append(["CODICE CHE NON C'È", 2019, 1, 100, "Orfano"])  # scheda not in the file
    return _salva(wb)


# -- the snapshot ---------------------------------------------------------------------


def _arricchito(dati: bytes) -> bytes:
    """The rows genera_dati does not make: ambiti, risorse finanziarie and strumentali."""
    wb = load_workbook(io.BytesIO(dati))
    _scrivi(wb["Obiettivi"], 2, "Ambiti della performance organizzativa", "1\n3")
    codice, anno = wb["Obiettivi"]["A2"].value, wb["Obiettivi"]["B2"].value
    wb["Risorse finanziarie"].append([codice, anno, "spesa", "prevista", "1234", "1", "Cap.", 1000])
    wb["Risorse strumentali"].append([codice, anno, "Altro", "Un'auto di servizio"])
    return _salva(wb)


def _osservato(demo) -> dict:
    seregno = demo("seregno").piani.get()
    segreteria = utente(seregno.comune, "segreteria", username="segreteria-import")
    dati = _esporta(seregno)
    esito_demo = importa(_svuotato(seregno), dati, utente=segreteria)
    dati, piano = _sorgente_e_destinazione(2, 3)
    esito_genera = importa(piano, _arricchito(dati))
    errori = importa(piano, _con_errori(dati), solo_verifica=True)
    return {
        "seregno": {"creati": esito_demo.creati, "errori": [str(e) for e in esito_demo.errori]}
        | _piano(seregno),
        "genera_dati": {
            "creati": esito_genera.creati,
            "errori": [str(e) for e in esito_genera.errori],
        }
        | _piano(piano),
        "errori": [str(e) for e in errori.errori],
    }


def test_importazione_e_errori_come_prima(demo):
    osservato = json.loads(json.dumps(_osservato(demo), default=str))
    if os.environ.get("AGGIORNA_ISTANTANEA"):
        ISTANTANEA.write_text(json.dumps(osservato, indent=1, ensure_ascii=False) + "\n")
    atteso = json.loads(ISTANTANEA.read_text())
    assert osservato["errori"] == atteso["errori"]
    for chiave in ("seregno", "genera_dati"):
        assert osservato[chiave].keys() == atteso[chiave].keys()
        for nome, righe in atteso[chiave].items():
            assert osservato[chiave][nome] == righe, (chiave, nome)


def test_istantanea_significativa():
    """The snapshot holds what it is meant to pin: new schede with every kind of row,
    history rows with author and reason, and every mistake of the file found."""
    atteso = json.loads(ISTANTANEA.read_text())
    demo, genera = atteso["seregno"], atteso["genera_dati"]
    assert not demo["errori"] and len(demo["creati"]) == len(demo["Obiettivo"]) > 5
    assert not genera["errori"] and len(genera["creati"]) == 6
    for nome in ("Indicatore", "Fase", "RisorsaFinanziaria", "RisorsaUmana", "Rilevazione"):
        assert demo[nome] and demo[f"storico {nome}"], nome
        assert {(t, u) for t, u, _, _ in demo[f"storico {nome}"]} == {("+", "segreteria-import")}
    # One history row per new scheda: created, not also updated by the same import.
    assert demo["storico Obiettivo"] == [
        ["+", "segreteria-import", "Importazione da Excel", len(demo["creati"])]
    ]
    assert genera["RisorsaStrumentale"] and genera["storico RisorsaStrumentale"]
    assert any(collegati != [[], []] for _, *collegati in demo["collegamenti"])
    assert any(ambiti for _, _, ambiti in genera["collegamenti"])
    assert len(atteso["errori"]) >= 18
    testi = "\n".join(atteso["errori"])
    for frammento in (
        "è già alla riga",
        "il numero 2 è ripetuto",
        "sconosciuto",
        "non è una missione",
        "non è un nodo del DUP",
        "non è un ambito",
        "non può superare 100,00%",
        "l'anno della scheda deve cadere tra",  # the models' check constraints
        "Date previste: la data di fine non può precedere",
        "Date effettive: la data di fine non può precedere",
        "Indicatore: la data di fine non può precedere",
        "La % di raggiungimento non può essere negativa",
        "la data di fine non può precedere",
        "non è nel foglio Obiettivi",
        "non è nel foglio Indicatori",
    ):
        assert frammento in testi, frammento


# -- queries that do not grow with the file ----------------------------------------------


def _query(dati, piano, solo_verifica: bool) -> int:
    with CaptureQueriesContext(connection) as query:
        esito = importa(piano, dati, solo_verifica=solo_verifica)
    assert esito.ok, [str(e) for e in esito.errori[:5]]
    return len(query)


@pytest.mark.parametrize("solo_verifica", [True, False], ids=["solo verifica", "importazione"])
def test_query_non_crescono_con_il_file(solo_verifica):
    piccolo = _query(*_sorgente_e_destinazione(2, 3), solo_verifica)
    doppio = _query(*_sorgente_e_destinazione(4, 3), solo_verifica)
    assert doppio == piccolo


def test_query_non_crescono_con_file_con_errori():
    def query(settori):
        dati, piano = _sorgente_e_destinazione(settori, 3)
        with CaptureQueriesContext(connection) as query:
            esito = importa(piano, _con_errori(dati), solo_verifica=True)
        assert not esito.ok
        return len(query)

    assert query(4) == query(2)


def test_piano_chiuso_non_prende_schede_nuove():
    """A piano rendicontato takes no new schede: the dry run says so, like the save
    (before, the check passed and the save failed with a TransizioneNonAmmessa)."""
    dati, piano = _sorgente_e_destinazione(1, 1)
    Piano.objects.filter(pk=piano.pk).update(stato=Piano.Stato.RENDICONTATO)
    piano.refresh_from_db()
    for solo_verifica in (True, False):
        esito = importa(piano, dati, solo_verifica=solo_verifica)
        assert [str(e) for e in esito.errori] == [
            "Obiettivi, riga 2: la scheda 2019_S01_01 (2019) non è nel piano e il piano «PEG "
            "2019 sintetico» è «Rendicontato»: non si possono creare nuove schede."
        ]
        assert not esito.salvato
    assert not Obiettivo.objects.filter(piano=piano).exists()


# -- the constraints evaluated in memory say what the database says ---------------------


def _casi_dei_vincoli():
    """Every model the import validates, with values on each side of its checks
    (None, equal, below, above), so each constraint is seen passing and failing."""
    d1, d2 = date(2019, 1, 1), date(2019, 6, 30)
    numeri = [None, Decimal("-0.01"), Decimal("0"), Decimal("100"), Decimal("100.01")]
    date_ = [(None, d1), (d1, None), (d1, d2), (d2, d1), (d1, d1)]
    for modello in (Obiettivo, Indicatore, Fase, RisorsaFinanziaria, RisorsaUmana, Rilevazione):
        for n in numeri:
            for inizio, fine in date_:
                istanza = modello()
                for campo in modello._meta.concrete_fields:
                    if campo.get_internal_type() == "DecimalField":
                        setattr(istanza, campo.attname, n)
                if modello in (Obiettivo, Fase):
                    istanza.data_inizio_prevista, istanza.data_fine_prevista = inizio, fine
                    istanza.data_inizio_effettiva, istanza.data_fine_effettiva = fine, inizio
                if modello is Indicatore:
                    istanza.data_intermedia, istanza.data_attesa = inizio, fine
                if modello is Obiettivo:
                    istanza.anno, istanza.anno_inizio, istanza.anno_fine = 2020, 2019, 2020
                    if n is None:
                        istanza.anno_fine = 2019
                yield istanza


def test_vincoli_in_memoria_come_il_database():
    from django.core.exceptions import ValidationError
    from django.db.models import CheckConstraint

    from reporting.excel_import.vincoli import valuta

    visti = Counter()
    for istanza in _casi_dei_vincoli():
        for modello, vincoli in istanza.get_constraints():
            for vincolo in vincoli:
                if not isinstance(vincolo, CheckConstraint):
                    continue
                try:
                    vincolo.validate(modello, istanza)
                    database = True
                except ValidationError:
                    database = False
                memoria = valuta(vincolo.condition, istanza) is not False
                assert memoria == database, (vincolo.name, istanza.__dict__)
                visti[vincolo.name, database] += 1
    nomi = {nome for nome, _ in visti}
    assert len(nomi) >= 12
    assert all(visti[nome, True] and visti[nome, False] for nome in nomi), visti
