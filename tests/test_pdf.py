"""PDF exports: scheda, rendicontazione, settore book, whole piano, relazione, command."""

import base64
import io
import re
from decimal import Decimal as D

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from objectives.models import Obiettivo
from peg.models import Piano, Ruolo
from reporting import libri
from tests.factories import (
    FaseFactory,
    IndicatoreFactory,
    ObiettivoFactory,
    PianoFactory,
    RuoloFactory,
    SettoreFactory,
    UserFactory,
)

S = Obiettivo.Stato


def pagine(pdf: bytes) -> list[str]:
    """The text of each page, whitespace collapsed (table cells wrap)."""
    reader = PdfReader(io.BytesIO(pdf))
    return [re.sub(r"\s+", " ", p.extract_text() or "") for p in reader.pages]


def estrai(pdf: bytes) -> str:
    return " ".join(pagine(pdf))


def _scheda(comune_slug, codice, anno=2019):
    return Obiettivo.objects.get(piano__comune__slug=comune_slug, codice=codice, anno=anno)


@pytest.fixture
def chiavari(demo):
    return demo("chiavari")


@pytest.mark.django_db
def test_scheda_chiavari_come_il_documento(chiavari):
    o = _scheda("chiavari", "VI - 1")
    pdf = libri.pdf_schede(Obiettivo.objects.filter(pk=o.pk), rendicontazione=False)
    t = estrai(pdf)
    n = len(pagine(pdf))
    for atteso in (
        "ANNI",
        "2019-2020",
        "Codice obiettivo",
        "VI - 1",
        "Riferimento DUP",
        'PROGETTO "LE STORIE" PER ADOLESCENTI E FAMIGLIE',
        "Unità organizzativa responsabile",
        "Dott.ssa Maura Meschi",
        "☐ ANNUALE",
        "☒ PLURIENNALE",
        "Risultato atteso",
        "Ambiti della performance organizzativa",
        "Raggiungimento degli obiettivi di promozione delle pari opportunità",
        "Strategicità",
        "Tipologia",
        "N°",
        "PESO",
        "DENOMINAZIONE",
        "FORMULA DI CALCOLO",
        "LIVELLO INTERMEDIO",
        "LIVELLO FINALE",
        "ATTESO",
        "ALLA DATA",
        "GRADUAZIONE CONSEGUIMENTO",
        "30,00%",
        "30 settembre 2019",
        "100,00% OK",  # the weights' total and OK under each table, as the document
        "Piano operativo",
        "SUB-OBIETTIVO / ATTIVITÀ",
        "TEMPI",
        "LIVELLO ATTESO",
        "RAGGIUNTO",
        f"pagina 1 di {n}",
    ):
        assert atteso in t, atteso
    assert "BOZZA" not in t  # approvato
    # Nothing the document does not have: no resources table, no print date, no page header.
    for assente in ("Risorse finanziarie", "TOTALE", "Stampato il", "Comune di Chiavari"):
        assert assente not in t, assente


@pytest.mark.django_db
def test_bozza_ha_la_filigrana(chiavari):
    o = _scheda("chiavari", "VI - 1")
    qs = Obiettivo.objects.filter(pk=o.pk)
    Obiettivo.objects.filter(pk=o.pk).update(stato=S.BOZZA)
    assert "BOZZA" in estrai(libri.pdf_schede(qs))
    Obiettivo.objects.filter(pk=o.pk).update(stato=S.PROPOSTO)
    assert "BOZZA" in estrai(libri.pdf_schede(qs))


@pytest.mark.django_db
def test_stesso_contenuto_stesso_pdf(chiavari):
    qs = Obiettivo.objects.filter(pk=_scheda("chiavari", "VI - 1").pk)
    primo, secondo = libri.pdf_schede(qs), libri.pdf_schede(qs)
    assert estrai(primo) == estrai(secondo)
    assert primo == secondo  # no creation time, no random ids


