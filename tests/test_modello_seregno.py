"""The Seregno print model's grouping of a scheda's rows (reporting.modelli.predefiniti.seregno)."""

import datetime
import io
import re
from types import SimpleNamespace

import pytest

from reporting.modelli.predefiniti import seregno
from reporting.modelli.schema import leggi
from reporting.templatetags.stampa import ufficiale

G = datetime.date(2019, 1, 1)
D = datetime.date(2019, 12, 31)
L = datetime.date(2019, 7, 31)


def estrai(pdf: bytes) -> str:
    from pypdf import PdfReader

    testo = " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"\s+", " ", testo)


def _fase(numero, *date, codice="", monitoraggio=""):
    inizio_p, fine_p, inizio_e, fine_e = date or (None, None, None, None)
    return SimpleNamespace(
        numero=numero,
        codice_attivita=codice,
        monitoraggio=monitoraggio,
        data_inizio_prevista=inizio_p,
        data_fine_prevista=fine_p,
        data_inizio_effettiva=inizio_e,
        data_fine_effettiva=fine_e,
    )


def test_fasi_with_the_same_dates_share_a_row_with_those_dates():
    o = SimpleNamespace(
        codice="Ob_1",
        lista_fasi=[_fase(1, G, D, G, D), _fase(2, G, D, G, D), _fase(3, G, L, G, D)],
        monitoraggio="",
    )
    righe = seregno.righe_fasi(o)
    assert [[(n, f.numero) for n, f in r["fasi"]] for r in righe] == [[(1, 1), (2, 2)], [(3, 3)]]
    assert [r["codice"] for r in righe] == ["Ob_1", "Ob_1"]
    assert (righe[0]["data_inizio_prevista"], righe[0]["data_fine_effettiva"]) == (G, D)
    assert righe[1]["data_fine_prevista"] == L


def test_fasi_without_dates_print_no_date():
    o = SimpleNamespace(codice="X", lista_fasi=[_fase(1), _fase(2)], monitoraggio="")
    righe = seregno.righe_fasi(o)
    assert len(righe) == 1 and righe[0]["data_inizio_prevista"] is None


def _piu_attivita():
    """Seregno's Ob_Obiet050901-050902: three fasi of 050901, one of 050902 with its own
    monitoraggio; the scheda's monitoraggio holds both rows' texts."""
    fasi = [_fase(n, G, D, G, D, codice="Ob_01") for n in (1, 2, 3)]
    fasi.append(_fase(4, G, D, G, D, codice="Ob_02", monitoraggio="Salone fatto."))
    return SimpleNamespace(
        codice="Ob_01-02", lista_fasi=fasi, monitoraggio="Salone fatto.\nBando fatto."
    )


def test_each_codice_attivita_has_its_row_its_fasi_numbered_from_one_and_its_monitoraggio():
    o = _piu_attivita()
    attivita = seregno.attivita(o)
    assert [a["codice"] for a in attivita] == ["Ob_01", "Ob_02"]
    assert [[n for n, _ in a["fasi"]] for a in attivita] == [[1, 2, 3], [1]]
    assert [a["testi"] for a in attivita] == [["Bando fatto."], ["Salone fatto."]]
    assert [r["codice"] for r in seregno.righe_fasi(o)] == ["Ob_01", "Ob_02"]
    misura = seregno.attivita_indicatore(SimpleNamespace(codice_attivita="Ob_02"), o)
    assert (misura["codice"], [f.numero for _, f in misura["fasi"]]) == ("Ob_02", [4])


def test_without_codici_attivita_the_scheda_is_one_row_with_its_monitoraggio():
    o = SimpleNamespace(codice="Ob_1", lista_fasi=[_fase(1), _fase(2)], monitoraggio="Fatto.")
    (unica,) = seregno.attivita(o)
    assert (unica["codice"], [n for n, _ in unica["fasi"]], unica["testi"]) == (
        "Ob_1",
        [1, 2],
        ["Fatto."],
    )
    misura = seregno.attivita_indicatore(SimpleNamespace(codice_attivita=""), o)
    assert (misura["codice"], len(misura["fasi"])) == ("Ob_1", 2)


