"""The built-in model *Piano degli obiettivi di settore (Soresina)* prints the Comune di
Soresina's PDO 2017 (seed 002) as the document: its title lines, the settore's header
table, each obiettivo's rows and indicators, RISORSE STANZIATE as one line with no total."""

from decimal import Decimal as D
from types import SimpleNamespace

import pytest

from objectives.models import Obiettivo, RisorsaFinanziaria
from peg.models import Piano
from reporting import libri
from reporting.modelli.predefiniti.soresina import risorse_stanziate
from tests.factories import RilevazioneFactory
from tests.test_pdf import estrai, pagine


@pytest.fixture
def soresina(demo):
    comune = demo("soresina")
    piano = Piano.objects.get(comune=comune)
    return piano, comune.settori.get()


def _scheda(codice):
    return Obiettivo.objects.get(piano__comune__slug="soresina", codice=codice, anno=2017)


@pytest.mark.django_db
def test_libro_del_settore_come_il_documento(soresina):
    piano, settore = soresina
    pdf = libri.pdf_settore(piano, settore, 2017)
    t = estrai(pdf)
    for atteso in (
        "COMUNE DI SORESINA",
        "PROVINCIA DI CREMONA",
        "AREA SOCIO EDUCATIVA, CULTURALE E ASSISTENZIALE",
        "PIANO DEGLI OBIETTIVI 2017",
        "SETTORE",
        "RESPONSABILE DI PO",
        "SERVIZI DEL SETTORE",
        "ADDETTO",
        "Servizi Sociali, Rapporti con",
        "Chiozzi Orsolina",
        "• Tutela minori",
        "DESCRIZIONE DELL'OBIETTIVO DA REALIZZARE - N 1",
        "Garantire il servizio di assistenza domiciliare ad anziani e disabili",
        "RIFERIMENTI D'ORIGINE: ISTITUZIONALE",
        "RIFERIMENTI D'ORIGINE: D'INIZIATIVA",
        "MODALITÀ DI REALIZZAZIONE: GESTIONE DEL SERVIZIO MEDIANTE SISTEMA VOUCHER",
        "SERVIZI COINVOLTI: TECNICO",
        "RISORSE STANZIATE: CAP. 448902 € 23.000,00; CAP. 461000 € 500,00",
        "CAPITOLI: 163000 € 1.000; 173000 € 1.000;",
        "DESCRIZIONE DEGLI INDICATORI DELL'OBIETTIVO",
        "VALORI OBIETTIVO",
        "VALORI RISULTATO",
        "PERCENTUALE REALIZZAZIONE",
        "1. adesione all'accreditamento dell'Azienda",
        "n. 50 utenti",
        "31.12.2017",
        "30.09.2017 per l'a.sc. 2017/2018",
        "DESCRIZIONE DELL'OBIETTIVO DA REALIZZARE - N 15",
    ):
        assert atteso in t, atteso
    # The addetti numbered in the document's order, not alphabetically.
    assert (
        t.index("1. Galvani Ornella")
        < t.index("2. Corda Daniela")
        < t.index("16. Ronchis Patrizia")
    )
    # Nothing of Chiavari's scheda, no diagnostics, no invented total.
    for assente in (
        "Codice obiettivo",
        "Ambiti",
        "Pesatura",
        "GRADUAZIONE",
        "Risorse finanziarie",
        "TOTALE",
        "Totale",
        "pesi non indicati",
        "non rilevato",
        "incompleto",
        "pagina 1",
    ):
        assert assente not in t, assente
    # The schede follow one another: a few pages, as the document, not one each.
    assert len(pagine(pdf)) <= 8


@pytest.mark.django_db
def test_quota_parte_non_sommata(soresina):
    """N 2 and N 3 share the quota parte of capitolo 443500: each prints its line, no sum
    (the old print added € 327.000 and € 347.000 as if whole)."""
    piano, settore = soresina
    t = estrai(libri.pdf_settore(piano, settore, 2017))
    assert t.count("CAP. 443500 € 270.000,00 QUOTA PARTE") == 2
    assert "CAP. 448900 € 47.000,00 QUOTA PARTE" in t
    for somma in ("327.000", "347.000", "60.050"):
        assert somma not in t


@pytest.mark.django_db
def test_variante_pubblicabile_senza_addetti(soresina):
    piano, settore = soresina
    t = estrai(
        libri.pdf_settore(
            piano, settore, 2017, modelli=libri.modelli_stampa(piano, pubblicabile=True)
        )
    )
    assert "SERVIZI DEL SETTORE" in t and "Chiozzi Orsolina" in t
    assert "ADDETTO" not in t
    for nome in ("Galvani Ornella", "Corda Daniela", "Ronchis Patrizia"):
        assert nome not in t


@pytest.mark.django_db
def test_valori_risultato_e_percentuale_quando_ci_sono(soresina):
    """Plan and rendicontazione are one document: the final value goes under the
    deadline in VALORI RISULTATO, the official score in PERCENTUALE REALIZZAZIONE."""
    n1 = _scheda("N 1")
    prima = estrai(libri.pdf_schede(Obiettivo.objects.filter(pk=n1.pk)))
    assert "%" not in prima
    RilevazioneFactory(indicatore=n1.indicatori.get(numero=1), valore=D("48"))
    t = estrai(libri.pdf_schede(Obiettivo.objects.filter(pk=n1.pk)))
    assert "31.12.2017 48 utenti 96,00%" in t
    # The indicators without a target print no percentage (nor "non misurabile").
    assert t.count("%") == 1 and "misurabil" not in t


