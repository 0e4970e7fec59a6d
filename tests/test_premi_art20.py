"""The D.Lgs 33/2013 art. 20 tables (individuale/art20.py) and their publication in
Amministrazione trasparente: aggregated, never a name, groups under three persons merged
or withheld."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from individuale import art20, premi
from individuale.models import Smvp
from trasparenza import pubblicazioni
from trasparenza.models import Pubblicazione

from .factories import CategoriaFactory
from .test_premi import PERSONE, _anno, _schede

pytestmark = pytest.mark.django_db
D = Decimal
T = Pubblicazione.Tipo


def _distribuiti(ente, **campi):
    smvp = _anno(ente, **campi)
    _schede(smvp)
    premi.distribuisci(smvp, utente=ente.segreteria)
    return smvp


def test_tabelle_per_fascia_accorpate_e_grado_di_differenziazione(ente):
    """95, 92 | 85, 85, 75 | 60: ≥ 90 has 2 persons → with the next lower (≥ 70: 5); ≥ 50
    has 1 and nobody below → with the one above; ≥ 0 is empty and stays."""
    tab = art20.tabelle(_distribuiti(ente))
    assert (tab.stanziato, tab.distribuito, tab.residuo) == (
        D("10000.00"),
        D("9999.98"),
        D("0.02"),
    )
    assert [(g.etichetta, g.persone, g.distribuito) for g in tab.per_fascia] == [
        ("≥ 90 (100%) + ≥ 70 (80%) + ≥ 50 (50%)", 6, D("9999.98")),
        ("≥ 0 (0%)", 0, D(0)),
    ]
    assert [(g.etichetta, g.persone, g.stanziato) for g in tab.per_fondo] == [
        ("Fondo unico", 6, D("10000.00"))
    ]
    assert (tab.persone, tab.con_premio, tab.premio_medio) == (6, 6, D("1666.66"))
    # Walk finding: one beneficiary's maggiorazione is his own amount: not published.
    assert (tab.beneficiari_81, tab.maggiorazione_81) == (1, None)
    assert tab.variazione is not None and tab.variazione > 0
    assert any("accorpati" in n for n in tab.note)
    assert any("art. 81" in frase for frase in tab.criteri)


def test_categorie_piccole_accorpate(ente):
    """Segretario (1) and EQ (2) together make 3: one row; the dipendenti (6) their own."""
    smvp = _anno(ente, fondi=Smvp.Fondi.PER_CATEGORIA, fondo_unico=None)
    dipendenti = CategoriaFactory(smvp=smvp, dipendenti=True, nome="Dipendenti", fondo=6000)
    _schede(smvp, dipendenti)
    segretario = CategoriaFactory(smvp=smvp, nome="Segretario", fondo=D(1000))
    eq = CategoriaFactory(smvp=smvp, nome="EQ", fondo=D(2000))
    _schede(smvp, segretario, [("Sara Segretaria", "99")])
    _schede(smvp, eq, [("Mario Conti", "87.5"), ("Luisa Verdi", "95")])
    premi.distribuisci(smvp)
    tab = art20.tabelle(smvp)
    righe = sorted((g.etichetta, g.persone, g.stanziato) for g in tab.per_fondo)
    assert righe == [("Dipendenti", 6, D(6000)), ("Segretario + EQ", 3, D(3000))]


def test_meno_di_tre_persone_importi_non_pubblicati(ente):
    smvp = _anno(ente)
    _schede(smvp, persone=PERSONE[:2])
    premi.distribuisci(smvp)
    tab = art20.tabelle(smvp)
    assert tab.stanziato == D("10000.00") and tab.distribuito is None
    assert tab.per_fondo == tab.per_fascia == [] and tab.premio_medio is None
    assert tab.note == [art20.NASCOSTO]


def test_pubblicazione_e_pagine_pubbliche_senza_nomi(ente, client):
    ente.scheda("approvato")
    with pytest.raises(ValidationError, match="Nessuna distribuzione dei premi del 2019"):
        pubblicazioni.pubblica(ente.piano, 2019, T.PREMI_DATI, utente=ente.segreteria)
    _distribuiti(ente)
    for tipo in (T.PREMI_AMMONTARE, T.PREMI_DATI):
        assert pubblicazioni.motivo_non_pubblicabile(ente.piano, 2019, tipo) is None
        pubblicazioni.pubblica(ente.piano, 2019, tipo, utente=ente.segreteria)
    ammontare = client.get(reverse("trasparenza_premi_ammontare", args=["borgo", 2019]))
    dati = client.get(reverse("trasparenza_premi_dati", args=["borgo", 2019]))
    testo_a, testo_d = ammontare.content.decode(), dati.content.decode()
    assert "Ammontare complessivo dei premi 2019" in testo_a and "€ 9.999,98" in testo_a
    assert "€ 10.000,00" in testo_a and "Criteri di distribuzione" not in testo_a
    assert "Distribuzione dei premi per fascia di merito 2019" in testo_d
    assert "Criteri di distribuzione" in testo_d and "Grado di differenziazione" in testo_d
    for nome, _ in PERSONE:
        assert nome not in testo_a and nome not in testo_d
    assert "€ 2.685,23" not in testo_d  # nobody's premio


def test_pagina_dei_premi_mostra_l_anteprima(ente, client):
    _distribuiti(ente)
    client.force_login(ente.segreteria)
    pagina = client.get(reverse("premi", args=["borgo", 2019])).content.decode()
    assert "Tabelle per Amministrazione trasparente" in pagina
    assert "≥ 90 (100%) + ≥ 70 (80%) + ≥ 50 (50%)" in pagina


def test_chi_e_sotto_ogni_fascia_conta_e_nessun_gruppo_ha_due_persone(ente, client):
    """Fasce ≥ 90 and ≥ 70 only (no 0% band): 95 and 92 share the fondo, three at 40 get
    nothing. Before, the three were in no group and ≥ 90 (2 persons) was the only
    non-empty fascia, never merged: the table said what two persons got."""
    from .factories import FasciaFactory, SmvpFactory

    ente.scheda("approvato")
    smvp = SmvpFactory(
        comune=ente.comune,
        fondi=Smvp.Fondi.UNICO,
        fondo_unico=D("1000.00"),
        distribuzione=Smvp.Distribuzione.PUNTEGGIO,
        quota_beneficiari=D(0),
    )
    FasciaFactory(smvp=smvp, da=D(90), percentuale=D(100))
    FasciaFactory(smvp=smvp, da=D(70), percentuale=D(80))
    persone = [("Anna Alfa", "95"), ("Bruno Beta", "92")] + [(f"Terzo {i}", "40") for i in range(3)]
    _schede(smvp, persone=persone)
    premi.distribuisci(smvp)
    tab = art20.tabelle(smvp)
    # Everybody is in a group; no group has one or two persons.
    assert sum(g.persone for g in tab.per_fascia) == 5
    assert all(g.persone == 0 or g.persone >= art20.SOGLIA for g in tab.per_fondo + tab.per_fascia)
    assert [(g.etichetta, g.persone, g.distribuito) for g in tab.per_fascia] == [
        ("≥ 90 (100%) + nessuna fascia (0%)", 5, D("999.99"))
    ]
    # Two with a premio: how many, their average and spread would be theirs.
    assert (tab.con_premio, tab.premio_medio, tab.variazione) == (None, None, None)
    assert any("meno di 3 persone hanno un premio" in n for n in tab.note)
    pubblicazioni.pubblica(ente.piano, 2019, T.PREMI_DATI, utente=ente.segreteria)
    testo = client.get(reverse("trasparenza_premi_dati", args=["borgo", 2019])).content.decode()
    assert "≥ 90 (100%) + nessuna fascia (0%)" in testo and "di cui con un premio" not in testo
    assert "Premio medio: " not in testo and "Coefficiente di variazione" not in testo


def test_le_fasce_delle_tabelle_sono_quelle_della_distribuzione(ente, monkeypatch):
    """art20 asks individuale.distribuzione which fascia holds a score (one rule): with
    the rule changed, the tables follow it."""
    from individuale import distribuzione

    smvp = _distribuiti(ente)
    chiesti = []

    def sempre_la_piu_bassa(punteggio, fasce):
        chiesti.append(punteggio)
        return min(fasce)

    monkeypatch.setattr(distribuzione, "fascia", sempre_la_piu_bassa)
    tab = art20.tabelle(smvp)
    assert len(chiesti) >= 6
    assert [(g.etichetta, g.persone) for g in tab.per_fascia][-1] == ("≥ 0 (0%)", 6)


def test_distribuzione_rifiutata_mentre_le_tabelle_sono_pubblicate(ente, client):
    """The published tables read the distribution in force: a new real run would change
    what is online. Refused (page and command) until the publication is withdrawn."""
    from django.core.management import CommandError

    from individuale.models import Distribuzione

    from .test_premi import _comando

    ente.scheda("approvato")
    _distribuiti(ente)
    pubblicata = pubblicazioni.pubblica(ente.piano, 2019, T.PREMI_AMMONTARE, utente=ente.segreteria)
    with pytest.raises(CommandError) as exc:
        _comando("--comune", "borgo", "--anno", "2019", "--fondo", "5.000,00")
    assert exc.value.returncode == 2
    messaggio = str(exc.value)
    assert "Ammontare complessivo dei premi 2019 è pubblicato" in messaggio
    assert "ritirala prima indicando il motivo" in messaggio
    righe, _ = _comando("--comune", "borgo", "--anno", "2019", "--dry-run")
    assert righe[0] == "SIMULAZIONE: nulla è stato salvato."
    client.force_login(ente.segreteria)
    url = reverse("premi_distribuisci", args=["borgo", 2019])
    conferma = client.get(url).content.decode()
    assert "ritirala prima indicando il motivo" in conferma and "disabled" in conferma
    risposta = client.post(url, {"categoria": "", "fondo": ""})
    assert risposta.status_code == 403 and "è pubblicato" in risposta.context["motivo"]
    assert Distribuzione.objects.count() == 1
    pubblicazioni.ritira(pubblicata, utente=ente.segreteria, motivo="Premi ricalcolati")
    assert client.post(url, {"categoria": "", "fondo": ""}).status_code == 302
    assert Distribuzione.objects.filter(attiva=True).count() == 1
    assert Distribuzione.objects.count() == 2


def test_un_gruppo_piccolo_senza_vicini_non_si_pubblica():
    """A group under the threshold with no other non-empty group to merge with is
    withheld (the table goes), never published as it is."""
    due = art20.Gruppo("≥ 90 (100%)", 2, D("1000.00"), D("1000.00"))
    vuoto = art20.Gruppo("≥ 70 (80%)", 0, D(0))
    assert art20._accorpa_fasce([due, vuoto]) == []
    assert art20._accorpa_categorie([due]) == []
    tre = art20.Gruppo("≥ 70 (80%)", 3, D("900.00"))
    assert [(g.etichetta, g.persone) for g in art20._accorpa_fasce([due, tre])] == [
        ("≥ 90 (100%) + ≥ 70 (80%)", 5)
    ]
