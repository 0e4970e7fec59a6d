"""The read model of a scheda (objectives.lettura): the same figures for page, PDF and
review, in a number of queries that does not grow with the schede."""

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from objectives.lettura import leggi_scheda, leggi_schede
from objectives.models import Obiettivo

pytestmark = pytest.mark.django_db


def _conta(queryset) -> tuple[int, list]:
    with CaptureQueriesContext(connection) as q:
        schede = leggi_schede(queryset)
    return len(q), schede


def test_queries_do_not_grow_with_the_schede(ente):
    ente.scheda("in_monitoraggio", "con_rilevazioni", "con_fasi", "con_risorse")
    pochi, _ = _conta(Obiettivo.objects.filter(piano=ente.piano))
    for _ in range(4):
        ente.scheda("in_monitoraggio", "con_rilevazioni", "con_fasi", "con_risorse")
    molti, schede = _conta(Obiettivo.objects.filter(piano=ente.piano))
    assert len(schede) == 5
    assert molti == pochi


def test_a_sliced_queryset_is_read_too(ente):
    prima = ente.scheda("bozza", "con_indicatori")
    ente.scheda("bozza", "con_indicatori")
    (scheda,) = leggi_schede(Obiettivo.objects.filter(piano=ente.piano).order_by("pk")[:1])
    assert scheda.pk == prima.pk
    assert [i.numero for i in scheda.lista_indicatori] == [1, 2]


def test_validated_figures_count_on_the_read_scheda(ente):
    scheda = ente.scheda("validato", "con_rettifica")
    letta = leggi_scheda(Obiettivo.objects.select_related("piano__comune").get(pk=scheda.pk))
    assert letta.esito.validato and letta.esito.punteggio == D("95.00")
    assert [r.punteggio for r in letta.figli["rettifiche"]] == [D("95.00")]
    # Reopened: the computed figure counts again, the rettifica stays in history.
    Obiettivo.objects.filter(pk=scheda.pk).update(stato=Obiettivo.Stato.IN_MONITORAGGIO)
    riaperta = leggi_scheda(Obiettivo.objects.select_related("piano__comune").get(pk=scheda.pk))
    assert not riaperta.esito.validato and riaperta.figli["rettifiche"] == []


def test_a_scheda_deleted_after_the_access_check_is_a_404(ente):
    """The page checks access, then reads: a scheda deleted in between (another user,
    the admin) answers 404, not a 500 (before: TypeError on the missing row)."""
    from django.http import Http404

    from objectives import rendicontazione

    for leggi in (leggi_scheda, lambda o: rendicontazione.carica(o, presenze=True)):
        scheda = ente.scheda("in_monitoraggio", "con_rilevazioni")
        in_memoria = Obiettivo.objects.select_related("piano__comune").get(pk=scheda.pk)
        Obiettivo.objects.filter(pk=scheda.pk).delete()
        with pytest.raises(Http404):
            leggi(in_memoria)
