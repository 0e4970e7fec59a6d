"""The Excel file read by people: Italian headers and labels, every field of the scheda
(DUP links, ambiti, risorse umane, effective dates…), the Risultati sheet; still a
lossless round trip, with the first files' technical headers and the choices' codes
accepted back, and the same number of queries whatever the number of schede."""

import io
import re
from datetime import date
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from indicators.caricamento import carica_punteggi
from indicators.models import Indicatore
from objectives.models import Fase, Obiettivo, RisorsaUmana
from peg.importazione import normalizza
from reporting import excel
from reporting.excel_import import importa

from .factories import (
    FaseFactory,
    NodoDUPFactory,
    ObiettivoFactory,
    PersonaFactory,
    PianoFactory,
    RisorsaUmanaFactory,
    SettoreFactory,
)

pytestmark = pytest.mark.django_db
S = Obiettivo.Stato


def _esporta(piano) -> bytes:
    return excel.cartella(excel.obiettivi_da_esportare(Obiettivo.objects.all(), piano))


def _valori(dati: bytes) -> dict:
    wb = load_workbook(io.BytesIO(dati))
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb}


def _salva(wb) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _cartella(dati: bytes):
    return load_workbook(io.BytesIO(dati))


def _colonna(ws, header) -> int:
    return [c.value for c in ws[1]].index(header) + 1


def _riga(ws, **chiavi) -> int:
    """The row whose key cells (by header) hold these values."""
    intestazione = [c.value for c in ws[1]]
    for numero, valori in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        if all(valori[intestazione.index(h)] == v for h, v in chiavi.items()):
            return numero
    raise AssertionError(chiavi)


def _scrivi(ws, riga: int, **celle) -> None:
    for header, valore in celle.items():
        ws.cell(riga, _colonna(ws, header)).value = valore


def _aggiungi(ws, celle: dict) -> None:
    intestazione = [c.value for c in ws[1]]
    ws.append([celle.get(h) for h in intestazione])


@pytest.fixture
def piano():
    """Two schede of one settore with something in every sheet: a draft with DUP links,
    missione and programma, ambiti, risorse umane, effective dates; a validated one
    that the OIV set at 95,00%."""
    piano = PianoFactory(riproporziona_pesi=False)
    comune = piano.comune
    settore = SettoreFactory(comune=comune, nome="Servizi sociali", codice="SS")
    linea = NodoDUPFactory(piano=piano, codice="1", denominazione="Dalla parte delle persone")
    NodoDUPFactory(
        piano=piano,
        padre=linea,
        livello="Azione strategica",
        codice="1.2",
        denominazione="Proteggere, garantire e valorizzare",
        ordine=1,
    )
    PersonaFactory(comune=comune, nome="Ferrario Maria Clara", matricola="51")
    PersonaFactory(comune=comune, nome="Sciotti Antonia", matricola="", categoria="D3")
    bozza = ObiettivoFactory(
        piano=piano,
        settore=settore,
        codice="SS - 1",
        bozza=True,
        peso=D(60),
        con_indicatori=True,
        con_rilevazioni=True,
        con_risorse=True,
        con_programma=True,
        ambiti=[1, 7],
        tipo=Obiettivo.Tipo.GESTIONALE,
        riferimento_origine=Obiettivo.Origine.ISTITUZIONALE,
        modalita_realizzazione="In collaborazione con le scuole",
        servizi_coinvolti="Servizio sociale; Tutela minori",
        unita_coinvolte="Ufficio scuola",
        indirizzi_dup="Garantire pari opportunità",
        data_inizio_effettiva=date(2019, 1, 7),
        stato_attuazione="Avviato il bando.",
        monitoraggio="Proroga tecnica di sei mesi.",
    )
    bozza.nodi_dup.set(NodoDUPFactory._meta.model.objects.filter(codice="1.2"))
    FaseFactory(obiettivo=bozza, numero=1, completata=True, monitoraggio="Chiusa a novembre")
    FaseFactory(obiettivo=bozza, numero=2, in_corso=True, raggiunto="80%")
    Indicatore.objects.filter(obiettivo=bozza, numero=2).update(
        tipo=Indicatore.Tipo.QUALITA, anno=2019
    )
    ferrario = bozza.piano.comune.persone.get(matricola="51")
    RisorsaUmanaFactory(obiettivo=bozza, persona=ferrario, percentuale_impiego=D(30), ordine=1)
    ObiettivoFactory(
        piano=piano,
        settore=settore,
        codice="SS - 2",
        peso=D(40),
        con_rettifica=True,
        con_fasi=True,
    )
    return piano


