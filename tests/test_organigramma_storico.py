"""The organigramma as each piano approved it (``peg.organigramma_piano``): a settore
renamed, with new materie and a new responsabile, after the approval leaves the piano's
prints (scheda, settore book, relazione, Excel) as they were; a piano in bozza prints
the organigramma of today; the data migration photographs the piani already approved."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils.html import escape
from openpyxl import load_workbook

from objectives.models import Obiettivo
from objectives.modifiche import approva_piano
from peg.models import Piano, Ruolo, Settore, SettoreDelPiano
from peg.organigramma_piano import (
    come_nel_piano,
    fissa_organigramma,
    organigramma_del_piano,
    riempi_piani_approvati,
)
from reporting import excel, libri
from reporting.excel_import import importa
from reporting.modelli.scelta import PIANO, RENDICONTAZIONE, scegli
from reporting.relazione import relazione

from . import fedelta
from .factories import (
    ComuneFactory,
    ObiettivoFactory,
    PersonaFactory,
    PianoFactory,
    SettoreFactory,
)
from .utenti import utente

pytestmark = pytest.mark.django_db
T = Ruolo.Tipo

PRIMA = {
    "codice": "III",
    "nome": "Servizi alla persona",
    "descrizione": "Servizi sociali, Pubblica istruzione",
    "responsabili_testo": "Dott.ssa Anna Rossi",
}
DOPO = {
    "codice": "VII",
    "nome": "Area welfare e comunità",
    "descrizione": "Welfare di comunità",
    "responsabili_testo": "Ing. Carlo Verdi",
}


class Scena:
    def __init__(self, responsabili_testo: str = PRIMA["responsabili_testo"]):
        self.comune = ComuneFactory()
        self.segreteria = utente(self.comune, T.SEGRETERIA)
        self.rossi = PersonaFactory(comune=self.comune, nome="Rossi Anna")
        self.settore = SettoreFactory(
            comune=self.comune,
            **(PRIMA | {"responsabili_testo": responsabili_testo}),
            responsabili=[self.rossi],
        )
        self.piano = PianoFactory(comune=self.comune, bozza=True, anno_inizio=2019, anno_fine=2019)
        self.scheda = ObiettivoFactory(
            piano=self.piano, settore=self.settore, proposto=True, con_indicatori=True
        )

    def approva(self):
        approva_piano(self.piano, self.segreteria, "45", datetime.date(2019, 3, 28))
        self.piano.refresh_from_db()

    def riorganizza(self, **campi):
        """The 2021 reorganisation: the settore renamed, its materie and responsabile
        changed (printed text and linked persona)."""
        settore = Settore.objects.get(pk=self.settore.pk)
        for campo, valore in (DOPO | campi).items():
            setattr(settore, campo, valore)
        settore.save()
        settore.responsabili.set([PersonaFactory(comune=self.comune, nome="Verdi Carlo")])

    def schede(self):
        return Obiettivo.objects.filter(piano=self.piano).order_by("pk")


@pytest.fixture
def scena():
    return Scena()


def _testo(pdf: bytes, tmp_path) -> str:
    file = tmp_path / "stampa.pdf"
    file.write_bytes(pdf)
    return " ".join(fedelta.testo_pdf(file).split())


def _foglio(dati: bytes, nome: str) -> list[dict]:
    righe = list(load_workbook(io.BytesIO(dati), read_only=True)[nome].values)
    return [dict(zip(righe[0], r, strict=True)) for r in righe[1:]]


def _mostra(testo: str, valori: dict, *chiavi) -> bool:
    return all(valori[c] in testo for c in chiavi)


# -- When it is fixed ------------------------------------------------------------------


def test_l_approvazione_fotografa_ogni_settore_del_comune(scena):
    altro = SettoreFactory(comune=scena.comune, codice="IV", nome="Lavori pubblici")
    assert not SettoreDelPiano.objects.exists()  # the bozza has none
    scena.approva()
    righe = {r.settore_id: r for r in SettoreDelPiano.objects.filter(piano=scena.piano)}
    assert set(righe) == {scena.settore.pk, altro.pk}
    foto = righe[scena.settore.pk]
    assert {c: getattr(foto, c) for c in PRIMA} == PRIMA
    assert foto.responsabili == "Rossi Anna"
    # A later save of the approved piano does not photograph again.
    scena.riorganizza()
    Piano.objects.get(pk=scena.piano.pk).save()
    assert SettoreDelPiano.objects.get(pk=foto.pk).nome == PRIMA["nome"]


def test_tornato_in_bozza_dimentica_e_alla_nuova_approvazione_rifotografa(scena):
    scena.approva()
    scena.riorganizza()
    scena.piano.stato = Piano.Stato.BOZZA
    scena.piano.save()
    assert not SettoreDelPiano.objects.filter(piano=scena.piano).exists()
    scena.piano.stato = Piano.Stato.APPROVATO
    scena.piano.save()
    assert SettoreDelPiano.objects.get(piano=scena.piano).nome == DOPO["nome"]


def test_la_migrazione_riempie_i_piani_gia_approvati_con_i_valori_di_oggi(scena):
    approvato = PianoFactory(comune=scena.comune, titolo="PEG 2018", anno_inizio=2018)
    SettoreDelPiano.objects.all().delete()  # as before the migration
    scena.riorganizza()
    assert riempi_piani_approvati(Piano, Settore, SettoreDelPiano) == 1
    foto = SettoreDelPiano.objects.get()
    assert (foto.piano_id, foto.settore_id) == (approvato.pk, scena.settore.pk)
    assert {c: getattr(foto, c) for c in DOPO} == DOPO
    assert foto.responsabili == "Verdi Carlo"
    # The piano in bozza keeps reading the settori as they are; a second run adds nothing.
    assert riempi_piani_approvati(Piano, Settore, SettoreDelPiano) == 0


def test_i_piani_demo_approvati_hanno_il_loro_organigramma(demo):
    comune = demo("soresina")
    piano = comune.piani.get()
    assert piano.stato != Piano.Stato.BOZZA
    voci = organigramma_del_piano(piano)
    settori = list(comune.settori.all())
    assert settori and set(voci) == {s.pk for s in settori}
    for s in settori:
        assert voci[s.pk].fissata
        assert (voci[s.pk].nome, voci[s.pk].descrizione) == (s.nome, s.descrizione)


# -- What the prints show --------------------------------------------------------------


def test_la_scheda_approvata_si_stampa_com_era(scena, tmp_path):
    scena.approva()
    scena.riorganizza()
    testo = _testo(libri.pdf_schede(scena.schede()), tmp_path)
    assert _mostra(testo, PRIMA, "nome", "responsabili_testo"), testo
    assert DOPO["nome"] not in testo and DOPO["responsabili_testo"] not in testo


def test_in_bozza_la_scheda_mostra_l_organigramma_di_oggi(scena, tmp_path):
    scena.riorganizza()
    testo = _testo(libri.pdf_schede(scena.schede()), tmp_path)
    assert _mostra(testo, DOPO, "nome", "responsabili_testo"), testo
    assert PRIMA["nome"] not in testo


@pytest.mark.parametrize("approvato", [True, False], ids=["approvato", "bozza"])
def test_il_libro_del_settore_con_materie_e_responsabile(scena, tmp_path, approvato):
    scegli(scena.piano, PIANO, predefinito="soresina")  # prints the materie and responsabile
    if approvato:
        scena.approva()
    scena.riorganizza()
    settore = Settore.objects.get(pk=scena.settore.pk)
    testo = _testo(libri.pdf_settore(scena.piano, settore, 2019), tmp_path)
    atteso, superato = (PRIMA, DOPO) if approvato else (DOPO, PRIMA)
    assert _mostra(testo, atteso, "descrizione", "responsabili_testo"), testo
    assert superato["descrizione"] not in testo
    assert superato["responsabili_testo"] not in testo


def test_il_responsabile_collegato_resta_quello_dell_approvazione(tmp_path):
    """A settore without a printed responsabile prints the linked persone's names
    (Seregno's model): those of the approval."""
    scena = Scena(responsabili_testo="")
    scegli(scena.piano, PIANO, predefinito="seregno")
    scena.approva()
    scena.riorganizza(responsabili_testo="")
    settore = Settore.objects.get(pk=scena.settore.pk)
    testo = _testo(libri.pdf_settore(scena.piano, settore, 2019), tmp_path)
    assert "Rossi Anna" in testo and "Verdi Carlo" not in testo, testo
    assert PRIMA["nome"] in testo


def test_il_libro_del_piano_e_il_settore_vuoto(scena, tmp_path):
    """The whole piano's book (cinisello's rendicontazione prints codice and name), and
    a settore book without schede this year: the opening alone, as approved."""
    scegli(scena.piano, RENDICONTAZIONE, predefinito="cinisello")
    scena.approva()
    scena.riorganizza()
    testo = _testo(libri.pdf_piano(scena.piano, 2019, rendicontazione=True, processi=1), tmp_path)
    assert f"{PRIMA['codice']} {PRIMA['nome']}" in testo, testo
    assert DOPO["nome"] not in testo
    scegli(scena.piano, PIANO, predefinito="soresina")
    settore = Settore.objects.get(pk=scena.settore.pk)
    vuoto = libri.pdf_settore(scena.piano, settore, 2019, visibili=Obiettivo.objects.none())
    testo = _testo(vuoto, tmp_path)
    assert PRIMA["descrizione"] in testo and DOPO["descrizione"] not in testo, testo


def test_la_relazione_approvata_nomina_settore_e_responsabile_di_allora(scena, tmp_path):
    scena.approva()
    scena.riorganizza()
    (sezione,) = relazione(scena.piano, 2019).settori
    assert sezione.titolo == f"{PRIMA['codice']} {PRIMA['nome']}"
    assert sezione.responsabili == PRIMA["responsabili_testo"]
    testo = _testo(libri.pdf_relazione(scena.piano, 2019), tmp_path)
    assert PRIMA["nome"] in testo and DOPO["nome"] not in testo, testo


def test_la_relazione_in_bozza_e_quella_di_oggi(scena):
    scena.riorganizza()
    (sezione,) = relazione(scena.piano, 2019).settori
    assert sezione.titolo == f"{DOPO['codice']} {DOPO['nome']}"
    assert sezione.responsabili == DOPO["responsabili_testo"]


@pytest.mark.parametrize("approvato", [True, False], ids=["approvato", "bozza"])
def test_l_excel_scrive_il_settore_del_piano(scena, approvato):
    if approvato:
        scena.approva()
    scena.riorganizza()
    dati = excel.cartella(scena.schede())
    atteso = PRIMA if approvato else DOPO
    (obiettivo,) = _foglio(dati, "Obiettivi")
    assert (obiettivo["Codice settore"], obiettivo["Settore"]) == (atteso["codice"], atteso["nome"])
    assert {r["Settore"] for r in _foglio(dati, "Risultati")} == {atteso["nome"]}


def test_il_file_esportato_dopo_la_riorganizzazione_si_rilegge(scena):
    """The export of an approved piano names the settore as approved: read back, it is
    the same settore (not «sconosciuto»), and nothing changes."""
    scena.approva()
    scena.riorganizza()
    esito = importa(scena.piano, excel.cartella(scena.schede()), solo_verifica=True)
    assert esito.ok, [str(e) for e in esito.errori]
    assert not esito.aggiornati and len(esito.invariati) == 1


def test_un_settore_nato_dopo_l_approvazione_si_legge_com_e(scena):
    scena.approva()
    nuovo = SettoreFactory(comune=scena.comune, codice="IX", nome="Transizione digitale")
    voci = organigramma_del_piano(scena.piano)
    assert voci[scena.settore.pk].fissata and not voci[nuovo.pk].fissata
    assert voci[nuovo.pk].nome == "Transizione digitale"
    # An explicit fix (the demo loader's) adds it; the photographed ones stay.
    scena.riorganizza()
    assert fissa_organigramma(scena.piano) == 1
    assert organigramma_del_piano(scena.piano)[scena.settore.pk].nome == PRIMA["nome"]


# -- Guards and cost -------------------------------------------------------------------


def test_un_settore_con_i_valori_del_piano_non_si_salva(scena):
    scena.approva()
    scena.riorganizza()
    settore = Settore.objects.get(pk=scena.settore.pk)
    come_nel_piano(scena.piano, [settore])
    assert settore.nome == PRIMA["nome"]
    with pytest.raises(ValueError, match="valori fissati da un piano"):
        settore.save()
    assert Settore.objects.get(pk=settore.pk).nome == DOPO["nome"]


def test_una_query_qualunque_il_numero_dei_settori(scena, django_assert_num_queries):
    for n in range(5):
        SettoreFactory(comune=scena.comune, codice=f"S{n}", nome=f"Settore {n}")
    settori = list(Settore.objects.filter(comune=scena.comune))
    with django_assert_num_queries(0):
        assert come_nel_piano(scena.piano, settori) == {}  # bozza: as they are
    scena.approva()
    with django_assert_num_queries(1):
        assert len(come_nel_piano(scena.piano, settori)) == 6
    with django_assert_num_queries(2):  # the photograph, the settori not in it (none)
        assert len(organigramma_del_piano(scena.piano)) == 6


# -- The piano's pages -----------------------------------------------------------------


def _pagine(scena) -> list[str]:
    slug, piano, settore = scena.comune.slug, scena.piano.pk, scena.settore.pk
    return [
        reverse("piano", args=[slug, piano]),
        reverse("piano_settore", args=[slug, piano, settore]),
        reverse("cruscotto", args=[slug, piano]) + "?anno=2019",
        reverse("cruscotto_settore", args=[slug, piano, settore]) + "?anno=2019",
        reverse("relazione", args=[slug, piano]) + "?anno=2019",
        reverse("relazione_settore", args=[slug, piano, settore]) + "?anno=2019",
    ]


@pytest.mark.parametrize("approvato", [True, False], ids=["approvato", "bozza"])
def test_le_pagine_del_piano_mostrano_il_suo_organigramma(client, scena, approvato):
    if approvato:
        scena.approva()
    scena.riorganizza()
    atteso, superato = (PRIMA, DOPO) if approvato else (DOPO, PRIMA)
    client.force_login(scena.segreteria)
    for url in _pagine(scena):
        risposta = client.get(url)
        assert risposta.status_code == 200, url
        html = risposta.content.decode()
        assert escape(atteso["nome"]) in html, url
        assert escape(superato["nome"]) not in html, url
