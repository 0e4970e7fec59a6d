"""Relazione sulla performance: computed and validated figures, shortfalls, visibility."""

import datetime
import io
from decimal import Decimal as D
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from objectives.models import Obiettivo
from peg.models import Comune, Ruolo, Settore
from reporting.relazione import relazione
from tests.factories import (
    IndicatoreFactory,
    ObiettivoFactory,
    PersonaFactory,
    PianoFactory,
    RilevazioneFactory,
    RuoloFactory,
    SettoreFactory,
    UserFactory,
)
from valutazione.models import PunteggioValidato, Validazione

S = Obiettivo.Stato


def _scheda(piano, settore, codice, peso, ritardi, stato, **campi):
    """An obiettivo whose indicatori (equal weights) are "days late": 0 → 100%, 7 → 80%."""
    obiettivo = ObiettivoFactory(
        piano=piano, settore=settore, codice=codice, peso=D(peso), stato=stato, **campi
    )
    for numero, ritardo in enumerate(ritardi, start=1):
        indicatore = IndicatoreFactory(
            obiettivo=obiettivo,
            numero=numero,
            peso=D(100) / len(ritardi),
            denominazione=f"Indicatore {numero} di {codice}",
        )
        RilevazioneFactory(indicatore=indicatore, valore=D(ritardo))
    return obiettivo


def _valida(obiettivo, oiv, note="", obiettivo_a=None, indicatori=()):
    """A validation in force; ``obiettivo_a``: the OIV's figure for the obiettivo,
    ``indicatori``: [(indicatore, figure, motivazione)]."""
    validazione = Validazione.objects.create(
        obiettivo=obiettivo,
        utente=oiv,
        quando=timezone.make_aware(datetime.datetime(2020, 6, 30, 10, 0)),
        note=note,
    )
    if obiettivo_a is not None:
        PunteggioValidato.objects.create(
            validazione=validazione,
            obiettivo=obiettivo,
            punteggio_calcolato=D(100),
            punteggio=D(obiettivo_a),
            motivazione="Risultato raggiunto solo in parte: servizio attivato a novembre.",
        )
    for indicatore, punteggio, motivazione in indicatori:
        PunteggioValidato.objects.create(
            validazione=validazione,
            obiettivo=obiettivo,
            indicatore=indicatore,
            punteggio_calcolato=D(100),
            punteggio=D(punteggio),
            motivazione=motivazione,
        )
    obiettivo.stato = S.VALIDATO
    obiettivo.save()
    return validazione


@pytest.fixture
def ente(db):
    """Settore A: A-1 computed 100% validated 90%, A-2 at 80% (rendicontato).
    Settore B: B-1 at 100% and a draft at 0% the responsabile of A must not see."""
    piano = PianoFactory(comune__slug="borgo-r", titolo="PEG 2019-2021")
    a = SettoreFactory(
        comune=piano.comune, codice="A", nome="Settore Alfa", responsabili_testo="Dott.ssa Alfa"
    )
    b = SettoreFactory(comune=piano.comune, codice="B", nome="Settore Beta")
    b.responsabili.add(PersonaFactory(comune=piano.comune, nome="Bruno Beta"))
    a1 = _scheda(piano, a, "A-1", 50, [0, 0], S.RENDICONTATO)
    a2 = _scheda(
        piano,
        a,
        "A-2",
        50,
        [7],
        S.RENDICONTATO,
        stato_attuazione="Gara deserta, riaffidata a dicembre.",
        monitoraggio="Ritardo segnalato al 30 giugno.",
    )
    _scheda(piano, b, "B-1", 100, [0], S.APPROVATO)
    bozza = _scheda(piano, b, "B-BOZZA", 0, [20], S.BOZZA, denominazione="Progetto riservato")
    oiv = UserFactory(username="oiv-borgo", first_name="Olga", last_name="Ivaldi")
    RuoloFactory(utente=oiv, comune=piano.comune, tipo=Ruolo.Tipo.OIV)
    segreteria = UserFactory(username="segr-borgo-r")
    RuoloFactory(utente=segreteria, comune=piano.comune, tipo=Ruolo.Tipo.SEGRETERIA)
    responsabile = UserFactory(username="resp-alfa-r")
    RuoloFactory(
        utente=responsabile, comune=piano.comune, tipo=Ruolo.Tipo.RESPONSABILE
    ).settori.add(a)
    _valida(
        a1,
        oiv,
        note="Verificati i verbali.",
        obiettivo_a=90,
        indicatori=[(a1.indicatori.get(numero=2), 80, "Dati non verificabili.")],
    )
    return SimpleNamespace(
        piano=piano,
        a=a,
        b=b,
        a1=a1,
        a2=a2,
        bozza=bozza,
        oiv=oiv,
        segreteria=segreteria,
        responsabile=responsabile,
        url=reverse("relazione", args=["borgo-r", piano.pk]),
    )