# -- headers and labels ------------------------------------------------------------------


def test_intestazioni_come_nelle_schede(piano):
    valori = _valori(_esporta(piano))
    assert list(valori) == [*excel.FOGLI, "Risultati"]
    for nome, righe in valori.items():
        intestazione = righe[0]
        assert intestazione[:2] == ["Codice obiettivo", "Anno"] or nome == "Risultati", nome
        assert not [h for h in intestazione if re.fullmatch(r"[A-Z_]+", h)], intestazione
    assert valori["Indicatori"][0][2] == valori["Fasi"][0][2] == "N°"
    indicatori = valori["Indicatori"][0]
    for header in (
        "Peso",
        "Denominazione",
        "Formula di calcolo",
        "Livello intermedio atteso (valore)",
        "Livello finale atteso (valore)",
        "Livello finale alla data",
        "Graduazione del conseguimento",
    ):
        assert header in indicatori
    obiettivi = valori["Obiettivi"][0]
    for header in (
        "Collegato a (DUP)",
        "Missione D.Lgs 118/2011",
        "Programma D.Lgs 118/2011",
        "Ambiti della performance organizzativa",
        "Unità organizzative coinvolte",
        "Servizi coinvolti",
        "Modalità di realizzazione",
        "Riferimenti d'origine",
        "Stato di attuazione",
        "Monitoraggio",
        "Inizio effettivo",
        "Fine effettiva",
    ):
        assert header in obiettivi
    fasi = valori["Fasi"][0]
    assert {"Inizio effettivo", "Fine effettiva", "Avanzamento (%)"} <= set(fasi)
    assert valori["Risorse umane"][0] == [
        "Codice obiettivo",
        "Anno",
        "Matricola",
        "Cognome e nome",
        "Categoria",
        "Impiego (%)",
    ]


def test_intestazioni_e_nomi_tecnici_non_si_confondono():
    """Each header and technical name (any case, spacing, «_») names one column."""
    for nome, colonne in excel.FOGLI.items():
        nomi = {}
        for col in colonne:
            for testo in {normalizza(col.header), normalizza(col.chiave)}:
                assert nomi.setdefault(testo, col.chiave) == col.chiave, (nome, testo)


