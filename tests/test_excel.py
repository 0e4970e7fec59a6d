"""Excel export, template and import of a piano: round trip on the demo data, every
refusal with its Italian message and nothing saved, permissions, commands."""

import html
import io
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from indicators.engine.formatting import data_lunga, numero_compatto
from indicators.models import Indicatore, Rilevazione
from objectives.models import Fase, Obiettivo, RisorsaFinanziaria
from peg.models import Ruolo
from reporting import excel
from reporting.excel_import import importa

from .factories import ComuneFactory, SettoreFactory
from .utenti import utente

pytestmark = pytest.mark.django_db
S = Obiettivo.Stato


def _esporta(piano, **kwargs) -> bytes:
    return excel.cartella(excel.obiettivi_da_esportare(Obiettivo.objects.all(), piano, **kwargs))


def _valori(dati: bytes) -> dict:
    wb = load_workbook(io.BytesIO(dati))
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb}


def _scaricato(risposta) -> bytes:
    """The file of a download (sent in blocks from a temporary file)."""
    return b"".join(risposta.streaming_content)


def _salva(wb) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _cartella(dati: bytes):
    return load_workbook(io.BytesIO(dati))


def _colonna(ws, header) -> int:
    return [c.value for c in ws[1]].index(header) + 1


def _aggiungi(ws, celle: dict) -> None:
    """A row written by header (the others empty)."""
    intestazione = [c.value for c in ws[1]]
    ws.append([celle.get(h) for h in intestazione])


def _fotografia(piano) -> dict:
    return {
        "obiettivi": sorted(
            Obiettivo.objects.filter(piano=piano).values_list(
                "id", "codice", "anno", "stato", "peso", "versione", "settore_id", "denominazione"
            )
        ),
        "indicatori": sorted(
            Indicatore.objects.filter(obiettivo__piano=piano).values_list(
                "id", "numero", "peso", "valore_atteso", "valore_atteso_testo", "denominazione"
            )
        ),
        "fasi": sorted(
            Fase.objects.filter(obiettivo__piano=piano).values_list("id", "numero", "peso")
        ),
        "risorse": sorted(
            RisorsaFinanziaria.objects.filter(obiettivo__piano=piano).values_list("id", "importo")
        ),
        "rilevazioni": sorted(
            Rilevazione.objects.filter(indicatore__obiettivo__piano=piano).values_list(
                "id", "tipo", "valore"
            )
        ),
    }


def _in_bozza(piano):
    Obiettivo.objects.filter(piano=piano).update(stato=S.BOZZA)


@pytest.fixture
def chiavari(demo):
    comune = demo("chiavari")
    return comune.piani.get()


@pytest.fixture
def cinisello(demo):
    comune = demo("cinisello-balsamo")
    return comune.piani.get()


# -- export ------------------------------------------------------------------


