"""The scheda di valutazione individuale in PDF (WeasyPrint): the text a reader finds
in it — comune, person, categoria, settore, period, components with weights and scores,
each comportamento with vote and comment, obiettivi individuali, giudizio, colloquio,
the conciliazione with both texts and the final score, the two signature lines."""

import io
from decimal import Decimal as D

import pytest
from django.urls import reverse
from pypdf import PdfReader

from individuale import servizio
from individuale.pdf_scheda import pdf_scheda

from .factories import (
    CategoriaFactory,
    ComportamentoFactory,
    ObiettivoAssegnatoFactory,
    PersonaFactory,
    SchedaIndividualeFactory,
    SmvpFactory,
    VotoComportamentoFactory,
)
from .utenti import utente

pytestmark = pytest.mark.django_db


def _testo(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def scheda(ente):
    """Verdi Paola (settore A), voted 4 and 2 on a 1-5 scale, who asked for the
    conciliazione on the second vote: answered «accolta in parte», 2 → 3."""
    smvp = SmvpFactory(comune=ente.comune, anno=2019, richiede_validazione=False)
    categoria = CategoriaFactory(
        smvp=smvp,
        nome="Personale del comparto",
        dipendenti=True,
        peso_settore=0,
        peso_obiettivi=0,
        peso_comportamenti=100,
    )
    dipendente = utente(ente.comune, "dipendente", username="verdi")
    s = SchedaIndividualeFactory(
        smvp=smvp,
        categoria=categoria,
        persona=PersonaFactory(comune=ente.comune, nome="Verdi Paola", utente=dipendente),
        settore=ente.settore_a,
        valutatore=ente.responsabile_a,
        vista=True,
        note_valutatore="Anno di crescita professionale.",
    )
    VotoComportamentoFactory(
        scheda=s,
        comportamento=ComportamentoFactory(categoria=categoria, nome="Orientamento all'utenza"),
        voto=D("4"),
        commento="Risponde con cura ai cittadini.",
    )
    contestato = VotoComportamentoFactory(
        scheda=s,
        comportamento=ComportamentoFactory(categoria=categoria, nome="Rispetto delle scadenze"),
        voto=D("2"),
        commento="Alcuni ritardi nel secondo semestre.",
    )
    ObiettivoAssegnatoFactory(scheda=s, obiettivo=ente.scheda("approvato"), peso=D(100))
    servizio.chiedi_conciliazione(
        s, dipendente, "I ritardi dipendevano dal software.", contestato.pk
    )
    s.refresh_from_db()
    servizio.rispondi(
        s, ente.responsabile_a, s.versione, "parziale", "Si riconosce il problema tecnico.", D("3")
    )
    s.refresh_from_db()
    return s


def test_il_pdf_della_scheda(scheda, ente):
    testo = _testo(pdf_scheda(scheda))
    for atteso in (
        "Borgo",
        "Scheda di valutazione individuale 2019",
        "Verdi Paola",
        "Personale del comparto",
        "Settore A",
        "1° gennaio – 31 dicembre 2019",
        "Comportamenti organizzativi",
        "100,00%",
        "Orientamento all'utenza",
        "Risponde con cura ai cittadini.",
        "Rispetto delle scadenze",
        "Anno di crescita professionale.",
        "Colloquio del 2 marzo 2020.",
        "I ritardi dipendevano dal software.",
        "Si riconosce il problema tecnico.",
        "Accolta in parte",
        # (4-1)/4 = 75 and (2-1)/4 = 25 → 50,00 before; (3-1)/4 = 50 → 62,50 after.
        "prima della conciliazione: 50,00",
        "dopo: 62,50",
        "PUNTEGGIO FINALE (definitivo) 62,50",
        "Il valutatore",
        "Il valutato, per presa visione",
        "firmato digitalmente o a mano",
    ):
        assert atteso in testo, atteso
    assert scheda.stato == "definitiva" and scheda.punteggio_finale == D("62.50")


def test_il_pdf_dalla_pagina(client, scheda, ente):
    client.force_login(ente.responsabile_a)
    risposta = client.get(reverse("pdf_scheda_individuale", args=[ente.comune.slug, scheda.pk]))
    assert risposta.status_code == 200 and risposta["Content-Type"] == "application/pdf"
    assert "valutazione-2019-verdi-paola.pdf" in risposta["Content-Disposition"]
    assert "Verdi Paola" in _testo(risposta.content)


def test_bozza_con_punteggio_provvisorio(ente):
    """A scheda still in bozza on results not validated: the PDF says so."""
    ente.scheda("rendicontato", "con_indicatori", "con_rilevazioni")
    smvp = SmvpFactory(comune=ente.comune, anno=2019)
    categoria = CategoriaFactory(
        smvp=smvp, dipendenti=True, peso_obiettivi=0, peso_settore=50, peso_comportamenti=50
    )
    s = SchedaIndividualeFactory(smvp=smvp, categoria=categoria, settore=ente.settore_a)
    VotoComportamentoFactory(scheda=s, voto=D("5"))
    testo = _testo(pdf_scheda(s))
    assert "Punteggio provvisorio" in testo and "In compilazione" in testo