def test_etichette_italiane_delle_scelte(piano):
    Obiettivo.objects.filter(codice="SS - 1").update(stato=S.IN_MONITORAGGIO)
    wb = _cartella(_esporta(piano))
    obiettivi = wb["Obiettivi"]
    riga = _riga(obiettivi, **{"Codice obiettivo": "SS - 1"})
    assert obiettivi.cell(riga, _colonna(obiettivi, "Stato della scheda")).value == (
        "In monitoraggio"
    )
    assert obiettivi.cell(riga, _colonna(obiettivi, "Tipo di obiettivo")).value == "Gestionale"
    assert obiettivi.cell(riga, _colonna(obiettivi, "Riferimenti d'origine")).value == (
        "Istituzionale"
    )
    indicatori = wb["Indicatori"]
    riga = _riga(indicatori, **{"Codice obiettivo": "SS - 1", "N°": 2})
    assert indicatori.cell(riga, _colonna(indicatori, "Polarità")).value == "Più alto è meglio"
    assert indicatori.cell(riga, _colonna(indicatori, "Tipo di indicatore")).value == "Qualità"
    assert wb["Rilevazioni"].cell(2, _colonna(wb["Rilevazioni"], "Rilevazione")).value == (
        "Rilevazione finale"
    )
    strumentali = wb["Risorse strumentali"]
    assert strumentali.cell(2, _colonna(strumentali, "Tipo")).value == "Dotazione informatica"
    # no cell of a choice column holds a code that is not its label
    for nome, colonne in excel.FOGLI.items():
        ws = wb[nome]
        for col in colonne:
            if col.kind != "scelta":
                continue
            codici = {c for c, e in col.choices if c != e}
            lettera = ws.cell(1, _colonna(ws, col.header)).column_letter
            valori = {c.value for c in ws[lettera][1:]}
            assert not (valori & codici), (nome, col.header, valori)
    # the dropdowns list the labels
    formule = [dv.formula1 for dv in obiettivi.data_validations.dataValidation]
    assert '"Bozza,Proposto,Approvato,In monitoraggio,Rendicontato,Validato"' not in formule
    assert '"Istituzionale,D\'iniziativa"' in formule


def test_codici_ed_etichette_accettati_in_ogni_maiuscola(piano):
    wb = _cartella(_esporta(piano))
    indicatori = wb["Indicatori"]
    uno = _riga(indicatori, **{"Codice obiettivo": "SS - 1", "N°": 1})
    due = _riga(indicatori, **{"Codice obiettivo": "SS - 1", "N°": 2})
    _scrivi(indicatori, uno, **{"Polarità": "DECRESCENTE", "Tipo di indicatore": "efficienza"})
    _scrivi(indicatori, due, **{"Polarità": "più basso  è meglio", "Tipo di indicatore": "QUALITÀ"})
    obiettivi = wb["Obiettivi"]
    riga = _riga(obiettivi, **{"Codice obiettivo": "SS - 1"})
    _scrivi(obiettivi, riga, **{"Riferimenti d'origine": "d_iniziativa"})
    esito = importa(piano, _salva(wb))
    assert esito.salvato, [str(e) for e in esito.errori]
    assert sorted(
        Indicatore.objects.filter(obiettivo__codice="SS - 1").values_list(
            "numero", "polarita", "tipo"
        )
    ) == [(1, "decrescente", "efficienza"), (2, "decrescente", "qualita")]
    assert Obiettivo.objects.get(codice="SS - 1").riferimento_origine == "d_iniziativa"


# -- round trip ----------------------------------------------------------------------------


def test_andata_e_ritorno_con_ogni_foglio(piano):
    dati = _esporta(piano)
    valori = _valori(dati)
    for nome in [*excel.FOGLI, "Risultati"]:
        assert len(valori[nome]) > 1, f"il foglio {nome} è vuoto"
    obiettivi = valori["Obiettivi"]
    riga = dict(zip(obiettivi[0], obiettivi[1], strict=True))
    assert riga["Collegato a (DUP)"] == "1.2 Proteggere, garantire e valorizzare"
    assert riga["Missione D.Lgs 118/2011"].startswith("12 ")
    assert riga["Programma D.Lgs 118/2011"].startswith("12.02 ")
    assert riga["Ambiti della performance organizzativa"].splitlines()[0].startswith("1. ")
    assert riga["Inizio effettivo"].date() == date(2019, 1, 7)
    fase = dict(zip(valori["Fasi"][0], valori["Fasi"][1], strict=True))
    assert fase["Avanzamento (%)"] == 100 and fase["Fine effettiva"].date() == date(2019, 11, 29)
    umane = [
        dict(zip(valori["Risorse umane"][0], r, strict=True)) for r in valori["Risorse umane"][1:]
    ]
    assert {"Matricola": "51", "Cognome e nome": "Ferrario Maria Clara"}.items() <= umane[
        -1
    ].items()

    esito = importa(piano, dati)
    assert esito.ok, [str(e) for e in esito.errori]
    assert not esito.creati and not esito.aggiornati
    assert sorted(esito.invariati) == ["SS - 1 (2019)", "SS - 2 (2019)"]
    assert _esporta(piano) == dati