@pytest.mark.django_db
def test_rendicontazione_seregno(demo):
    """Seregno's scheda as its document (seed 003) prints it: its blocks, labels and order."""
    demo("seregno")
    o = _scheda("seregno", "Ob_Obiet050501")
    qs = Obiettivo.objects.filter(pk=o.pk)
    t = estrai(libri.pdf_schede(qs, rendicontazione=True))
    attesi = (
        "LINEA STRATEGICA: 1. SCELGO SEREGNO: DALLA PARTE DELLE PERSONE",
        "AZIONE STRATEGICA: 1.2 Proteggere",
        "Missione D.Lgs 118/2011.: Diritti sociali, politiche sociali e famiglia",
        "Programma D.Lgs 118/2011.: Interventi per la disabilità",
        "OBIETTIVO OPERATIVO: GARANTIRE GLI INTERVENTI EDUCATIVI",
        "CdC Associato: 4-Assistenza educativa e assistenza domiciliare handicap",
        "RESPONSABILE: PACCHETTI LUIGI STEFANO",
        "Indirizzi del Documento Unico di Programmazione",
        "Definizione dell'Obiettivo Operativo",
        "presso l'asilo nido. RISULTATO ATTESO: Nuovo contratto d'appalto",
        "INFORMAZIONI TEMPORALI",
        "Data Inizio Prev.: 01-01-2019",
        "CONDIZIONE:",
        "DESCRIZIONE FASI",
        "Data Inizio Effet.",
        "FASE 1: Conclusione della stesura del capitolato",
        "INDICATORI DI PERFORMANCE",
        "Scheda Obiettivo Gestionale",
        "Codice Attività",
        "Valore Target",
        "1° Rilevazione",
        "Valore Raggiunto",
        "% Ragg.",
        "95,00%",
        "Budget risorse umane",
        "Categoria Matricola Cognome Nome",
        "51 - FERRARIO MARIA CLARA",
        "Budget risorse strumentali",
        "Spazi a disposizione",
        "Dotazione informatica",
        "€10.842.960,00",
        "€4.036.740,00",
        "Budget risorse finanziarie - Entrate Previste",
        "Budget risorse finanziarie - Entrate Effettive",
        "Budget risorse finanziarie - Spese Previste",
        "Budget risorse finanziarie - Spese Effettive",
        "Monitoraggio",
        "La Centrale Unica di Committenza",
        "NOTE",
    )
    for atteso in attesi:
        assert atteso in t, atteso
    ordine = [t.index(a) for a in attesi if a.isupper() or a.startswith("Budget")]
    assert ordine == sorted(ordine)  # the document's order
    # The fasi's dates: the INFORMAZIONI TEMPORALI's two and the DESCRIZIONE FASI row's two.
    assert t.count("31-12-2019") == 4
    # Cinisello's title, diagnostics, scores and totals are not in the document.
    for assente in (
        "SCHEDA PEG",
        "Conseguimento",
        "Validato",
        "pesi non indicati",
        "non rilevato",
        "TOTALE",
        "pagina 1 di",
    ):
        assert assente not in t, assente
    # The publishable variant leaves the staff out, and only that.
    piano = Piano.objects.get(comune__slug="seregno")
    modelli = libri.modelli_stampa(piano, pubblicabile=True)
    pubblico = estrai(libri.pdf_schede(qs, rendicontazione=True, modelli=modelli))
    for assente in ("Budget risorse umane", "Matricola", "FERRARIO", "SCIOTTI"):
        assert assente not in pubblico, assente
    for atteso in ("Budget risorse strumentali", "€10.842.960,00", "95,00%", "NOTE"):
        assert atteso in pubblico, atteso


