"""peg.compilate: a query compiled once per database gives, for any value of its
placeholders, what the queryset built with that value gives (rows, conversions,
model instances with their annotations)."""

from decimal import Decimal as D

import pytest
from django.db.models import Count

from indicators.models import Indicatore
from objectives.models import Obiettivo
from peg.compilate import Compilata

from .factories import IndicatoreFactory, ObiettivoFactory

pytestmark = pytest.mark.django_db

SEGNAPOSTO = -99_001


def test_rows_and_instances_are_the_querysets_for_every_value():
    schede = [ObiettivoFactory(), ObiettivoFactory()]
    for n, scheda in enumerate(schede, 1):
        for numero in range(1, n + 2):
            IndicatoreFactory(obiettivo=scheda, numero=numero, peso=D("33.33"))
    creati = []

    def indicatori(valore):
        return Indicatore.objects.filter(obiettivo_id=valore).order_by("numero")

    def crea():
        creati.append(1)
        return indicatori(SEGNAPOSTO)

    righe = Compilata(lambda: indicatori(SEGNAPOSTO).values_list("numero", "peso"))
    istanze = Compilata(crea)
    for scheda in schede * 2:
        attese = [list(r) for r in indicatori(scheda.pk).values_list("numero", "peso")]
        lette = [list(r) for r in righe.righe({SEGNAPOSTO: scheda.pk})]
        assert lette == attese and all(isinstance(peso, D) for _n, peso in lette)
        lette = istanze.istanze({SEGNAPOSTO: scheda.pk})
        assert [(i.pk, i.peso, i.obiettivo_id) for i in lette] == [
            (i.pk, i.peso, i.obiettivo_id) for i in indicatori(scheda.pk)
        ]
    assert creati == [1]  # built and compiled once for the database


def test_annotations_are_set_on_the_instances():
    scheda = ObiettivoFactory()
    IndicatoreFactory.create_batch(3, obiettivo=scheda)
    con_conto = Compilata(
        lambda: Obiettivo.objects.filter(pk=SEGNAPOSTO).annotate(n=Count("indicatori"))
    )
    (letta,) = con_conto.istanze({SEGNAPOSTO: scheda.pk})
    assert (letta.pk, letta.n, letta.codice) == (scheda.pk, 3, scheda.codice)
    assert con_conto.istanze({SEGNAPOSTO: scheda.pk + 1000}) == []


def test_the_objects_of_select_related_come_with_the_instances(django_assert_num_queries):
    schede = [ObiettivoFactory(), ObiettivoFactory()]

    def con_piano(valore):
        return Obiettivo.objects.filter(pk=valore).select_related("piano__comune", "settore")

    compilata = Compilata(lambda: con_piano(SEGNAPOSTO))
    for scheda in schede:
        with django_assert_num_queries(1):
            (letta,) = compilata.istanze({SEGNAPOSTO: scheda.pk})
            assert (letta.piano.comune.slug, letta.settore.nome) == (
                scheda.piano.comune.slug,
                scheda.settore.nome,
            )
        attesa = con_piano(scheda.pk).get()
        for a, b in ((letta, attesa), (letta.piano, attesa.piano), (letta.settore, attesa.settore)):
            assert a.__dict__.keys() == b.__dict__.keys()
            assert {k: v for k, v in a.__dict__.items() if k != "_state"} == {
                k: v for k, v in b.__dict__.items() if k != "_state"
            }


def test_per_chiave_builds_each_key_once():
    from peg.compilate import PerChiave

    per_chiave = PerChiave()
    uno = per_chiave("a", lambda: Obiettivo.objects.filter(pk=SEGNAPOSTO))
    assert per_chiave("a", lambda: Obiettivo.objects.none()) is uno
    assert per_chiave("b", lambda: Obiettivo.objects.filter(pk=SEGNAPOSTO)) is not uno