def test_modifiche_di_ogni_foglio_salvate(piano):
    wb = _cartella(_esporta(piano))
    obiettivi = wb["Obiettivi"]
    riga = _riga(obiettivi, **{"Codice obiettivo": "SS - 1"})
    _scrivi(
        obiettivi,
        riga,
        **{
            "Collegato a (DUP)": "1",
            "Ambiti della performance organizzativa": "2, 3",
            "Missione D.Lgs 118/2011": "12",
            "Programma D.Lgs 118/2011": "12.2",
            "Stato di attuazione": "Bando aggiudicato.",
            "Fine effettiva": date(2019, 12, 20),
        },
    )
    umane = wb["Risorse umane"]
    via = _riga(umane, **{"Codice obiettivo": "SS - 1"})  # the first: the factory's persona
    umane.delete_rows(via)
    _scrivi(umane, _riga(umane, Matricola="51"), **{"Impiego (%)": 45})
    _aggiungi(
        umane, {"Codice obiettivo": "SS - 1", "Anno": 2019, "Cognome e nome": "sciotti  antonia"}
    )
    fasi = wb["Fasi"]
    uno = _riga(fasi, **{"Codice obiettivo": "SS - 1", "N°": 1})
    _scrivi(fasi, uno, **{"Avanzamento (%)": 80, "Fine effettiva": None})
    modificato = _salva(wb)

    esito = importa(piano, modificato)
    assert esito.salvato, [str(e) for e in esito.errori]
    assert esito.aggiornati == ["SS - 1 (2019)"] and esito.invariati == ["SS - 2 (2019)"]
    cambi = "\n".join(esito.cambi["SS - 1 (2019)"])
    assert "Collegato a (DUP): Linea strategica: 1.2" not in cambi
    assert "Collegato a (DUP):" in cambi and "Ambiti della performance organizzativa:" in cambi
    assert "Risorsa umana Sciotti Antonia: aggiunta" in cambi

    o = Obiettivo.objects.get(codice="SS - 1")
    assert [n.codice for n in o.nodi_dup.all()] == ["1"]
    assert sorted(a.numero for a in o.ambiti.all()) == [2, 3]
    assert (o.missione.codice, o.programma.codice) == ("12", "12.02")
    assert o.stato_attuazione == "Bando aggiudicato." and o.data_fine_effettiva == date(
        2019, 12, 20
    )
    assert o.versione == 2
    assert [
        (r.persona.nome, r.percentuale_impiego) for r in o.risorse_umane.order_by("ordine")
    ] == [
        ("Ferrario Maria Clara", D(45)),
        ("Sciotti Antonia", None),
    ]
    fase = Fase.objects.get(obiettivo=o, numero=1)
    assert (fase.avanzamento, fase.data_fine_effettiva) == (D(80), None)

    dopo, atteso = _valori(_esporta(piano)), _valori(modificato)
    del dopo["Risultati"], atteso["Risultati"]
    # what names a record is written out in full again: the DUP node, the programma,
    # the persona (with her categoria)
    atteso["Obiettivi"][riga - 1] = dopo["Obiettivi"][riga - 1]
    assert atteso["Risorse umane"][-1][3] == "sciotti  antonia"
    atteso["Risorse umane"][-1][3:5] = ["Sciotti Antonia", "D3"]
    assert dopo == atteso
    assert "1 Dalla parte delle persone" in dopo["Obiettivi"][riga - 1]
    # and reading it back again changes nothing
    assert importa(piano, _esporta(piano)).aggiornati == []


# -- the first files ---------------------------------------------------------------------------