@pytest.mark.django_db
def test_rendicontazione_cinisello_come_il_documento(demo):
    """Seed 004: the header, Tipo di Obiettivo, Collegato a (the DUP chain), STATO DI
    ATTUAZIONE and GANTT on the first page; FASI and INDICATORI on the next, under the
    repeated header; the two previous years' columns even without history."""
    demo("cinisello-balsamo")
    o = _scheda("cinisello-balsamo", "2019_S08_02")
    testi = pagine(libri.pdf_schede(Obiettivo.objects.filter(pk=o.pk), rendicontazione=True))
    assert len(testi) == 2, testi  # the Gantt sized by its content, not the page
    primo, secondo = testi
    intestazione = (
        "OBIETTIVO DI PEG",
        "2019_S08_02",
        "Area Tematica",
        "Assessorato",
        "Direzione",
        "Direttore",
        "Costruire modelli e procedure su temi socioeducativi con le scuole paritarie.",
        "Centro di responsabilità",
        "SETTORE POLITICHE SOCIALI ED EDUCATIVE",
        "Responsabile",
        "CONTI MARIO",
    )
    for atteso in intestazione:
        assert atteso in primo and atteso in secondo, atteso
    for atteso in (
        "Tipo di Obiettivo Gestionale",
        "Collegato a",
        "OBIETTIVO DI MANDATO: DUP_05 PERSONE E FAMIGLIA",
        "OBIETTIVO DI MISSIONE: DUP_05_0401 Valorizzare la scuola",
        "OBIETTIVO DI PROGRAMMA: DUP_05_0401_0101 Scelta educativa",
        "STATO DI ATTUAZIONE AL 31 DICEMBRE",
        "GANTT",
    ):
        assert atteso in primo and atteso not in secondo, atteso
    for atteso in (
        "FASI",
        "Avanz.",
        "Inizio Previsto",
        "Fine Effettiva",
        "Centro di Responsabilità",
        "SETT.POLITICHE SOCIALI ED EDUC",
        "01/01/2019",
        "22/07/2019",
        "INDICATORI",
        "Valore Atteso",
        "Valore Raggiunto 2018",
        "Valore Raggiunto 2017",
        "812,50",
    ):
        assert atteso in secondo and atteso not in primo, atteso
    tutto = primo + secondo
    for estraneo in ("Informazioni temporali", "non rilevato", "incompleto", "Validazione"):
        assert estraneo not in tutto, estraneo


@pytest.mark.django_db
def test_libro_cinisello_parametri_una_volta(demo):
    """The settore's book opens with the report's title and its parameters, once."""
    comune = demo("cinisello-balsamo")
    piano = Piano.objects.get(comune=comune)
    settore = piano.comune.settori.get(codice="08_S")
    primo = pagine(libri.pdf_settore(piano, settore, 2019, rendicontazione=True))[0]
    assert "SCHEDA PEG DI RENDICONTAZIONE Parametri selezionati:" in primo
    assert "Vista DUP_2019_2021 DUP 2019 2021" in primo
    assert "Livello OBIETTIVO DI PEG" in primo
    assert "Centro di Responsabilità 08_S SETTORE POLITICHE SOCIALI ED EDUCATIVE" in primo
    assert "2019_S08" not in primo  # the first scheda starts on the next page


@pytest.mark.django_db
def test_copia_cinisello_rinomina_e_nasconde(demo):
    """A copy of Cinisello's model prints its renamed section and columns and leaves out
    the hidden ones (the effective dates' row, a history year)."""
    from reporting.modelli import copie, scelta

    demo("cinisello-balsamo")
    o = _scheda("cinisello-balsamo", "2019_S08_07")
    modello = copie.copia(o.piano.comune, "Senza date effettive", da_predefinito="cinisello")
    dati = modello.versioni.first().dati
    for sezione in dati["sezioni"]:
        if sezione["tipo"] == "cinisello_indicatori":
            sezione["etichetta"] = "INDICATORI DI RISULTATO"
            sezione["colonne"] = {
                "raggiunto_1": {"etichetta": "Consuntivo {anno}"},
                "raggiunto_2": {"visibile": False},
            }
        if sezione["tipo"] == "cinisello_fasi":
            sezione["colonne"] = {
                "inizio_effettivo": {"visibile": False},
                "fine_effettiva": {"visibile": False},
            }
    copie.salva(modello, dati)
    scelta.scegli(o.piano, scelta.RENDICONTAZIONE, modello=modello)
    t = estrai(libri.pdf_schede(Obiettivo.objects.filter(pk=o.pk), rendicontazione=True))
    assert "INDICATORI DI RISULTATO" in t
    assert "Consuntivo 2018" in t and "84,00" in t  # 2018's value, under its new label
    assert "2017" not in t and "78,29" not in t
    assert "Inizio Previsto" in t and "Inizio Effettivo" not in t