def test_the_budget_splits_into_the_documents_four_parts_in_its_order():
    riga = lambda tipo, natura: SimpleNamespace(tipo=tipo, natura=natura)  # noqa: E731
    spesa, entrata = riga("spesa", "prevista"), riga("entrata", "effettiva")
    parti = seregno.finanziarie(SimpleNamespace(lista_risorse=[spesa, entrata]))
    assert parti == [
        ("entrate_previste", []),
        ("entrate_effettive", [entrata]),
        ("spese_previste", [spesa]),
        ("spese_effettive", []),
    ]


def test_publishable_variant_drops_the_staff_and_keeps_the_rest():
    modello = leggi(seregno.MODELLO)
    assert modello.ha("seregno_risorse_umane")
    pubblico = modello.variante_pubblicabile()
    assert not pubblico.ha("seregno_risorse_umane")
    tipi = [s.tipo for s in pubblico.scheda]
    assert tipi == [s.tipo for s in modello.scheda if s.tipo != "seregno_risorse_umane"]
    assert not pubblico.numeri_pagina  # the document has no page numbers


@pytest.mark.django_db
def test_a_scheda_entered_in_the_app_prints_its_values_and_budget_rows_without_totals():
    """A value recorded without the document's «% Ragg.» prints the score (never a
    diagnostic); budget rows print under their own heading, each as it is, no total."""
    from decimal import Decimal as D

    from objectives.models import Obiettivo
    from reporting import libri
    from reporting.modelli.scelta import predefinito
    from reporting.schede import carica_schede
    from tests.factories import (
        FaseFactory,
        IndicatoreFactory,
        ObiettivoFactory,
        RisorsaFinanziariaFactory,
        RisorsaStrumentaleFactory,
    )

    o = ObiettivoFactory(codice="Ob_Prova", anno=2019, stato=Obiettivo.Stato.RENDICONTATO)
    IndicatoreFactory(obiettivo=o, proporzionale=True, con_finale=True, raggiunto=D(8))
    FaseFactory(obiettivo=o, numero=1, data_inizio_prevista=G, data_fine_prevista=L)
    RisorsaFinanziariaFactory(obiettivo=o, capitolo="111", importo=D(1000), quota_parte=True)
    RisorsaFinanziariaFactory(obiettivo=o, capitolo="222", importo=D(500), effettiva=True)
    RisorsaStrumentaleFactory(obiettivo=o, descrizione="Due postazioni di lavoro")
    m = predefinito("seregno")
    modelli = {"piano": m, "rendicontazione": m}
    qs = Obiettivo.objects.filter(pk=o.pk)
    (letta,) = carica_schede(qs, True, modelli)
    punteggio = ufficiale(letta.lista_indicatori[0].esito)
    assert punteggio
    t = estrai(libri.pdf_schede(qs, rendicontazione=True, modelli=modelli))
    assert punteggio in t
    assert "01-01-2019 31-07-2019" in t  # the fase's dates
    assert "Dotazione informatica Due postazioni di lavoro" in t
    previste = t.index("Budget risorse finanziarie - Spese Previste")
    effettive = t.index("Budget risorse finanziarie - Spese Effettive")
    assert previste < t.index("Cap. 111 € 1.000,00 (quota parte)") < effettive
    assert effettive < t.index("Cap. 222 € 500,00")
    for assente in ("1.500,00", "TOTALE", "Totale", "non rilevato", "incompleto"):
        assert assente not in t, assente


@pytest.mark.django_db
def test_the_scheda_page_shows_the_codice_attivita(client, ente):
    from django.urls import reverse

    from tests.factories import FaseFactory, IndicatoreFactory

    o = ente.scheda()
    FaseFactory(obiettivo=o, numero=9, codice_attivita="Ob_Obiet050902")
    IndicatoreFactory(obiettivo=o, numero=9, codice_attivita="Ob_Obiet050901")
    client.force_login(ente.segreteria)
    pagina = client.get(reverse("obiettivo", args=[ente.comune.slug, o.pk])).content.decode()
    assert "Codice attività: Ob_Obiet050902" in pagina
    assert "Codice attività: Ob_Obiet050901" in pagina