def _come_i_primi_file(dati: bytes, intestazione=lambda col: col.chiave) -> bytes:
    """The export as the first version wrote it: technical headers, «Risorse» for the
    risorse finanziarie, no Risorse umane nor Risultati sheet, no column added since."""
    wb = _cartella(dati)
    for nome, colonne in excel.FOGLI.items():
        ws = wb[nome]
        for col in reversed(colonne):
            indice = _colonna(ws, col.header)
            if col.facoltativa:
                ws.delete_cols(indice)
            else:
                ws.cell(1, indice).value = intestazione(col)
    del wb["Risorse umane"], wb["Risultati"]
    wb["Risorse finanziarie"].title = "Risorse"
    return _salva(wb)


def test_file_con_le_intestazioni_tecniche(piano):
    prima = _esporta(piano)
    vecchio = _come_i_primi_file(prima)
    assert "VALORE_INTERMEDIO_TESTO" in _valori(vecchio)["Indicatori"][0]
    esito = importa(piano, vecchio)
    assert esito.ok, [str(e) for e in esito.errori]
    assert sorted(esito.invariati) == ["SS - 1 (2019)", "SS - 2 (2019)"]
    # a change in such a file leaves what it does not have as it is
    wb = _cartella(vecchio)
    ws = wb["Indicatori"]
    _scrivi(ws, _riga(ws, CODICE="SS - 1", NUMERO=1), VALORE_ATTESO=12)
    esito = importa(piano, _salva(wb))
    assert esito.salvato, [str(e) for e in esito.errori]
    o = Obiettivo.objects.get(codice="SS - 1")
    assert o.indicatori.get(numero=1).valore_atteso == 12
    assert o.risorse_umane.count() == 2 and o.nodi_dup.count() == 1 and o.ambiti.count() == 2
    assert o.stato_attuazione == "Avviato il bando."


def test_intestazioni_in_ogni_maiuscola_e_spaziatura(piano):
    def storpia(col):
        return f"  {col.header.upper().replace(' ', '  ')} "

    dati = _come_i_primi_file(_esporta(piano), storpia)
    esito = importa(piano, dati)
    assert esito.ok, [str(e) for e in esito.errori]
    assert len(esito.invariati) == 2


# -- refusals ----------------------------------------------------------------------------------


def _rifiuto(piano, dati, atteso: str) -> None:
    prima = sorted(RisorsaUmana.objects.values_list("id", "persona_id", "percentuale_impiego"))
    versioni = sorted(Obiettivo.objects.values_list("id", "versione"))
    esito = importa(piano, dati)
    errori = [str(e) for e in esito.errori]
    assert not esito.ok and not esito.salvato
    assert atteso in errori, errori
    assert (
        sorted(RisorsaUmana.objects.values_list("id", "persona_id", "percentuale_impiego")) == prima
    )
    assert sorted(Obiettivo.objects.values_list("id", "versione")) == versioni


@pytest.mark.parametrize(
    ("celle", "atteso"),
    [
        (
            {"Matricola": "999", "Cognome e nome": "Ferrario Maria Clara"},
            "Risorse umane, riga {riga}, colonna «Matricola»: nessuna persona del {comune} ha "
            "la matricola «999» (le persone si aggiungono dall'amministrazione).",
        ),
        (
            {"Cognome e nome": "Bianchi Luca"},
            "Risorse umane, riga {riga}, colonna «Cognome e nome»: nessuna persona del "
            "{comune} si chiama «Bianchi Luca» (le persone si aggiungono dall'amministrazione).",
        ),
        (
            {"Cognome e nome": "Doppio Nome"},
            "Risorse umane, riga {riga}, colonna «Cognome e nome»: nel {comune} ci sono 2 "
            "persone di nome «Doppio Nome» (matricole: 77): scrivi la matricola.",
        ),
        (
            {"Cognome e nome": "Sciotti Antonia", "Impiego (%)": 120},
            "Risorse umane, riga {riga}, colonna «Impiego (%)»: Impiego: non può superare 100,00%.",
        ),
    ],
)
def test_persona_non_trovata(piano, celle, atteso):
    comune = piano.comune
    PersonaFactory(comune=comune, nome="Doppio Nome", matricola="")
    PersonaFactory(comune=comune, nome="Doppio Nome", matricola="77")
    PersonaFactory(nome="Bianchi Luca")  # of another comune
    wb = _cartella(_esporta(piano))
    ws = wb["Risorse umane"]
    _aggiungi(ws, {"Codice obiettivo": "SS - 1", "Anno": 2019, **celle})
    _rifiuto(piano, _salva(wb), atteso.format(riga=ws.max_row, comune=comune))