def _valida(o):
    from django.utils import timezone

    from valutazione.models import PunteggioValidato, Validazione

    oiv = UserFactory(username="oiv-prova", first_name="Anna", last_name="Verdi")
    v = Validazione.objects.create(obiettivo=o, utente=oiv, quando=timezone.now(), note="Ok.")
    PunteggioValidato.objects.create(
        validazione=v, obiettivo=o, punteggio=D("55"), motivazione="Ritardo non giustificato"
    )
    Obiettivo.objects.filter(pk=o.pk).update(stato=S.VALIDATO)


@pytest.mark.django_db
def test_rendicontazione_validata_mostra_punteggio_e_motivazione(demo):
    """The OIV's validation is not in Cinisello's document: the built-in model leaves it
    out; a copy that turns the hidden section on prints it."""
    from reporting.modelli import copie, scelta

    demo("cinisello-balsamo")
    o = Obiettivo.objects.filter(piano__comune__slug="cinisello-balsamo").order_by("codice")[0]
    _valida(o)
    scheda = Obiettivo.objects.filter(pk=o.pk)
    t = estrai(libri.pdf_schede(scheda))
    assert "STATO DI ATTUAZIONE AL 31 DICEMBRE" in t  # printed as a rendicontazione
    assert "Validazione del Nucleo di valutazione" not in t
    assert "Ritardo non giustificato" not in t

    modello = copie.copia(o.piano.comune, "Con validazione", da_predefinito="cinisello")
    dati = modello.versioni.first().dati
    for sezione in dati["sezioni"]:
        if sezione["tipo"] == "validazione":
            sezione["visibile"] = True
    copie.salva(modello, dati)
    scelta.scegli(o.piano, scelta.RENDICONTAZIONE, modello=modello)
    t = estrai(libri.pdf_schede(scheda))
    assert "Validazione del Nucleo di valutazione" in t
    assert "Anna Verdi" in t
    assert "punteggio validato 55,00%" in t
    assert "Ritardo non giustificato" in t
    assert "Valore Raggiunto 2018" in t  # still Cinisello's scheda


def _pagina_nell_indice(testi: list[str], codice: str) -> int:
    """The page number the table of contents prints after a scheda's codice."""
    for testo in testi:
        riga = re.search(re.escape(codice) + r" – .*? (\d+)(?: |$)", testo)
        if riga:
            return int(riga.group(1))
    raise AssertionError(f"{codice} non è nell'indice")


def con_indice(piano):
    """The piano prints with a copy of Chiavari's model that also shows the book's cover,
    table of contents and scores, and Soresina's settore header: what the product offers
    beyond the documents, turned on by the segreteria."""
    from reporting.modelli import copie, scelta

    modello = copie.copia(piano.comune, "Con indice", da_predefinito="chiavari")
    dati = modello.versioni.first().dati
    for sezione in dati["sezioni"]:
        if sezione["tipo"] in ("copertina", "indice", "riepilogo"):
            sezione["visibile"] = True
    dati["sezioni"].insert(3, {"tipo": "soresina_settore"})
    dati["data_stampa"] = True
    copie.salva(modello, dati)
    for uso in scelta.USI:
        scelta.scegli(piano, uso, modello=modello)
    return piano


@pytest.mark.django_db
def test_libro_del_piano_indice_con_pagine(chiavari):
    piano = con_indice(Piano.objects.get(comune=chiavari))
    chiamate = []
    pdf = libri.pdf_piano(piano, 2019, avanzamento=lambda f, t: chiamate.append((f, t)))
    testi = pagine(pdf)
    n_schede = Obiettivo.objects.filter(piano=piano, anno=2019).count()
    assert chiamate[-1] == (n_schede, n_schede)
    assert "Indice" in testi[1]
    # The TOC line of VI - 2 ends with the page where its scheda starts.
    pagina = _pagina_nell_indice(testi, "VI - 2")
    assert "VI - 2" in testi[pagina - 1] and "Codice obiettivo" in testi[pagina - 1]
    assert "Riepilogo dei punteggi" in estrai(pdf)
    n = len(testi)
    assert f"pagina 1 di {n}" in testi[0] and f"pagina {n} di {n}" in testi[-1]
    # natural order of codici: VI - 2 comes before VI - 10
    assert testi[1].index("VI - 2 –") < testi[1].index("VI - 10 –")