def _riga(rel, codice):
    return next(r for r in rel.obiettivi if r.codice == codice)


def test_validated_figure_counts_and_the_computed_one_stays_beside_it(ente):
    rel = relazione(ente.piano, 2019)
    a1, a2 = _riga(rel, "A-1"), _riga(rel, "A-2")
    assert (a1.punteggio_calcolato, a1.punteggio) == (D("100.00"), D("90.00"))
    assert (a1.calcolato_testo, a1.validato_testo) == ("100,00%", "90,00%")
    assert a1.validato and a1.rettificato and not a1.raggiunto
    assert a1.validato_il == datetime.date(2020, 6, 30)
    assert a1.validato_da == "Olga Ivaldi" and a1.note_oiv == "Verificati i verbali."
    assert [(m.oggetto, m.indicatore, m.punteggio) for m in a1.motivazioni] == [
        ("Obiettivo", "", D("90.00")),
        ("Indicatore 2", "Indicatore 2 di A-1", D("80.00")),
    ]
    assert a1.motivazione_obiettivo.startswith("Risultato raggiunto solo in parte")
    assert (a2.punteggio, a2.validato, a2.validato_testo) == (D("80.00"), False, "")

    # Settore A: validated (90 + 80) / 2, computed (100 + 80) / 2; ente: mean with B.
    alfa, beta = rel.settori
    assert alfa.settore == ente.a and alfa.responsabili == "Dott.ssa Alfa"
    assert beta.responsabili == "Bruno Beta"  # from the linked persona
    assert (alfa.esito.punteggio, alfa.esito.punteggio_calcolato) == (D("85.00"), D("90.00"))
    assert beta.esito.punteggio == D("100.00")
    assert (rel.ente.punteggio, rel.ente.punteggio_calcolato) == (D("92.50"), D("95.00"))
    assert (rel.n_obiettivi, rel.n_validati, rel.n_da_validare) == (4, 1, 1)

    riga = next(r for r in rel.righe_tabella() if r["codice"] == "A-1")
    assert riga["settore"] == "Settore Alfa" and riga["responsabile"] == "Dott.ssa Alfa"
    assert (riga["punteggio_calcolato"], riga["punteggio_validato"]) == (D("100.00"), D("90.00"))
    assert riga["esito_calcolato"] == "100,00%" and riga["rettificato"] is True
    assert riga["motivazioni"].startswith("Obiettivo: Risultato raggiunto solo in parte")
    assert "Indicatore 2: Dati non verificabili." in riga["motivazioni"]
    riga2 = next(r for r in rel.righe_tabella() if r["codice"] == "A-2")
    assert riga2["punteggio_validato"] is None and riga2["stato"] == "Rendicontato"
    assert riga2["stato_attuazione"] == "Gara deserta, riaffidata a dicembre."
    settori = rel.righe_settori()
    assert (settori[0]["punteggio"], settori[0]["punteggio_calcolato"]) == (
        D("85.00"),
        D("90.00"),
    )


def test_page_shows_both_figures_the_motivazioni_and_the_shortfalls(client, ente):
    client.force_login(ente.segreteria)
    risposta = client.get(ente.url)
    assert risposta.status_code == 200
    html = risposta.content.decode()
    assert "Relazione sulla performance 2019" in html
    assert 'Risultato dell\'ente: <span class="peso-ok">92,50%</span>' in html
    assert "come calcolato dalle rilevazioni: <strong>95,00%</strong>" in html
    assert "Risultato del settore:</strong> 85,00% (calcolato 90,00%)" in html
    assert '<td class="text-end text-nowrap rettificato">90,00%</td>' in html
    assert "Risultato raggiunto solo in parte: servizio attivato a novembre." in html
    assert "indicatore 2: Indicatore 2 di A-1; calcolato 100,00%, validato 80,00%" in html
    assert "validato il 30 giugno 2020 da Olga Ivaldi" in html
    assert "Verificati i verbali." in html

    non_raggiunti = html.split('id="non-raggiunti"')[1].split('id="motivazioni-oiv"')[0]
    assert "A-2" in non_raggiunti and "Gara deserta, riaffidata a dicembre." in non_raggiunti
    assert "Ritardo segnalato al 30 giugno." in non_raggiunti
    assert "A-1" in non_raggiunti  # 90% validated: below 100 by the figure that counts
    assert "B-1" not in non_raggiunti
    assert "B-BOZZA" in non_raggiunti  # the segreteria sees the draft
    assert "4 obiettivi: 1 raggiunto (almeno 100,00%), 3 non raggiunti" in html

    # Linked from the piano; a print-friendly version without header and footer.
    piano = client.get(reverse("piano", args=["borgo-r", ente.piano.pk])).content.decode()
    assert f'href="{ente.url}"' in piano
    assert '<div class="it-header-wrapper">' in html and "?anno=2019&amp;stampa=1" in html
    stampa = client.get(ente.url + "?anno=2019&stampa=1").content.decode()
    assert '<div class="it-header-wrapper">' not in stampa
    assert '<footer class="it-footer">' not in stampa and 'class="breadcrumb' not in stampa
    assert "data-stampa>Stampa</button>" in stampa and "92,50%" in stampa
    assert "page-break-before: always" in stampa