@pytest.mark.parametrize(
    ("header", "valore", "atteso"),
    [
        (
            "Collegato a (DUP)",
            "9.9",
            "«9.9» non è un nodo del DUP del piano: scrivi il suo codice (per esempio «1», "
            "«1.2»), uno per riga.",
        ),
        (
            "Ambiti della performance organizzativa",
            "3\n11",
            "«11» non è un ambito della performance organizzativa: scrivi il suo numero (da 1 "
            "a 10), uno per riga.",
        ),
        (
            "Missione D.Lgs 118/2011",
            "77",
            "«77» non è una missione del D.Lgs 118/2011: scrivi il codice (per esempio «12») o "
            "la denominazione.",
        ),
        (
            "Programma D.Lgs 118/2011",
            "01.01",
            "Il programma non appartiene alla missione indicata.",
        ),
    ],
)
def test_collegamento_sconosciuto(piano, header, valore, atteso):
    wb = _cartella(_esporta(piano))
    ws = wb["Obiettivi"]
    riga = _riga(ws, **{"Codice obiettivo": "SS - 1"})
    _scrivi(ws, riga, **{header: valore})
    _rifiuto(piano, _salva(wb), f"Obiettivi, riga {riga}, colonna «{header}»: {atteso}")


def test_persona_due_volte_nella_stessa_scheda(piano):
    wb = _cartella(_esporta(piano))
    ws = wb["Risorse umane"]
    _aggiungi(ws, {"Codice obiettivo": "SS - 1", "Anno": 2019, "Matricola": "51"})
    prima = _riga(ws, Matricola="51")
    _rifiuto(
        piano,
        _salva(wb),
        f"Risorse umane, riga {ws.max_row}, colonna «Cognome e nome»: Ferrario Maria Clara è "
        f"già tra le risorse umane di SS - 1 (2019) (riga {prima}).",
    )


# -- Risultati ---------------------------------------------------------------------------------


def test_risultati_per_obiettivo_e_settore(piano):
    valori = _valori(_esporta(piano))["Risultati"]
    intestazione = valori[0]
    righe = [dict(zip(intestazione, r, strict=True)) for r in valori[1:]]
    assert [r["Codice obiettivo"] for r in righe] == ["SS - 1", "SS - 2", None]
    punteggi = carica_punteggi(piano, anno=2019)
    validato = Obiettivo.objects.get(codice="SS - 2")
    esito = punteggi.obiettivi[validato.pk]
    assert esito.validato and esito.punteggio == D(95)
    due = righe[1]
    assert due["Conseguimento calcolato"] == pytest.approx(float(esito.punteggio_calcolato / 100))
    assert due["Conseguimento validato dall'OIV"] == pytest.approx(0.95)
    assert due["Fascia di raggiungimento"] == "90–99,99%"
    assert due["Stato della scheda"] == "Validato"
    assert righe[0]["Conseguimento validato dall'OIV"] is None
    settore = righe[2]
    assert settore["Denominazione"] == "Risultato del settore"
    (esito_settore,) = punteggi.settori.values()
    assert settore["Conseguimento validato dall'OIV"] == pytest.approx(
        float(esito_settore.punteggio / 100)
    )
    ws = _cartella(_esporta(piano))["Risultati"]
    cella = ws.cell(3, _colonna(ws, "Conseguimento calcolato"))
    assert cella.number_format == "0.00%" and isinstance(cella.value, int | float)