@pytest.fixture
def piano_in_parti(monkeypatch):
    """Three settori (3, 1 and 2 schede), laid out in parts of at most 2 schede."""
    monkeypatch.setattr(libri, "SCHEDE_PER_PARTE", 2)
    piano = con_indice(PianoFactory(titolo="PEG a parti"))
    for codice, n, stato in (("I", 3, S.APPROVATO), ("II", 1, S.BOZZA), ("III", 2, S.APPROVATO)):
        settore = SettoreFactory(comune=piano.comune, codice=codice, nome=f"Settore {codice}")
        for k in range(1, n + 1):
            o = ObiettivoFactory(
                piano=piano, settore=settore, codice=f"{codice} - {k}", stato=stato
            )
            IndicatoreFactory(obiettivo=o, numero=1, peso=D(100))
            FaseFactory(obiettivo=o, numero=1, peso=D(100))
    return piano


@pytest.mark.django_db
def test_piano_impaginato_a_parti(piano_in_parti, monkeypatch):
    impaginati = []
    impagina = libri.impagina_in_file

    def spia(html, file):
        risultato = impagina(html, file)
        impaginati.append(risultato.pagine)
        return risultato

    monkeypatch.setattr(libri, "impagina_in_file", spia)
    chiamate = []
    pdf = libri.pdf_piano(piano_in_parti, 2019, avanzamento=lambda f, t: chiamate.append((f, t)))
    # I in 2 parts (2 + 1 schede), II, III: 4 parts, then the front matter (twice: once to
    # learn its own length, once with the final page numbers).
    assert len(impaginati) == 6
    # Progress after each part but the last, in schede; the end once the PDF is written.
    assert chiamate == [(2, 6), (3, 6), (4, 6), (6, 6)]
    testi = pagine(pdf)
    n = len(testi)
    assert n == sum(impaginati[:4]) + impaginati[-1]
    for numero, testo in enumerate(testi, 1):
        assert f"pagina {numero} di {n}" in testo, numero
        assert "Stampato il" in testo
    for codice in ("I - 1", "I - 2", "I - 3", "II - 1", "III - 1", "III - 2"):
        pagina = _pagina_nell_indice(testi, codice)
        assert f"Codice obiettivo: {codice} " in testi[pagina - 1], codice
        assert "Risultato atteso" in testi[pagina - 1]
    # The settore header opens its settore, the BOZZA watermark stays on its scheda.
    inizio_ii = _pagina_nell_indice(testi, "II - 1") - 1
    assert "RESPONSABILE DI PO" in testi[inizio_ii - 1] and "Settore II" in testi[inizio_ii - 1]
    assert "BOZZA" in testi[inizio_ii]
    assert "BOZZA" not in testi[_pagina_nell_indice(testi, "III - 1") - 1]
    assert "Riepilogo dei punteggi 2019" in estrai(pdf)


@pytest.mark.django_db
def test_piano_a_parti_indice_cliccabile_e_segnalibri(piano_in_parti):
    pdf = libri.pdf_piano(piano_in_parti, 2019)
    reader = PdfReader(io.BytesIO(pdf))
    testi = pagine(pdf)
    destinazioni = reader.named_destinations
    o = Obiettivo.objects.get(piano=piano_in_parti, codice="III - 2")
    pagina = reader.get_destination_page_number(destinazioni[f"scheda-{o.pk}"])
    assert pagina + 1 == _pagina_nell_indice(testi, "III - 2")
    collegamenti = [
        str(a.get_object()["/Dest"])
        for a in reader.pages[1].get("/Annots", [])
        if "/Dest" in a.get_object()
    ]
    assert f"scheda-{o.pk}" in collegamenti and "riepilogo" in collegamenti
    titoli = [getattr(voce, "title", None) for voce in reader.outline]
    assert titoli[:2] == ["PEG a parti", "Indice"]
    assert reader.metadata.title == "PEG a parti · 2019"


