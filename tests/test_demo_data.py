"""The four seed plans, transcribed: counts per comune and samples from each document."""

import datetime
import io
from decimal import Decimal as D

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from indicators.models import Indicatore, Rilevazione, ValoreStorico
from objectives.models import Fase, Obiettivo, RisorsaFinanziaria, RisorsaUmana
from peg.models import Comune, NodoDUP, Ruolo

pytestmark = pytest.mark.django_db

# comune: (schede, indicatori, fasi, risorse finanziarie, risorse umane, rilevazioni, storici)
EXPECTED_COUNTS = {
    "chiavari": (23, 44, 54, 0, 0, 0, 0),
    "soresina": (15, 47, 0, 50, 0, 0, 0),
    "seregno": (16, 33, 56, 17, 60, 41, 0),
    "cinisello-balsamo": (20, 44, 39, 0, 0, 44, 22),
}


def _counts(comune):
    via_obiettivo = {"obiettivo__piano__comune": comune}
    via_indicatore = {"indicatore__obiettivo__piano__comune": comune}
    return (
        Obiettivo.objects.filter(piano__comune=comune).count(),
        Indicatore.objects.filter(**via_obiettivo).count(),
        Fase.objects.filter(**via_obiettivo).count(),
        RisorsaFinanziaria.objects.filter(**via_obiettivo).count(),
        RisorsaUmana.objects.filter(**via_obiettivo).count(),
        Rilevazione.objects.filter(**via_indicatore).count(),
        ValoreStorico.objects.filter(**via_indicatore).count(),
    )


@pytest.mark.parametrize("slug", EXPECTED_COUNTS)
def test_counts_per_comune(demo, slug):
    comune = demo(slug)
    assert _counts(comune) == EXPECTED_COUNTS[slug]
    assert comune.piani.count() == 1


def _scheda(slug, codice, anno):
    return Obiettivo.objects.get(piano__comune__slug=slug, codice=codice, anno=anno)


def test_chiavari_vi_1_2019_matches_the_scheda(demo):
    demo("chiavari")
    scheda = _scheda("chiavari", "VI - 1", 2019)
    assert scheda.denominazione == 'PROGETTO "LE STORIE" PER ADOLESCENTI E FAMIGLIE'
    assert scheda.durata == Obiettivo.Durata.PLURIENNALE
    assert (scheda.anno_inizio, scheda.anno_fine) == (2019, 2020)
    assert scheda.riferimento_dup == "5"
    assert scheda.responsabili_testo == "Dott.ssa Maura Meschi"
    indicatori = list(scheda.indicatori.all())
    assert [i.peso for i in indicatori] == [D("30.00"), D("70.00")]
    assert [i.data_attesa for i in indicatori] == [
        datetime.date(2019, 9, 30),
        datetime.date(2019, 11, 30),
    ]
    assert indicatori[0].graduazione == "gg di ritardo +5 =90 % +10gg = 80% +15gg =60%"
    assert indicatori[0].polarita == Indicatore.Polarita.DECRESCENTE
    assert [f.peso for f in scheda.fasi.all()] == [D("30.00"), D("40.00"), D("30.00")]
    assert scheda.fasi.get(numero=1).data_fine_prevista == datetime.date(2019, 9, 30)


def test_chiavari_pluriennale_has_one_scheda_per_year(demo):
    demo("chiavari")
    anni = Obiettivo.objects.filter(piano__comune__slug="chiavari", codice="VI - 3")
    assert sorted(anni.values_list("anno", flat=True)) == [2019, 2020, 2021]
    codici = set(
        Obiettivo.objects.filter(piano__comune__slug="chiavari").values_list("codice", flat=True)
    )
    assert codici == {f"VI - {n}" for n in range(1, 11)}


def test_chiavari_intermediate_level_and_threshold_text(demo):
    demo("chiavari")
    indicatore = _scheda("chiavari", "VI - 2", 2019).indicatori.get(numero=3)
    assert indicatore.peso == D("60.00")
    assert (indicatore.valore_intermedio, indicatore.data_intermedia) == (
        D("8"),
        datetime.date(2019, 12, 31),
    )
    assert (indicatore.valore_atteso, indicatore.data_attesa) == (
        D("16"),
        datetime.date(2020, 12, 31),
    )
    assert (
        indicatore.graduazione
        == "14 = 100% dell'obiettivo; 11 =90% dell'obiettivo; 8 = 70% dell'obiettivo"
    )
    proporzionale = _scheda("chiavari", "VI - 5", 2020).indicatori.get(numero=1)
    assert proporzionale.graduazione == "proporzionale"
    assert (proporzionale.valore_atteso, proporzionale.valore_atteso_testo) == (D("60"), "60%")


def test_chiavari_two_responsabili(demo):
    demo("chiavari")
    scheda = _scheda("chiavari", "VI - 5", 2019)
    assert {p.nome for p in scheda.responsabili.all()} == {"Maura Meschi", "Luca Bonardi"}


def test_soresina_settore_header_and_risorse(demo):
    comune = demo("soresina")
    settore = comune.settori.get()
    assert settore.responsabili_testo == "Chiozzi Orsolina"
    servizi = list(settore.servizi.values_list("nome", flat=True))
    assert len(servizi) == 16 and servizi[1] == "Tutela minori"
    addetti = set(settore.addetti.values_list("nome", flat=True))
    assert len(addetti) == 16 and "Galvani Ornella" in addetti
    n1 = _scheda("soresina", "N 1", 2017)
    assert n1.riferimento_origine == Obiettivo.Origine.ISTITUZIONALE
    assert [(r.capitolo, r.importo) for r in n1.risorse_finanziarie.all()] == [
        ("448902", D("23000.00")),
        ("461000", D("500.00")),
    ]
    n2_quota = _scheda("soresina", "N 2", 2017).risorse_finanziarie.get(capitolo="443500")
    assert n2_quota.quota_parte and n2_quota.importo == D("270000.00")
    n11 = _scheda("soresina", "N 11", 2017)
    assert sum(r.importo for r in n11.risorse_finanziarie.all()) == D("60050.00")
    assert _scheda("soresina", "N 3", 2017).riferimento_origine == Obiettivo.Origine.INIZIATIVA
    assert n1.indicatori.get(numero=1).valore_atteso_testo == "n. 50 utenti"