def test_l_importazione_ignora_risultati_e_fogli_sconosciuti(piano):
    wb = _cartella(_esporta(piano))
    wb["Risultati"].cell(2, 7).value = "scritto a mano"
    wb.create_sheet("Appunti").append(["Qualunque", "cosa"])
    esito = importa(piano, _salva(wb))
    assert esito.ok, [str(e) for e in esito.errori]
    assert len(esito.invariati) == 2


# -- queries -------------------------------------------------------------------------------------


def _piano_di(quante: int):
    piano = PianoFactory(riproporziona_pesi=True)
    settore = SettoreFactory(comune=piano.comune, nome="Settore unico")
    NodoDUPFactory(piano=piano, codice="1")
    NodoDUPFactory(piano=piano, codice="2")
    for n in range(quante):
        o = ObiettivoFactory(
            piano=piano,
            settore=settore,
            codice=f"Q - {n}",
            bozza=True,
            con_rilevazioni=True,
            con_fasi=True,
            con_risorse=True,
            con_programma=True,
            ambiti=[1],
        )
        o.nodi_dup.set(piano.nodi_dup.filter(codice="1"))
    return piano


def _cambia_tutte(dati: bytes) -> bytes:
    wb = _cartella(dati)
    for ws, celle in (
        (
            wb["Obiettivi"],
            {"Collegato a (DUP)": "2", "Ambiti della performance organizzativa": "2"},
        ),
        (wb["Risorse umane"], {"Impiego (%)": 10}),
        (wb["Fasi"], {"Avanzamento (%)": 20}),
    ):
        for riga in range(2, ws.max_row + 1):
            _scrivi(ws, riga, **celle)
    return _salva(wb)


def _conta(funzione) -> int:
    """The queries that read or write tables. Django checks each row's CHECK constraints
    with a query on no table («SELECT 1 AS _check…» in a savepoint, by ``full_clean``):
    one per constraint of each row checked, as on the pages; those are not counted."""
    with CaptureQueriesContext(connection) as contesto:
        funzione()
    return sum(
        'AS "_check"' not in q["sql"] and "SAVEPOINT" not in q["sql"]
        for q in contesto.captured_queries
    )


def test_le_query_non_crescono_con_le_schede():
    conteggi = []
    for quante in (2, 5):
        piano = _piano_di(quante)
        dati = _esporta(piano)
        esporta = _conta(lambda piano=piano: _esporta(piano))
        invariato = _conta(lambda piano=piano, dati=dati: importa(piano, dati))
        cambiato = _cambia_tutte(dati)
        esiti = []
        salva = _conta(lambda piano=piano, d=cambiato, esiti=esiti: esiti.append(importa(piano, d)))
        assert esiti[0].salvato and len(esiti[0].aggiornati) == quante, esiti[0].errori
        conteggi.append((esporta, invariato, salva))
    assert conteggi[0] == conteggi[1], conteggi


# -- a variazione changes the scheda, not what was achieved ---------------------------------------