@pytest.mark.django_db
def test_una_scheda_senza_intestazione_del_settore(soresina):
    n2 = _scheda("N 2")
    t = estrai(libri.pdf_schede(Obiettivo.objects.filter(pk=n2.pk)))
    assert "DESCRIZIONE DELL'OBIETTIVO DA REALIZZARE - N 2" in t
    assert "CAP. 443500 € 270.000,00 QUOTA PARTE" in t
    assert "COMUNE DI SORESINA" not in t and "Galvani Ornella" not in t


@pytest.mark.django_db
def test_risorse_stanziate_come_stampate_finche_dicono_il_vero(soresina):
    from objectives.lettura import leggi_scheda

    n1 = _scheda("N 1")
    assert risorse_stanziate(leggi_scheda(n1)) == "CAP. 448902 € 23.000,00; CAP. 461000 € 500,00"
    n11 = _scheda("N 11")
    assert risorse_stanziate(leggi_scheda(n11)).startswith("CAPITOLI: 163000 € 1.000; ")
    # An amount changed after the transcription: the line is written from the resources.
    RisorsaFinanziaria.objects.filter(obiettivo=n1, capitolo="448902").update(importo=D("25000"))
    assert risorse_stanziate(leggi_scheda(_scheda("N 1"))) == (
        "CAP. 448902 € 25.000,00; CAP. 461000 € 500,00"
    )
    # So is a quota parte marked afterwards, and a scheda without the printed line.
    RisorsaFinanziaria.objects.filter(obiettivo=n1, capitolo="461000").update(quota_parte=True)
    Obiettivo.objects.filter(pk=n1.pk).update(risorse_finanziarie_testo="")
    assert risorse_stanziate(leggi_scheda(_scheda("N 1"))) == (
        "CAP. 448902 € 25.000,00; CAP. 461000 € 500,00 QUOTA PARTE"
    )


@pytest.mark.django_db
def test_materie_del_settore_sulla_pagina_del_comune(client, soresina):
    """What the plan prints under SETTORE is data of the settore, shown on its page too."""
    from django.urls import reverse

    from peg.models import Ruolo
    from tests.utenti import utente

    _, settore = soresina
    assert settore.descrizione.startswith("Servizi Sociali, Rapporti con Associazioni")
    client.force_login(utente(settore.comune, Ruolo.Tipo.LETTORE))
    pagina = client.get(reverse("comune", args=["soresina"])).content.decode()
    assert "Servizi Sociali, Rapporti con Associazioni e terzo settore" in pagina


def _risorsa(capitolo, importo, quota_parte=False, articolo="", **campi):
    campi = {"tipo": "spesa", "natura": "prevista", "descrizione": "", **campi}
    return SimpleNamespace(
        capitolo=capitolo, articolo=articolo, importo=D(importo), quota_parte=quota_parte, **campi
    )


def test_risorse_stanziate_senza_database():
    o = SimpleNamespace(
        risorse_finanziarie_testo="CAP. 1234/2 € 50; CAP. 99 € 1.000,00 QUOTA PARTE",
        lista_risorse=[
            _risorsa("1234", "50.00", articolo="2"),
            _risorsa("99", "1000.00", quota_parte=True),
            # Not "stanziate": an entrata and an actual expense are not on the line.
            _risorsa("7", "10.00", tipo="entrata"),
            _risorsa("8", "20.00", natura="effettiva"),
        ],
    )
    assert risorse_stanziate(o) == "CAP. 1234/2 € 50; CAP. 99 € 1.000,00 QUOTA PARTE"
    # The printed line says QUOTA PARTE where the resource is no longer one: rewritten.
    o.lista_risorse[1].quota_parte = False
    assert risorse_stanziate(o) == "CAP. 1234/2 € 50,00; CAP. 99 € 1.000,00"
    o.lista_risorse = []
    assert risorse_stanziate(o) == ""


@pytest.mark.django_db
def test_copia_con_etichette_cambiate_e_colonne_nascoste(soresina):
    """The sections read their labels and columns from the model: a segreteria's copy
    prints renamed and without what it hides."""
    from reporting.modelli import copie, scelta

    piano, settore = soresina
    modello = copie.copia(piano.comune, "Soresina ridotto", da_predefinito="soresina")
    dati = modello.versioni.first().dati
    for sezione in dati["sezioni"]:
        if sezione["tipo"] == "soresina_indicatori":
            sezione["colonne"] = {
                "risultato": {"etichetta": "RISULTATO CONSEGUITO"},
                "percentuale": {"visibile": False},
            }
        if sezione["tipo"] == "soresina_obiettivo":
            sezione["colonne"] = {"modalita": {"visibile": False}}
        if sezione["tipo"] == "soresina_titolo":
            sezione["etichetta"] = "PIANO DELLA PERFORMANCE"
    copie.salva(modello, dati)
    scelta.scegli(piano, scelta.PIANO, modello=modello)
    t = estrai(libri.pdf_settore(piano, settore, 2017, rendicontazione=False))
    assert "PIANO DELLA PERFORMANCE 2017" in t and "RISULTATO CONSEGUITO" in t
    for nascosto in ("PERCENTUALE REALIZZAZIONE", "MODALITÀ DI REALIZZAZIONE", "VOUCHER"):
        assert nascosto not in t, nascosto
    assert "RISORSE STANZIATE: CAP. 448902 € 23.000,00" in t