@pytest.mark.django_db
def test_piano_a_parti_stesso_contenuto_stesso_pdf(piano_in_parti):
    primo, secondo = libri.pdf_piano(piano_in_parti, 2019), libri.pdf_piano(piano_in_parti, 2019)
    assert pagine(primo) == pagine(secondo)
    assert primo == secondo


@pytest.mark.django_db
def test_piano_vuoto():
    piano = PianoFactory()
    chiamate = []
    testi = pagine(libri.pdf_piano(piano, 2019, avanzamento=lambda f, t: chiamate.append((f, t))))
    assert chiamate == [(0, 0)]
    assert f"pagina {len(testi)} di {len(testi)}" in testi[-1]
    assert "0 schede" in estrai(libri.pdf_piano(con_indice(piano), 2019))  # on the cover


@pytest.mark.django_db
def test_libro_settore_query_limitate():
    piano = PianoFactory()
    settore = SettoreFactory(comune=piano.comune)

    def crea(n):
        for k in range(n):
            o = ObiettivoFactory(piano=piano, settore=settore, codice=f"S - {k}-{n}", anno=2019)
            IndicatoreFactory(obiettivo=o, numero=1, peso=D(100))
            FaseFactory(obiettivo=o, numero=1, peso=D(100))

    def conta():
        with CaptureQueriesContext(connection) as q:
            libri.pdf_settore(piano, settore, 2019)
        return len(q)

    crea(1)
    uno = conta()
    crea(9)
    dieci = conta()
    assert dieci == uno


@pytest.mark.django_db
def test_relazione_pdf(demo):
    comune = demo("seregno")
    piano = Piano.objects.get(comune=comune)
    t = estrai(libri.pdf_relazione(piano, 2019))
    assert "Relazione sulla performance 2019" in t
    assert "Punteggi per settore" in t and "Obiettivi non raggiunti" in t


# Views and access


@pytest.fixture
def utenti(chiavari):
    segreteria = UserFactory(username="seg")
    RuoloFactory(utente=segreteria, comune=chiavari, tipo=Ruolo.Tipo.SEGRETERIA)
    return {"segreteria": segreteria}


@pytest.mark.django_db
def test_vista_scheda_pdf(client, chiavari, utenti):
    o = _scheda("chiavari", "VI - 1")
    client.force_login(utenti["segreteria"])
    r = client.get(reverse("pdf_scheda", args=["chiavari", o.pk]))
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"
    assert 'attachment; filename="scheda-VI-1-2019.pdf"' in r["Content-Disposition"]
    pdf = b"".join(r.streaming_content)
    assert "FORMULA DI CALCOLO" in estrai(pdf)
    r = client.get(reverse("pdf_rendicontazione", args=["chiavari", o.pk]))
    assert "rendicontazione-VI-1-2019.pdf" in r["Content-Disposition"]
    r = client.get(reverse("obiettivo", args=["chiavari", o.pk]))
    assert "Scarica PDF" in r.content.decode()


@pytest.mark.django_db
def test_altro_comune_404(client, demo):
    chiavari, seregno = demo("chiavari", "seregno")
    estraneo = UserFactory(username="estraneo")
    RuoloFactory(utente=estraneo, comune=seregno, tipo=Ruolo.Tipo.SEGRETERIA)
    client.force_login(estraneo)
    o = _scheda("chiavari", "VI - 1")
    piano = Piano.objects.get(comune=chiavari)
    settore = o.settore
    assert client.get(reverse("pdf_scheda", args=["chiavari", o.pk])).status_code == 404
    # Through Seregno's slug the id of a Chiavari scheda is not found either.
    assert client.get(reverse("pdf_scheda", args=["seregno", o.pk])).status_code == 404
    url = reverse("pdf_settore", args=["chiavari", piano.pk, settore.pk])
    assert client.get(url).status_code == 404
    assert client.get(reverse("pdf_relazione", args=["chiavari", piano.pk])).status_code == 404