@pytest.mark.parametrize(
    ("foglio", "chiavi", "celle", "colonna"),
    [
        ("Obiettivi", {}, {"Stato di attuazione": "Concluso."}, "Stato di attuazione"),
        ("Fasi", {"N°": 2}, {"Avanzamento (%)": 90}, "Avanzamento (%)"),
        ("Fasi", {"N°": 1}, {"Fine effettiva": date(2019, 12, 1)}, "Fine effettiva"),
    ],
)
def test_variazione_non_cambia_la_rendicontazione(piano, foglio, chiavi, celle, colonna):
    from peg.models import Ruolo

    from .utenti import utente

    Obiettivo.objects.filter(codice="SS - 1").update(stato=S.IN_MONITORAGGIO)
    wb = _cartella(_esporta(piano))
    ws = wb[foglio]
    riga = _riga(ws, **{"Codice obiettivo": "SS - 1", **chiavi})
    _scrivi(ws, riga, **celle)
    segreteria = utente(piano.comune, Ruolo.Tipo.SEGRETERIA, username="xls-var")
    versioni = sorted(Obiettivo.objects.values_list("id", "versione"))
    esito = importa(piano, _salva(wb), motivazione="Nuovi tempi", utente=segreteria)
    assert not esito.salvato
    assert [str(e) for e in esito.errori] == [
        f"{foglio}, riga {riga}, colonna «{colonna}»: la scheda SS - 1 (2019) è «In "
        "monitoraggio»: i valori della rendicontazione non cambiano con una variazione, si "
        "inseriscono dalla pagina della rendicontazione. Lascia la cella com'era."
    ]
    assert sorted(Obiettivo.objects.values_list("id", "versione")) == versioni
    # the same file with the scheda's own change only is a variazione
    _scrivi(
        ws, riga, **{colonna: _valori(_esporta(piano))[foglio][riga - 1][_colonna(ws, colonna) - 1]}
    )
    _scrivi(wb["Obiettivi"], 2, **{"Risultato atteso": "Nuovo risultato"})
    esito = importa(piano, _salva(wb), motivazione="Nuovi tempi", utente=segreteria)
    assert esito.salvato, [str(e) for e in esito.errori]


def test_solo_gli_ambiti_cambiati(piano):
    """A link is no field of the scheda: changing only it is still a change, with its
    new versione and its line in the list of changes."""
    wb = _cartella(_esporta(piano))
    ws = wb["Obiettivi"]
    riga = _riga(ws, **{"Codice obiettivo": "SS - 1"})
    _scrivi(ws, riga, **{"Ambiti della performance organizzativa": "7"})
    esito = importa(piano, _salva(wb))
    assert esito.salvato, [str(e) for e in esito.errori]
    (cambio,) = esito.cambi["SS - 1 (2019)"]
    assert cambio.startswith("Scheda: Ambiti della performance organizzativa: 1. ")
    assert cambio.endswith("→ 7. Qualità e quantità delle prestazioni e dei servizi erogati")
    o = Obiettivo.objects.get(codice="SS - 1")
    assert [a.numero for a in o.ambiti.all()] == [7] and o.versione == 2


def test_omonimi_senza_matricola_gia_nella_scheda(piano):
    """Two persone of the same name without matricola: the one already among the scheda's
    risorse umane is the one the row means (the export reads back)."""
    comune = piano.comune
    scheda = Obiettivo.objects.get(codice="SS - 1")
    omonimo = PersonaFactory(comune=comune, nome="Verdi Anna", matricola="")
    PersonaFactory(comune=comune, nome="Verdi Anna", matricola="")
    RisorsaUmanaFactory(obiettivo=scheda, persona=omonimo, percentuale_impiego=D(10), ordine=2)
    dati = _esporta(piano)
    esito = importa(piano, dati)
    assert esito.ok, [str(e) for e in esito.errori]
    assert len(esito.invariati) == 2
    # elsewhere the name stays ambiguous
    wb = _cartella(dati)
    _aggiungi(
        wb["Risorse umane"],
        {"Codice obiettivo": "SS - 2", "Anno": 2019, "Cognome e nome": "Verdi Anna"},
    )
    errori = [str(e) for e in importa(piano, _salva(wb)).errori]
    assert (
        f"Risorse umane, riga {wb['Risorse umane'].max_row}, colonna «Cognome e nome»: nel "
        f"{comune} ci sono 2 persone di nome «Verdi Anna» e nessuna ha la matricola: "
        "assegnala dall'amministrazione e scrivila qui."
    ) in errori