def test_seregno_rendicontazione(demo):
    demo("seregno")
    scheda = _scheda("seregno", "Ob_Obiet050501", 2019)
    assert (scheda.missione.codice, scheda.programma.codice) == ("12", "12.02")
    assert scheda.programma.denominazione == "Interventi per la disabilità"
    assert scheda.centro_di_costo == "4-Assistenza educativa e assistenza domiciliare handicap"
    azione = scheda.nodi_dup.get()
    assert (azione.livello, azione.codice) == ("Azione strategica", "1.2")
    assert azione.padre.denominazione == "SCELGO SEREGNO: DALLA PARTE DELLE PERSONE"
    indicatore = scheda.indicatori.get()
    assert indicatore.valore_atteso == D("100")
    finale = indicatore.rilevazioni.get(tipo=Rilevazione.Tipo.FINALE)
    assert (finale.valore, finale.percentuale_raggiungimento) == (D("95"), D("95"))
    umane = list(scheda.risorse_umane.select_related("persona"))
    assert len(umane) == 7
    assert (umane[0].persona.nome, umane[0].persona.matricola, umane[0].persona.categoria) == (
        "FERRARIO MARIA CLARA",
        "51",
        "Categoria D",
    )
    assert scheda.fasi.count() == 4
    assert scheda.data_inizio_prevista == datetime.date(2019, 1, 1)
    # Over-achievement is printed as such (212,00%) and kept.
    assert Rilevazione.objects.filter(
        indicatore__obiettivo__piano__comune__slug="seregno", percentuale_raggiungimento=D("212.00")
    ).exists()


def test_cinisello_peg_with_history_and_dup_tree(demo):
    demo("cinisello-balsamo")
    scheda = _scheda("cinisello-balsamo", "2019_S08_02", 2019)
    programma = scheda.nodi_dup.get()
    assert [programma.codice, programma.padre.codice, programma.padre.padre.codice] == [
        "DUP_05_0401_0101",
        "DUP_05_0401",
        "DUP_05",
    ]
    assert programma.padre.padre.livello == "Obiettivo di mandato"
    ore = scheda.indicatori.get(numero=1)
    assert (ore.tipo, ore.valore_atteso) == (Indicatore.Tipo.EFFICACIA, D("600"))
    assert ore.rilevazioni.get(tipo="finale").valore == D("812.5")
    fasi = list(scheda.fasi.all())
    assert [(f.peso, f.avanzamento) for f in fasi] == [(D("50"), D("100"))] * 2
    assert fasi[0].data_fine_effettiva == datetime.date(2019, 6, 30)
    assert fasi[1].data_fine_effettiva == datetime.date(2019, 7, 22)
    assert fasi[0].responsabile == "BRUSON LAURA"
    riscossione = _scheda("cinisello-balsamo", "2019_S08_07", 2019).indicatori.get(numero=1)
    assert {s.anno: s.valore for s in riscossione.storico.all()} == {
        2018: D("84"),
        2017: D("78.29"),
    }
    nidi = _scheda("cinisello-balsamo", "2019_S08_01", 2019).indicatori.get(numero=8)
    assert nidi.polarita == Indicatore.Polarita.DECRESCENTE
    assert (nidi.valore_atteso, nidi.rilevazioni.get().valore) == (D("0.6"), D("0.3"))
    assert scheda.stato_attuazione.startswith("la formazione sulla continuità 06")


def test_demo_accounts_and_roles(demo_all):
    for username in ("segreteria", "oiv", "meschi", "chiozzi", "pacchetti", "conti"):
        # django-axes counts every login attempt: it needs the request it came with.
        richiesta = RequestFactory().post("/accesso/")
        assert authenticate(richiesta, username=username, password="demo") is not None, username
    assert Ruolo.objects.filter(utente__username="segreteria", tipo="segreteria").count() == 4
    assert Ruolo.objects.filter(utente__username="oiv", tipo="oiv").count() == 4
    meschi = Ruolo.objects.get(utente__username="meschi")
    assert meschi.comune.slug == "chiavari"
    assert [s.codice for s in meschi.settori.all()] == ["VI"]
    for username, slug in (
        ("chiozzi", "soresina"),
        ("pacchetti", "seregno"),
        ("conti", "cinisello-balsamo"),
    ):
        ruolo = Ruolo.objects.get(utente__username=username)
        assert ruolo.comune.slug == slug and ruolo.settori.count() == 1


def test_carica_demo_is_idempotent_and_respects_se_vuoto(demo_all):
    before = Obiettivo.objects.count()
    out = io.StringIO()
    call_command("carica_demo", "--se-vuoto", stdout=out)
    assert "già dei dati" in out.getvalue()
    call_command("carica_demo", stdout=io.StringIO())
    assert Obiettivo.objects.count() == before
    call_command("carica_demo", "chiavari", "--sostituisci", stdout=io.StringIO())
    assert Obiettivo.objects.count() == before
    assert Comune.objects.count() == 4
    assert NodoDUP.objects.filter(piano__comune__slug="chiavari").count() == 4