@pytest.mark.django_db
def test_responsabile_non_vede_bozze_altrui(client):
    piano = PianoFactory()
    mio, altro = SettoreFactory(comune=piano.comune), SettoreFactory(comune=piano.comune)
    ObiettivoFactory(piano=piano, settore=altro, codice="ALTRO - 1", stato=S.APPROVATO)
    bozza = ObiettivoFactory(piano=piano, settore=altro, codice="BOZZA - 9", stato=S.BOZZA)
    ObiettivoFactory(piano=piano, settore=mio, codice="MIO - 1", stato=S.BOZZA)
    utente = UserFactory(username="resp")
    ruolo = RuoloFactory(utente=utente, comune=piano.comune, tipo=Ruolo.Tipo.RESPONSABILE)
    ruolo.settori.add(mio)
    client.force_login(utente)
    slug = piano.comune.slug
    assert client.get(reverse("pdf_scheda", args=[slug, bozza.pk])).status_code == 404
    r = client.get(reverse("pdf_settore", args=[slug, piano.pk, altro.pk]) + "?anno=2019")
    t = estrai(b"".join(r.streaming_content))
    assert "ALTRO - 1" in t and "BOZZA - 9" not in t
    r = client.get(reverse("pdf_settore", args=[slug, piano.pk, mio.pk]) + "?anno=2019")
    assert "MIO - 1" in estrai(b"".join(r.streaming_content))
    r = client.get(reverse("pdf_relazione", args=[slug, piano.pk]) + "?anno=2019")
    assert r.status_code == 200
    assert "BOZZA - 9" not in estrai(b"".join(r.streaming_content))


# Command


@pytest.mark.django_db
def test_comando_esporta_pdf(chiavari, tmp_path):
    out = tmp_path / "scheda.pdf"
    stdout = io.StringIO()
    call_command(
        "esporta_pdf", "--comune", "chiavari", "--anno", "2019", "--obiettivo", "VI - 1",
        "-o", str(out), stdout=stdout,
    )  # fmt: skip
    assert "Scritto" in stdout.getvalue()
    assert "VI - 1" in estrai(out.read_bytes())
    out = tmp_path / "settore.pdf"
    call_command(
        "esporta_pdf", "--comune", "chiavari", "--anno", "2019", "--settore", "VI",
        "-o", str(out), stdout=io.StringIO(),
    )  # fmt: skip
    assert "VI - 10" in estrai(out.read_bytes())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("argomenti", "messaggio"),
    [
        (["--comune", "atlantide"], "Comune «atlantide» inesistente"),
        (["--comune", "chiavari", "--settore", "Polizia"], "nessun settore corrisponde"),
        (["--comune", "chiavari", "--obiettivo", "ZZ - 9"], "nessuna scheda con codice"),
        (["--comune", "chiavari", "--settore", "Settore"], "indica più settori"),
    ],
)
def test_comando_errori(chiavari, tmp_path, argomenti, messaggio):
    SettoreFactory(comune=chiavari, codice="VII", nome="Settore VII - Cultura")
    with pytest.raises(CommandError, match=messaggio):
        call_command(
            "esporta_pdf", *argomenti, "--anno", "2019", "-o", str(tmp_path / "x.pdf"),
            stdout=io.StringIO(),
        )  # fmt: skip


@pytest.mark.django_db
def test_comando_exit_code(tmp_path, capsys):
    from reporting.management.commands.esporta_pdf import Command

    argv = ["manage.py", "esporta_pdf", "--comune", "atlantide", "--anno", "2019", "-o", "x.pdf"]
    with pytest.raises(SystemExit) as uscita:
        Command().run_from_argv(argv)
    assert uscita.value.code == 1
    assert "Comune «atlantide» inesistente" in capsys.readouterr().err


def test_the_pdf_engine_fetches_nothing_but_embedded_data(tmp_path):
    """No network and no local files, whatever a template (or a bug) writes."""
    from PIL import Image

    from reporting.pdf import html_to_pdf

    locale = tmp_path / "locale.png"
    Image.new("RGB", (4, 4), "red").save(locale)
    html = (
        f'<img src="{locale.as_uri()}"><a rel="attachment" href="{locale.as_uri()}">f</a>'
        '<img src="http://127.0.0.1:9/x.png">'
    )
    pagina = PdfReader(io.BytesIO(html_to_pdf(html))).pages[0]
    assert len(pagina.images) == 0
    assert not [
        a for a in pagina.get("/Annots") or [] if a.get_object()["/Subtype"] == "/FileAttachment"
    ]
    embedded = f'<img src="data:image/png;base64,{base64.b64encode(locale.read_bytes()).decode()}">'
    assert len(PdfReader(io.BytesIO(html_to_pdf(embedded))).pages[0].images) == 1