def test_reopening_brings_back_the_computed_figure(client, ente):
    ente.a1.stato = S.IN_MONITORAGGIO
    ente.a1.save()
    rel = relazione(ente.piano, 2019)
    a1 = _riga(rel, "A-1")
    assert a1.punteggio == D("100.00") and not a1.validato and not a1.rettificato
    assert a1.motivazioni == [] and a1.validato_il is None and a1.raggiunto
    assert rel.settori[0].esito.punteggio == D("90.00") and not rel.settori[0].esito.validato
    assert rel.ente.punteggio == D("95.00")
    assert [r.codice for _, r in rel.non_raggiunti] == ["A-2", "B-BOZZA"]
    client.force_login(ente.segreteria)
    html = client.get(ente.url).content.decode()
    assert (
        "Risultato raggiunto solo in parte" not in html
        and "rettificato" not in html.split("</style>")[1]
    )


def test_responsabile_does_not_see_another_settore_draft(client, ente):
    rel = relazione(ente.piano, 2019, Obiettivo.objects.exclude(pk=ente.bozza.pk))
    assert "B-BOZZA" not in [r.codice for r in rel.obiettivi]
    client.force_login(ente.responsabile)
    html = client.get(ente.url).content.decode()
    assert "B-BOZZA" not in html and "Progetto riservato" not in html
    assert "B-1" in html and "A-2" in html
    assert "3 obiettivi" in html
    client.force_login(ente.segreteria)
    assert "Progetto riservato" in client.get(ente.url).content.decode()


def test_other_comune_is_404_and_anonymous_goes_to_login(client, ente):
    risposta = client.get(ente.url)
    assert risposta.status_code == 302 and risposta.url.startswith(reverse("login"))
    estraneo = UserFactory(username="estraneo-r")
    RuoloFactory(utente=estraneo, tipo=Ruolo.Tipo.SEGRETERIA)  # of another comune
    client.force_login(estraneo)
    assert client.get(ente.url).status_code == 404
    # The piano under another comune's slug is not found either.
    altro = RuoloFactory(utente=estraneo, tipo=Ruolo.Tipo.SEGRETERIA).comune
    url = reverse("relazione", args=[altro.slug, ente.piano.pk])
    assert client.get(url).status_code == 404


def test_year_defaults_to_the_one_being_reported_and_can_be_chosen(client, ente):
    _scheda(
        ente.piano,
        ente.a,
        "A-2020",
        100,
        [12],
        S.APPROVATO,
        anno=2020,
        anno_inizio=2020,
        anno_fine=2020,
    )
    client.force_login(ente.segreteria)
    # 2019 has schede rendicontate, 2020 only an approved one: 2019 is being reported.
    html = client.get(ente.url).content.decode()
    assert "Relazione sulla performance 2019" in html and "A-2020" not in html
    assert 'aria-current="page" href="?anno=2019"' in html and 'href="?anno=2020"' in html
    html = client.get(ente.url + "?anno=2020").content.decode()
    assert "Relazione sulla performance 2020" in html and "A-2020" in html
    assert "Relazione sulla performance 2019" in client.get(ente.url + "?anno=x").content.decode()


def _piano_sintetico(slug, settori):
    call_command(
        "genera_dati",
        "--comune",
        slug,
        "--settori",
        str(settori),
        "--obiettivi",
        "4",
        "--indicatori",
        "2",
        "--fasi",
        "1",
        stdout=io.StringIO(),
    )
    comune = Comune.objects.get(slug=slug)
    oiv = UserFactory(username=f"oiv-{slug}")
    RuoloFactory(utente=oiv, comune=comune, tipo=Ruolo.Tipo.OIV)
    responsabile = UserFactory(username=f"resp-{slug}")
    settori_ = list(Settore.objects.filter(comune=comune).order_by("codice"))
    RuoloFactory(utente=responsabile, comune=comune, tipo=Ruolo.Tipo.RESPONSABILE).settori.add(
        settori_[0]
    )
    # A validated scheda in every settore, some drafts: every path of the builder runs.
    for settore in settori_:
        primo, secondo = Obiettivo.objects.filter(settore=settore).order_by("codice")[:2]
        _valida(
            primo,
            oiv,
            note="Nota",
            obiettivo_a=50,
            indicatori=[(primo.indicatori.first(), 40, "Perché")],
        )
        secondo.stato = S.BOZZA
        secondo.save()
    return comune.piani.get(), oiv, responsabile