def test_esportazione_deterministica_e_formattata(chiavari):
    dati = _esporta(chiavari)
    assert dati == _esporta(chiavari)  # fixed dates: same content, same bytes
    wb = _cartella(dati)
    assert wb.sheetnames == [*excel.FOGLI, "Risultati"]
    ws = wb["Indicatori"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref.startswith("A1:")
    assert all(c.font.bold for c in ws[1])
    liste = {
        str(dv.sqref).split(":")[0].rstrip("0123456789")
        for dv in ws.data_validations.dataValidation
    }
    tipo = ws.cell(1, _colonna(ws, "Tipo di indicatore")).column_letter
    polarita = ws.cell(1, _colonna(ws, "Polarità")).column_letter
    assert {tipo, polarita} <= liste
    formule = [dv.formula1 for dv in ws.data_validations.dataValidation]
    assert '"Più alto è meglio,Più basso è meglio"' in formule
    peso = ws.cell(2, _colonna(ws, "Peso"))
    assert isinstance(peso.value, int | float) and peso.number_format == "#,##0.00"
    fasi = wb["Fasi"]
    fine = fasi.cell(2, _colonna(fasi, "Fine prevista"))
    assert fine.is_date and fine.number_format == "DD/MM/YYYY"
    assert wb["Obiettivi"].max_row == 1 + Obiettivo.objects.filter(piano=chiavari).count()
    assert wb.properties.created.year == 2000


def test_esportazione_di_un_anno_e_di_un_settore(chiavari):
    valori = _valori(_esporta(chiavari, anno=2020))
    anni = {r[1] for r in valori["Obiettivi"][1:]}
    assert anni == {2020}
    altro = SettoreFactory(comune=chiavari.comune, nome="Altro settore")
    assert len(_valori(_esporta(chiavari, settore=altro))["Obiettivi"]) == 1


def test_modello_vuoto():
    valori = _valori(excel.cartella())
    assert list(valori) == [*excel.FOGLI, "Risultati"]
    for nome, colonne in excel.FOGLI.items():
        assert valori[nome] == [[c.header for c in colonne]]
    assert len(valori["Risultati"]) == 1


# -- round trip --------------------------------------------------------------


@pytest.mark.parametrize("slug", ["chiavari", "cinisello-balsamo", "seregno", "soresina"])
def test_andata_e_ritorno_invariato(demo, slug):
    """Every demo comune, with what each has (Seregno's risorse umane, DUP links,
    missioni and monitoraggio, Soresina's riferimenti d'origine, Cinisello's fasi
    effettive and stato di attuazione): read back unchanged, written again the same."""
    piano = demo(slug).piani.get()
    prima = _fotografia(piano)
    dati = _esporta(piano)
    valori = _valori(dati)
    assert all(len(valori[nome]) > 1 for nome in ("Obiettivi", "Risultati"))
    if slug == "seregno":
        assert len(valori["Risorse umane"]) > 1
        obiettivi = [
            dict(zip(valori["Obiettivi"][0], r, strict=True)) for r in valori["Obiettivi"][1:]
        ]
        assert any(o["Collegato a (DUP)"] and o["Programma D.Lgs 118/2011"] for o in obiettivi)
    esito = importa(piano, dati)
    assert esito.ok, [str(e) for e in esito.errori]
    assert not esito.creati and not esito.aggiornati
    assert len(esito.invariati) == Obiettivo.objects.filter(piano=piano).count()
    assert _fotografia(piano) == prima
    assert _esporta(piano) == dati


@pytest.mark.parametrize("slug", ["chiavari", "cinisello-balsamo"])
def test_andata_e_ritorno_riscrive_ogni_scheda(demo, slug):
    """Every target changed: every scheda is rewritten (indicatori, fasi, risorse,
    rilevazioni) and exported again equal to the edited workbook."""
    piano = demo(slug).piani.get()
    _in_bozza(piano)
    storici = Indicatore.objects.filter(obiettivo__piano=piano, storico__isnull=False).count()
    wb = _cartella(_esporta(piano))
    ws = wb["Indicatori"]
    valore = _colonna(ws, "Livello finale atteso (valore)")
    testo = _colonna(ws, "Livello finale atteso (come stampato)")
    for riga in range(2, ws.max_row + 1):
        ws.cell(riga, valore).value = (ws.cell(riga, valore).value or 0) + 1
        ws.cell(riga, testo).value = None
    modificato = _salva(wb)
    esito = importa(piano, modificato)
    assert esito.ok, [str(e) for e in esito.errori]
    schede = Obiettivo.objects.filter(piano=piano)
    con_indicatori = schede.filter(indicatori__isnull=False).distinct().count()
    assert len(esito.aggiornati) == con_indicatori
    dopo, atteso = _valori(_esporta(piano)), _valori(modificato)
    del dopo["Risultati"], atteso["Risultati"]  # the targets changed: so did the results
    assert dopo == atteso
    # indicatori are matched by numero: their valori storici are kept
    assert (
        Indicatore.objects.filter(obiettivo__piano=piano, storico__isnull=False).count() == storici
    )


def test_cambio_del_target_salvato(chiavari):
    _in_bozza(chiavari)
    indicatore = Indicatore.objects.filter(obiettivo__piano=chiavari).order_by("pk").first()
    obiettivo = indicatore.obiettivo
    wb = _cartella(_esporta(chiavari))
    ws = wb["Indicatori"]
    (riga,) = [
        riga
        for riga in range(2, ws.max_row + 1)
        if (ws.cell(riga, 1).value, ws.cell(riga, 2).value, ws.cell(riga, 3).value)
        == (obiettivo.codice, obiettivo.anno, indicatore.numero)
    ]
    ws.cell(riga, _colonna(ws, "Livello finale atteso (valore)")).value = "1.234,5"
    esito = importa(chiavari, _salva(wb))
    assert esito.ok, [str(e) for e in esito.errori]
    assert esito.aggiornati == [f"{obiettivo.codice} ({obiettivo.anno})"]
    indicatore.refresh_from_db()
    assert indicatore.valore_atteso == D("1234.5")
    obiettivo.refresh_from_db()
    assert obiettivo.versione == 2 and obiettivo.stato == S.BOZZA


def test_nuova_scheda_creata_in_bozza(chiavari):
    wb = _cartella(excel.cartella())
    settore = chiavari.comune.settori.get()
    wb["Obiettivi"].append(
        [
            "NUOVO 1",
            2021,
            None,
            settore.nome,
            None,
            None,
            "annuale",
            "Strategico",
            "Nuovo obiettivo",
        ]
    )
    wb["Indicatori"].append(["NUOVO 1", 2021, 1, "60,5", "Primo"])
    wb["Indicatori"].append(["NUOVO 1", 2021, 2, 39.5, "Secondo", None, None, None, None])
    wb["Rilevazioni"].append(["NUOVO 1", 2021, 2, "finale", 3])
    esito = importa(chiavari, _salva(wb))
    assert esito.ok, [str(e) for e in esito.errori]
    assert esito.creati == ["NUOVO 1 (2021)"]
    nuovo = Obiettivo.objects.get(piano=chiavari, codice="NUOVO 1")
    assert (nuovo.stato, nuovo.tipo, nuovo.anno_inizio, nuovo.settore) == (
        S.BOZZA,
        "strategico",
        2021,
        settore,
    )
    assert [i.peso for i in nuovo.indicatori.all()] == [D("60.50"), D("39.50")]
    assert nuovo.indicatori.get(numero=2).rilevazioni.get().valore == 3
    assert nuovo.codice_ordinabile == "nuovo 000000000001"  # ordered with the others


def test_solo_verifica_non_salva(chiavari):
    _in_bozza(chiavari)
    prima = _fotografia(chiavari)
    wb = _cartella(_esporta(chiavari))
    ws = wb["Indicatori"]
    ws.cell(2, _colonna(ws, "Livello finale atteso (valore)")).value = 777
    esito = importa(chiavari, _salva(wb), solo_verifica=True)
    assert esito.ok and esito.aggiornati and not esito.salvato
    assert _fotografia(chiavari) == prima


# -- refusals: message and nothing saved ---------------------------------------


def _rifiuto(piano, dati, atteso) -> list[str]:
    prima = _fotografia(piano)
    esito = importa(piano, dati)
    errori = [str(e) for e in esito.errori]
    assert not esito.ok and not esito.salvato
    assert any(atteso in e for e in errori), errori
    assert _fotografia(piano) == prima
    return errori


@pytest.fixture
def in_bozza(chiavari):
    _in_bozza(chiavari)
    return chiavari


def _modifica(piano, cambia) -> bytes:
    wb = _cartella(_esporta(piano))
    cambia(wb)
    return _salva(wb)


def test_peso_non_numero(in_bozza):
    def cambia(wb):
        ws = wb["Indicatori"]
        ws.cell(7, _colonna(ws, "Peso")).value = "dieci"
        ws.cell(
            3, _colonna(ws, "Livello finale atteso (valore)")
        ).value = 99  # a valid change is not saved

    errori = _rifiuto(in_bozza, _modifica(in_bozza, cambia), "non è un numero")
    assert 'Indicatori, riga 7, colonna «Peso»: "dieci" non è un numero.' in errori


def test_foglio_mancante(in_bozza):
    def cambia(wb):
        del wb["Fasi"]

    assert _rifiuto(in_bozza, _modifica(in_bozza, cambia), "Manca il foglio") == [
        "Manca il foglio «Fasi»."
    ]


def test_colonna_mancante(in_bozza):
    def cambia(wb):
        ws = wb["Risorse finanziarie"]
        ws.cell(1, _colonna(ws, "Importo")).value = "SOLDI"

    _rifiuto(
        in_bozza,
        _modifica(in_bozza, cambia),
        "Risorse finanziarie, riga 1: manca la colonna «Importo».",
    )


@pytest.mark.parametrize(
    ("foglio", "colonna", "valore", "messaggio"),
    [
        ("Fasi", "Fine prevista", "domani", '"domani" non è una data (GG/MM/AAAA).'),
        (
            "Indicatori",
            "Polarità",
            "alta",
            '"alta" non è tra i valori ammessi: Più alto è meglio, Più basso è meglio.',
        ),
        ("Indicatori", "N°", "primo", '"primo" non è un numero intero.'),
        ("Indicatori", "Peso", 150, "Peso: non può superare 100,00%."),
        ("Indicatori", "Graduazione del conseguimento", "boh ???", "Graduazione non leggibile"),
    ],
)
def test_tipo_sbagliato(in_bozza, foglio, colonna, valore, messaggio):
    def cambia(wb):
        ws = wb[foglio]
        ws.cell(2, _colonna(ws, colonna)).value = valore

    errori = _rifiuto(in_bozza, _modifica(in_bozza, cambia), messaggio)
    assert any(e.startswith(f"{foglio}, riga 2, colonna «{colonna}»: ") for e in errori), errori


def test_settore_sconosciuto(in_bozza):
    def cambia(wb):
        ws = wb["Obiettivi"]
        ws.cell(3, _colonna(ws, "Settore")).value = "Settore inesistente"

    _rifiuto(
        in_bozza,
        _modifica(in_bozza, cambia),
        "Obiettivi, riga 3, colonna «Settore»: settore «Settore inesistente» sconosciuto "
        "nel Comune di Chiavari.",
    )


def test_codice_doppio(in_bozza):
    def cambia(wb):
        ws = wb["Obiettivi"]
        ws.append([c.value for c in ws[2]])

    riga = Obiettivo.objects.filter(piano=in_bozza).count() + 2
    primo = Obiettivo.objects.filter(piano=in_bozza).order_by("anno", "codice").first()
    _rifiuto(
        in_bozza,
        _modifica(in_bozza, cambia),
        f"Obiettivi, riga {riga}, colonna «Codice obiettivo»: l'obiettivo {primo.codice} ({primo.anno}) "
        "è già alla riga 2.",
    )


def test_pesi_che_non_fanno_cento(in_bozza):
    assert in_bozza.riproporziona_pesi is False

    def cambia(wb):
        ws = wb["Indicatori"]
        cella = ws.cell(2, _colonna(ws, "Peso"))
        cella.value = (cella.value or 0) + 5

    _rifiuto(in_bozza, _modifica(in_bozza, cambia), "devono sommare 100,00%")


def test_pesi_liberi_se_il_piano_riproporziona(in_bozza):
    in_bozza.riproporziona_pesi = True
    in_bozza.save()

    def cambia(wb):
        ws = wb["Indicatori"]
        ws.cell(2, _colonna(ws, "Peso")).value = 1

    assert importa(in_bozza, _modifica(in_bozza, cambia)).ok


def test_pesi_degli_obiettivi_del_settore(chiavari):
    wb = _cartella(excel.cartella())
    settore = chiavari.comune.settori.get()
    _aggiungi(
        wb["Obiettivi"],
        {
            "Settore": settore.nome,
            "Codice obiettivo": "NUOVO 2",
            "Anno": 2021,
            "Denominazione": "Nuovo",
            "Peso nel settore": 10,
        },
    )
    _rifiuto(
        chiavari,
        _salva(wb),
        "Obiettivi, riga 2, colonna «Peso nel settore»: i pesi degli obiettivi del settore "
        f"{settore} per il 2021 fanno 10,00% (mancano 90,00%, 3 senza peso)",
    )


def test_scheda_cambiata_durante_l_importazione(in_bozza, monkeypatch):
    from reporting import excel_import

    def cambia(wb):
        ws = wb["Indicatori"]
        ws.cell(2, _colonna(ws, "Livello finale atteso (valore)")).value = 42

    verifica = excel_import.Importatore.verifica

    def verifica_poi_modifica(self, fogli):
        verifica(self, fogli)
        Obiettivo.objects.filter(piano=in_bozza).update(versione=99)

    dati = _modifica(in_bozza, cambia)
    prima = _fotografia(in_bozza)["indicatori"]
    monkeypatch.setattr(excel_import.Importatore, "verifica", verifica_poi_modifica)
    esito = importa(in_bozza, dati)
    assert not esito.salvato and "modificata da altri" in str(esito.errori[0])
    assert _fotografia(in_bozza)["indicatori"] == prima


def test_scheda_approvata_modificata_rifiutata(chiavari):
    obiettivo = Obiettivo.objects.filter(piano=chiavari).order_by("anno", "codice").first()
    assert obiettivo.stato == S.APPROVATO

    def cambia(wb):
        ws = wb["Indicatori"]
        ws.cell(2, _colonna(ws, "Livello finale atteso (valore)")).value = 42

    errori = _rifiuto(
        chiavari,
        _modifica(chiavari, cambia),
        f"la scheda {obiettivo.codice} ({obiettivo.anno}) è «Approvato»",
    )
    # The page's own words: the field to fill, not the command's options.
    assert any("campo «Motivazione della variazione»" in e for e in errori)
    assert not any("--" in e for e in errori)


def test_scheda_approvata_cambiata_come_variazione_con_motivazione(chiavari):
    """The done-when of the issue: export, change a target, re-import, see the change;
    on an approved scheda that is a variazione, recorded with its motivazione."""
    obiettivo = Obiettivo.objects.filter(piano=chiavari).order_by("anno", "codice").first()
    indicatore = Indicatore.objects.filter(obiettivo=obiettivo).order_by("numero").first()
    segreteria = utente(chiavari.comune, Ruolo.Tipo.SEGRETERIA, username="xls-segreteria")

    def cambia(wb):
        ws = wb["Indicatori"]
        ws.cell(2, _colonna(ws, "Livello finale atteso (valore)")).value = 42

    dati = _modifica(chiavari, cambia)
    esito = importa(chiavari, dati, motivazione="Target rivisto dalla giunta", utente=segreteria)
    assert esito.salvato, [str(e) for e in esito.errori]
    indicatore.refresh_from_db()
    assert indicatore.valore_atteso == 42
    variazione = obiettivo.variazioni.get()
    assert variazione.motivazione == "Target rivisto dalla giunta"
    assert variazione.utente == segreteria and variazione.stato == S.APPROVATO
    obiettivo.refresh_from_db()
    assert obiettivo.stato == S.APPROVATO and obiettivo.versione == 2


def test_variazione_da_excel_non_tocca_le_rilevazioni(chiavari):
    obiettivo = Obiettivo.objects.filter(piano=chiavari).order_by("anno", "codice").first()
    Obiettivo.objects.filter(pk=obiettivo.pk).update(stato=S.IN_MONITORAGGIO)
    indicatore = Indicatore.objects.filter(obiettivo=obiettivo).order_by("numero").first()
    Rilevazione.objects.create(indicatore=indicatore, tipo="intermedia", valore=D("3"))
    dati = _esporta(chiavari)

    def togli_rilevazioni(wb):
        ws = wb["Rilevazioni"]
        ws.delete_rows(2, ws.max_row)

    wb = load_workbook(io.BytesIO(dati))
    togli_rilevazioni(wb)
    esito = importa(
        chiavari,
        _salva(wb),
        motivazione="x",
        utente=utente(chiavari.comune, Ruolo.Tipo.SEGRETERIA, username="xls-r"),
    )
    assert not esito.salvato and "le rilevazioni non cambiano" in str(esito.errori[0])
    assert Rilevazione.objects.filter(indicatore=indicatore).count() == 1


def test_scheda_rendicontata_non_cambia_neanche_con_motivazione(chiavari):
    obiettivo = Obiettivo.objects.filter(piano=chiavari).order_by("anno", "codice").first()
    Obiettivo.objects.filter(pk=obiettivo.pk).update(stato=S.RENDICONTATO)

    def cambia(wb):
        ws = wb["Indicatori"]
        ws.cell(2, _colonna(ws, "Livello finale atteso (valore)")).value = 42

    dati = _modifica(chiavari, cambia)
    esito = importa(
        chiavari,
        dati,
        motivazione="x",
        utente=utente(chiavari.comune, Ruolo.Tipo.SEGRETERIA, username="xls-s2"),
    )
    assert not esito.salvato and "non si può più modificare" in str(esito.errori[0])


def test_file_non_excel(in_bozza):
    _rifiuto(in_bozza, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "non è un file Excel (.xlsx)")


def test_file_troppo_grande(in_bozza, settings):
    settings.EXCEL_IMPORT_MAX_MB = 1
    dati = _esporta(in_bozza) + b"\0" * (1024 * 1024)
    _rifiuto(in_bozza, dati, "Il file è troppo grande")


def test_righe_di_un_obiettivo_assente(in_bozza):
    def cambia(wb):
        wb["Fasi"].append(["XX - 9", 2019, 1, 100, "Fase orfana"])

    _rifiuto(in_bozza, _modifica(in_bozza, cambia), "l'obiettivo XX - 9 (2019) non è nel foglio")


# -- pages ---------------------------------------------------------------------


def test_pagine_segreteria(client, chiavari):
    comune = chiavari.comune
    client.force_login(utente(comune, Ruolo.Tipo.SEGRETERIA))
    url = reverse("excel_esporta", args=[comune.slug, chiavari.pk])
    risposta = client.get(url, {"anno": 2019})
    assert risposta.status_code == 200
    assert risposta["Content-Type"].startswith("application/vnd.openxmlformats")
    assert _scaricato(risposta) == _esporta(chiavari, anno=2019)
    modello = client.get(reverse("excel_modello", args=[comune.slug, chiavari.pk]))
    assert _scaricato(modello) == excel.cartella()
    pagina = client.get(reverse("piano", args=[comune.slug, chiavari.pk]))
    assert "Importa da Excel" in pagina.content.decode()

    importa_url = reverse("excel_importa", args=[comune.slug, chiavari.pk])
    assert client.get(importa_url).status_code == 200
    _in_bozza(chiavari)
    wb = _cartella(_esporta(chiavari))
    ws = wb["Indicatori"]
    ws.cell(2, _colonna(ws, "Livello finale atteso (valore)")).value = 5
    file = io.BytesIO(_salva(wb))
    file.name = "piano.xlsx"
    prima = _fotografia(chiavari)
    verifica = client.post(importa_url, {"file": file, "solo_verifica": "1"})
    assert "Verifica superata" in verifica.content.decode()
    assert _fotografia(chiavari) == prima
    file.seek(0)
    fatto = client.post(importa_url, {"file": file})
    assert "Importazione completata" in fatto.content.decode()
    assert _fotografia(chiavari) != prima

    ws.cell(7, _colonna(ws, "Peso")).value = "dieci"
    errato = io.BytesIO(_salva(wb))
    errato.name = "piano.xlsx"
    risposta = client.post(importa_url, {"file": errato})
    assert risposta.status_code == 400
    testo = risposta.content.decode()
    assert "non è stato salvato nulla" in testo and "&quot;dieci&quot; non è un numero." in testo


def test_pagina_file_mancante_o_troppo_grande(client, chiavari, settings):
    """The page says it with the same words as the import (one limit, one message)."""
    comune = chiavari.comune
    client.force_login(utente(comune, Ruolo.Tipo.SEGRETERIA))
    importa_url = reverse("excel_importa", args=[comune.slug, chiavari.pk])
    prima = _fotografia(chiavari)
    assert "Scegli il file Excel da importare." in client.post(importa_url, {}).content.decode()
    settings.EXCEL_IMPORT_MAX_MB = 0
    file = io.BytesIO(_esporta(chiavari))
    file.name = "piano.xlsx"
    testo = client.post(importa_url, {"file": file}).content.decode()
    assert "Il file è troppo grande (" in testo and "il limite è 0 MB." in testo
    assert _fotografia(chiavari) == prima


def test_permessi(client, chiavari):
    comune = chiavari.comune
    settore = comune.settori.get()
    altro = SettoreFactory(comune=comune, nome="Settore altrui")
    bozza_altrui = Obiettivo.objects.filter(piano=chiavari).first()
    bozza_altrui.settore, bozza_altrui.stato = altro, S.BOZZA
    bozza_altrui.save()
    client.force_login(utente(comune, Ruolo.Tipo.RESPONSABILE, [settore]))
    importa_url = reverse("excel_importa", args=[comune.slug, chiavari.pk])
    assert client.get(importa_url).status_code == 403
    assert client.post(importa_url).status_code == 403
    pagina = client.get(reverse("piano", args=[comune.slug, chiavari.pk])).content.decode()
    assert "Esporta Excel" in pagina and "Importa da Excel" not in pagina
    # a responsabile gets only what he may see: not another settore's drafts
    risposta = client.get(reverse("excel_esporta", args=[comune.slug, chiavari.pk]))
    codici = {(r[0], r[1]) for r in _valori(_scaricato(risposta))["Obiettivi"][1:]}
    assert (bozza_altrui.codice, bozza_altrui.anno) not in codici
    assert len(codici) == Obiettivo.objects.filter(piano=chiavari).count() - 1

    estraneo = ComuneFactory(slug="altro")
    client.force_login(utente(estraneo, Ruolo.Tipo.SEGRETERIA))
    for nome in ("excel_esporta", "excel_modello", "excel_importa"):
        assert client.get(reverse(nome, args=[comune.slug, chiavari.pk])).status_code == 404


# -- commands --------------------------------------------------------------------


def test_comandi(chiavari, tmp_path, capsys):
    file = tmp_path / "piano.xlsx"
    call_command("esporta_excel", "--comune", "chiavari", "--anno", "2019", "-o", str(file))
    assert file.read_bytes() == _esporta(chiavari, anno=2019)
    call_command(
        "esporta_excel",
        "--comune",
        "chiavari",
        "--anno",
        "2019",
        "--settore",
        "VI",
        "-o",
        str(tmp_path / "settore.xlsx"),
    )
    out = io.StringIO()
    call_command("importa_excel", "--comune", "chiavari", str(file), "--dry-run", stdout=out)
    assert "Verifica superata" in out.getvalue()
    call_command("importa_excel", "--comune", "chiavari", str(file), stdout=out)
    assert "Importate" in out.getvalue()

    wb = _cartella(file.read_bytes())
    ws = wb["Indicatori"]
    ws.cell(7, _colonna(ws, "Peso")).value = "dieci"
    errato = tmp_path / "errato.xlsx"
    errato.write_bytes(_salva(wb))
    err = io.StringIO()
    prima = _fotografia(chiavari)
    with pytest.raises(SystemExit) as uscita:
        call_command("importa_excel", "--comune", "chiavari", str(errato), stderr=err)
    assert uscita.value.code == 2
    assert 'Indicatori, riga 7, colonna «Peso»: "dieci" non è un numero.' in err.getvalue()
    assert _fotografia(chiavari) == prima

    pdf = tmp_path / "finto.xlsx"
    pdf.write_bytes(b"%PDF-1.4 finto")
    with pytest.raises(SystemExit) as uscita:
        call_command("importa_excel", "--comune", "chiavari", str(pdf), stderr=err)
    assert uscita.value.code == 2
    assert "non è un file Excel" in err.getvalue()


def test_testo_che_inizia_con_uguale_resta_testo(in_bozza):
    """No formula (or DDE) injection in the export, and the text reads back the same."""
    indicatore = Indicatore.objects.filter(obiettivo__piano=in_bozza).order_by("pk").first()
    Indicatore.objects.filter(pk=indicatore.pk).update(formula='=HYPERLINK("http://x","y")')
    dati = _esporta(in_bozza)
    ws = load_workbook(io.BytesIO(dati))["Indicatori"]
    celle = [
        c
        for riga in ws.iter_rows(min_row=2)
        for c in riga
        if c.value == '=HYPERLINK("http://x","y")'
    ]
    assert celle and all(c.data_type == "s" for c in celle)
    esito = importa(in_bozza, dati)
    assert esito.ok, [str(e) for e in esito.errori]
    indicatore.refresh_from_db()
    assert indicatore.formula == '=HYPERLINK("http://x","y")'


def test_riepilogo_prima_e_dopo(client, in_bozza, tmp_path):
    """Before confirming, the page says what changes on each scheda, with the values
    before and after in Italian format; the variazione records the same lines."""
    indicatore = (
        Indicatore.objects.filter(obiettivo__piano=in_bozza, peso__isnull=False)
        .order_by("obiettivo__anno", "obiettivo__codice", "numero")
        .first()
    )
    obiettivo = indicatore.obiettivo
    riga = next(
        r
        for r, valori in enumerate(_valori(_esporta(in_bozza))["Indicatori"], start=1)
        if valori[:3] == [obiettivo.codice, obiettivo.anno, indicatore.numero]
    )
    prima_valore = indicatore.valore_atteso

    def cambia(wb):
        ws = wb["Indicatori"]
        ws.cell(riga, _colonna(ws, "Livello finale atteso (valore)")).value = "1.234,5"
        ws.cell(riga, _colonna(ws, "Livello finale alla data")).value = "15/11/2019"
        ws.cell(riga, _colonna(ws, "Denominazione")).value = "Nuovo nome"

    dati = _modifica(in_bozza, cambia)
    comune = in_bozza.comune
    client.force_login(utente(comune, Ruolo.Tipo.SEGRETERIA, username="xls-riepilogo"))
    file = io.BytesIO(dati)
    file.name = "piano.xlsx"
    url = reverse("excel_importa", args=[comune.slug, in_bozza.pk])
    prima = _fotografia(in_bozza)
    pagina = client.post(url, {"file": file, "solo_verifica": "1"}).content.decode()
    assert _fotografia(in_bozza) == prima
    etichetta = f"{obiettivo.codice} ({obiettivo.anno})"

    valore = numero_compatto(prima_valore) or "—"
    data = data_lunga(indicatore.data_attesa) or "—"
    nome = indicatore.denominazione
    nome = nome if len(nome) <= 60 else nome[:57] + "…"  # long texts are cut
    parti = [
        f"Indicatore {indicatore.numero}: Denominazione: «{nome}» → «Nuovo nome»",
        f"Livello finale atteso (valore target): {valore} → 1.234,5",
        f"Livello finale alla data: {data} → 15 novembre 2019",
    ]
    assert etichetta in pagina
    assert all(html.escape(p) in pagina for p in parti), pagina[pagina.find("Cosa cambia") :]
    esito = importa(in_bozza, dati, solo_verifica=True)
    ((scheda, (riga,)),) = esito.cambi.items()
    assert scheda == etichetta and all(p in riga for p in parti), riga
    file = tmp_path / "piano.xlsx"
    file.write_bytes(dati)
    out = io.StringIO()
    call_command("importa_excel", "--comune", comune.slug, str(file), "--dry-run", stdout=out)
    assert f"{etichetta}:\n  - {riga}" in out.getvalue()

    # an approved scheda: the variazione records the same lines
    Obiettivo.objects.filter(pk=obiettivo.pk).update(stato=S.APPROVATO)
    segreteria = utente(comune, Ruolo.Tipo.SEGRETERIA, username="xls-riepilogo-2")
    esito = importa(in_bozza, dati, motivazione="Target rivisto", utente=segreteria)
    assert esito.salvato, [str(e) for e in esito.errori]
    assert obiettivo.variazioni.get().riepilogo == riga