@pytest.mark.django_db
def test_chiavari_ambiti_in_due_colonne_e_nessuna_diagnostica(chiavari):
    """The ten ambiti as the document: 1-5 on the left, 6-10 on the right, row by row;
    weights that do not make 100% print their total, never a warning."""
    o = _scheda("chiavari", "VI - 1")
    o.indicatori.filter(numero=2).update(peso=None)  # a weight missing: was "pesi non indicati"
    t = estrai(libri.pdf_schede(Obiettivo.objects.filter(pk=o.pk), rendicontazione=False))
    prima_riga = t.index("bisogni della collettività")
    assert prima_riga < t.index("6 Efficienza nell'impiego") < t.index("2 Attuazione di piani")
    for diagnostica in ("pesi non indicati", "non rilevato", "incompleto", "KO", "nessun elemento"):
        assert diagnostica not in t, diagnostica
    assert "30,00%" in t  # the total of the weights given, without OK
    assert "100,00% OK" in t  # the piano operativo still adds up


@pytest.mark.django_db
def test_nessun_totale_da_solo_in_cima_a_una_pagina(chiavari):
    """Chiavari's "100,00% OK" under its table never opens a page on its own: the
    document prints it right under the table it adds up."""
    piano = Piano.objects.get(comune=chiavari)
    for testo in pagine(libri.pdf_piano(piano, 2019)):
        assert not re.match(r"\s*(100,00%|OK)\b", testo), testo[:80]


def _copia_con(piano, base, cambia):
    """The piano prints plan and rendicontazione with a copy of ``base`` changed by
    ``cambia(dati)``."""
    from reporting.modelli import copie, scelta

    modello = copie.copia(piano.comune, f"Copia di {base}", da_predefinito=base)
    dati = modello.versioni.first().dati
    cambia(dati)
    copie.salva(modello, dati)
    for uso in scelta.USI:
        scelta.scegli(piano, uso, modello=modello)


def _sezione(dati, tipo):
    return next(s for s in dati["sezioni"] if s["tipo"] == tipo)


@pytest.mark.django_db
def test_una_copia_stampa_le_sue_etichette_e_nasconde_davvero(chiavari):
    """What the model says, everywhere: the pesatura's terms renamed, a hidden PESO
    also hides the total under its table, an empty section printed as «—»."""
    o = _scheda("chiavari", "VI - 1")
    o.note = ""
    o.save(update_fields=["note"])

    def cambia(dati):
        _sezione(dati, "chiavari_pesatura")["colonne"]["strategicita"]["etichetta"] = "Rilievo"
        _sezione(dati, "chiavari_indicatori")["colonne"]["peso"]["visibile"] = False
        note = _sezione(dati, "chiavari_note")
        note.update(se_vuota="trattino", etichetta="Annotazioni")

    _copia_con(o.piano, "chiavari", cambia)
    t = estrai(libri.pdf_schede(Obiettivo.objects.filter(pk=o.pk), rendicontazione=False))
    assert "(Rilievo:" in t and "Strategicità" not in t
    assert "Annotazioni —" in t
    # Only the piano operativo keeps its PESO column and its total.
    assert t.count("100,00% OK") == 1


@pytest.mark.django_db
def test_matricola_nascosta_non_si_stampa_nemmeno_nel_nome(demo):
    demo("seregno")
    o = Obiettivo.objects.filter(piano__comune__slug="seregno").order_by("pk").first()

    def cambia(dati):
        _sezione(dati, "seregno_risorse_umane")["colonne"]["matricola"]["visibile"] = False

    _copia_con(o.piano, "seregno", cambia)
    t = estrai(libri.pdf_schede(Obiettivo.objects.filter(pk=o.pk), rendicontazione=True))
    assert "FERRARIO MARIA CLARA" in t and "51 - FERRARIO" not in t