def test_queries_do_not_grow_with_the_piano(client, db, django_assert_max_num_queries, settings):
    settings.PIANO_SCHEDE_IN_PAGINA = 1000  # the whole document (grouped: test_pagine_piano)
    for slug, settori in (("uno", 1), ("trenta", 30)):
        piano, oiv, responsabile = _piano_sintetico(slug, settori)
        url = reverse("relazione", args=[slug, piano.pk])
        for user in (oiv, responsabile):
            client.force_login(user)
            with django_assert_max_num_queries(15):
                risposta = client.get(url)
            assert risposta.status_code == 200
            html = risposta.content.decode()
            assert html.count('class="settore-relazione') == settori
            assert html.count("Perché") >= settori


def test_demo_seregno_and_cinisello_render_with_their_settori(client, demo):
    for comune in demo("seregno", "cinisello-balsamo"):
        user = UserFactory(username=f"segr-{comune.slug}")
        RuoloFactory(utente=user, comune=comune, tipo=Ruolo.Tipo.SEGRETERIA)
        client.force_login(user)
        piano = comune.piani.get()
        risposta = client.get(reverse("relazione", args=[comune.slug, piano.pk]))
        assert risposta.status_code == 200
        html = risposta.content.decode()
        assert "Relazione sulla performance 2019" in html
        rel = relazione(piano, 2019)
        settori = set(
            Obiettivo.objects.filter(piano=piano, anno=2019).values_list("settore", flat=True)
        )
        assert {s.settore.pk for s in rel.settori} == settori and settori
        for sezione in rel.settori:
            assert f'id="settore-{sezione.settore.pk}"' in html
            assert sezione.settore.nome.replace("'", "&#x27;") in html
        assert rel.n_obiettivi == Obiettivo.objects.filter(piano=piano, anno=2019).count()


def test_an_obiettivo_not_measurable_says_why_in_the_relazione(db):
    piano = PianoFactory()
    obiettivo = ObiettivoFactory(piano=piano, codice="N 1", stato=S.RENDICONTATO)
    indicatore = IndicatoreFactory(
        obiettivo=obiettivo, numero=1, peso=None, graduazione="", valore_atteso=None
    )
    RilevazioneFactory(indicatore=indicatore, valore=D(12))
    rel = relazione(piano, 2019)
    ((_, riga),) = rel.non_raggiunti
    assert dict(riga.motivi())["Non misurabili"] == "indicatore 1: manca il valore atteso"
    assert dict(riga.motivi())["Esito"] == "non misurabile"


def test_the_threshold_of_the_piano_decides_what_is_not_reached(client, ente):
    assert ente.piano.soglia_raggiunto == D(100)  # the default
    ente.piano.soglia_raggiunto = D(90)
    ente.piano.save()
    rel = relazione(ente.piano, 2019)
    assert _riga(rel, "A-1").raggiunto  # validated at 90%
    assert not _riga(rel, "A-2").raggiunto  # 80%
    client.force_login(ente.segreteria)
    html = client.get(ente.url).content.decode()
    non_raggiunti = html.split('id="non-raggiunti"')[1].split('id="motivazioni-oiv"')[0]
    assert "A-1" not in non_raggiunti and "A-2" in non_raggiunti
    assert "4 obiettivi: 2 raggiunti (almeno 90,00%), 2 non raggiunti" in html
    assert "100%" not in html.split('id="sintesi"')[1].split("</section>")[0]


def test_counts_agree_with_their_number(client, ente):
    client.force_login(ente.segreteria)
    html = client.get(ente.url).content.decode()
    assert "1 raggiunto (almeno 100,00%), 3 non raggiunti o non misurabili" in html
    assert "1 validato dall'OIV, 1 in attesa di validazione" in html


def test_the_threshold_is_edited_with_the_measurement_system(client, ente):
    from peg.admin import PianoAdmin

    campi = [c for nome, opzioni in PianoAdmin.fieldsets for c in opzioni["fields"]]
    sistema = dict(PianoAdmin.fieldsets)["Sistema di misurazione"]["fields"]
    assert "soglia_raggiunto" in sistema and campi.count("soglia_raggiunto") == 1


def test_the_piano_page_states_the_threshold(client, ente):
    ente.piano.soglia_raggiunto = D("90")
    ente.piano.save()
    client.force_login(ente.segreteria)
    html = client.get(reverse("piano", args=["borgo-r", ente.piano.pk])).content.decode()
    assert "un obiettivo è raggiunto da 90,00%." in html
