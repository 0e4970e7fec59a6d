"""The light loading of ``carica_punteggi``: the same values as Django's, in five queries,
the collector paused only while it runs. The scores themselves: test_punteggi_identici."""

import gc
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

import indicators.caricamento as caricamento
from indicators.caricamento import (
    _CAMPI_FASE_LEGGERA,
    _CAMPI_INDICATORE_LEGGERO,
    CAMPI_OBIETTIVO,
    CAMPI_RILEVAZIONE,
    _obiettivi_con_settore,
    _testo_regola,
    carica_figli,
    carica_punteggi,
    righe,
)
from indicators.engine.graduation import GraduationSyntaxError
from indicators.models import Indicatore, Rilevazione
from objectives.models import Fase, Obiettivo

from .factories import FaseFactory, IndicatoreFactory, ObiettivoFactory, RilevazioneFactory

pytestmark = pytest.mark.django_db


def _querysets():
    return [
        Indicatore.objects.order_by("id").values_list(*_CAMPI_INDICATORE_LEGGERO, _testo_regola()),
        Fase.objects.order_by("id").values_list(*_CAMPI_FASE_LEGGERA, _testo_regola()),
        Rilevazione.objects.order_by("id").values_list(*CAMPI_RILEVAZIONE),
        Obiettivo.objects.order_by("id").values_list("id", "peso", "settore__nome"),
    ]


def test_righe_sono_quelle_di_django(demo):
    demo("seregno", "chiavari")
    for qs in _querysets():
        attese = list(qs)
        assert attese
        assert righe(qs) == attese
        assert [list(map(type, r)) for r in righe(qs)] == [list(map(type, r)) for r in attese]
        assert righe(qs.none()) == []


def test_obiettivi_come_only_e_select_related(demo):
    demo("seregno")
    qs = Obiettivo.objects.select_related("settore").only(*CAMPI_OBIETTIVO).order_by("id")
    attesi, trovati = list(qs), _obiettivi_con_settore(qs)
    assert trovati == attesi
    for a, t in zip(attesi, trovati, strict=True):
        for campo in CAMPI_OBIETTIVO:
            assert getattr(t, campo) == getattr(a, campo), campo
        assert t.punteggio == a.punteggio
        assert (
            t.settore.nome == a.settore.nome
            and t.settore.responsabili_testo == a.settore.responsabili_testo
        )
        assert t.get_deferred_fields() == a.get_deferred_fields()
    with CaptureQueriesContext(connection) as queries:  # not loaded: read on access, as .only()
        denominazione = trovati[0].denominazione
    assert len(queries) == 1
    assert denominazione == attesi[0].denominazione


def test_cinque_query_e_nessuna_scheda(django_assert_num_queries):
    obiettivo = ObiettivoFactory(validato=True)
    indicatore = IndicatoreFactory(obiettivo=obiettivo, graduazione="proporzionale")
    RilevazioneFactory(indicatore=indicatore, tipo="finale")
    FaseFactory(obiettivo=obiettivo)
    with django_assert_num_queries(5):
        punteggi = carica_punteggi(obiettivo.piano, obiettivo.anno)
    assert list(punteggi.obiettivi) == [obiettivo.pk]
    vuoto = carica_punteggi(obiettivo.piano, obiettivo.anno + 50)
    assert vuoto.obiettivi == {} and not vuoto.ente.calcolato
    assert carica_figli(Obiettivo.objects.none(), leggeri=True) == []


def test_graduazione_illeggibile_resta_un_errore_a_ogni_lettura():
    obiettivo = ObiettivoFactory()
    indicatore = IndicatoreFactory(obiettivo=obiettivo)
    Indicatore.objects.filter(pk=indicatore.pk).update(graduazione="xyz qwerty ??", regola=None)
    (scheda,) = carica_figli(Obiettivo.objects.filter(pk=obiettivo.pk), leggeri=True)
    (leggero,) = scheda.figli["indicatori"]
    for _ in range(2):
        with pytest.raises(GraduationSyntaxError):
            leggero.regola_letta()
    esito = carica_punteggi(obiettivo.piano, obiettivo.anno).dettagli[obiettivo.pk]
    assert esito["indicatori"][indicatore.pk].stato == "non calcolabile"


def test_raccolta_sospesa_solo_durante_il_caricamento(monkeypatch):
    obiettivo = ObiettivoFactory()
    IndicatoreFactory(obiettivo=obiettivo)
    durante = []
    originale = caricamento.calcola

    def spia(*args, **kwargs):
        durante.append(gc.isenabled())
        return originale(*args, **kwargs)

    monkeypatch.setattr(caricamento, "calcola", spia)
    assert gc.isenabled()
    carica_punteggi(obiettivo.piano, obiettivo.anno)
    assert durante == [False] and gc.isenabled()
    gc.disable()
    try:
        carica_punteggi(obiettivo.piano, obiettivo.anno)
        assert not gc.isenabled()  # the caller's choice is kept
    finally:
        gc.enable()


def test_punteggi_validati_letti_solo_se_una_scheda_puo_averne(django_assert_num_queries):
    """The OIV's figures count only for *validato* schede: with none loaded, no query."""
    bozza = ObiettivoFactory()
    rettificata = ObiettivoFactory(con_rettifica=True, piano=bozza.piano)
    # Reopened: its rettifica stays in the database but no longer counts.
    riaperta = ObiettivoFactory(con_rettifica=True, piano=bozza.piano)
    Obiettivo.objects.filter(pk=riaperta.pk).update(stato=Obiettivo.Stato.RENDICONTATO)
    for leggeri in (True, False):
        non_validate = Obiettivo.objects.exclude(pk=rettificata.pk).only(*CAMPI_OBIETTIVO)
        with django_assert_num_queries(4):  # schede, rilevazioni, indicatori, fasi
            schede = carica_figli(non_validate, leggeri=leggeri)
        assert {o.pk: o.figli["rettifiche"] for o in schede} == {bozza.pk: [], riaperta.pk: []}
        with django_assert_num_queries(5):
            schede = carica_figli(Obiettivo.objects.only(*CAMPI_OBIETTIVO), leggeri=leggeri)
        rettifiche = {o.pk: [r.punteggio for r in o.figli["rettifiche"]] for o in schede}
        assert rettifiche == {bozza.pk: [], rettificata.pk: [D("95.00")], riaperta.pk: []}
    # The stato not loaded: read with the rettifiche, not one query per scheda.
    with django_assert_num_queries(5):
        schede = carica_figli(Obiettivo.objects.defer("stato"), leggeri=True)
    assert [r.punteggio for o in schede for r in o.figli["rettifiche"]] == [D("95.00")]


def test_pochi_figli_per_id_gli_stessi_della_sottoquery(monkeypatch):
    """A few schede: children by the ids of the schede just read (no subquery to compile
    again in each query); many: by the same filter. The same children either way."""
    piano = ObiettivoFactory(con_rettifica=True).piano
    for _ in range(2):
        obiettivo = ObiettivoFactory(piano=piano, in_monitoraggio=True)
        RilevazioneFactory(indicatore=IndicatoreFactory(obiettivo=obiettivo), tipo="finale")
        FaseFactory(obiettivo=obiettivo)

    def carica():
        with CaptureQueriesContext(connection) as queries:
            schede = carica_figli(Obiettivo.objects.filter(piano=piano), leggeri=True)
        figli = {o.pk: o.figli for o in schede}
        return figli, [q["sql"].count("objectives_obiettivo") for q in queries[1:]]

    per_id, menzioni = carica()
    assert menzioni[:3] == [0, 0, 0] and len(menzioni) == 4  # rilevazioni, indicatori, fasi
    monkeypatch.setattr(caricamento, "PER_ID", 2)
    per_filtro, menzioni = carica()
    assert all(menzioni) and per_filtro == per_id
    assert sum(len(f["rettifiche"]) for f in per_id.values()) == 1
