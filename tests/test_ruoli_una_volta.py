"""A user's roles are read once per request (once per user object) and a change of
roles in the same process is seen at once by the same user object."""

import datetime

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from objectives.access import obiettivo_for_user
from peg import access
from peg.access import ruoli_sulla_scheda
from peg.models import Ruolo
from tests.factories import ObiettivoFactory, RuoloFactory, SettoreFactory, UserFactory
from tests.utenti import utente


def _letture_ruoli(queries) -> int:
    return sum(
        'FROM "peg_ruolo"' in q["sql"] and '"peg_ruolo"."tipo"' in q["sql"]
        for q in queries.captured_queries
    )


def test_scheda_page_reads_the_roles_once(client, db):
    obiettivo = ObiettivoFactory(data_fine_prevista=datetime.date(2019, 12, 31))
    user = UserFactory(username="lettore-r")
    RuoloFactory(utente=user, comune=obiettivo.piano.comune)
    client.force_login(user)
    url = reverse("obiettivo", args=[obiettivo.piano.comune.slug, obiettivo.pk])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert _letture_ruoli(queries) == 1


def test_the_same_user_object_sees_a_new_role_at_once(db):
    settore = SettoreFactory()
    comune = settore.comune
    user = UserFactory(username="cambia-ruolo")
    assert not access.e_segreteria(user, comune)
    segreteria = RuoloFactory(utente=user, comune=comune, tipo=Ruolo.Tipo.SEGRETERIA)
    assert access.e_segreteria(user, comune)
    segreteria.delete()
    assert not access.e_segreteria(user, comune)
    # Created by id (another object for the same user), then given a settore.
    responsabile = Ruolo.objects.create(
        utente_id=user.pk, comune=comune, tipo=Ruolo.Tipo.RESPONSABILE
    )
    assert access.ruoli(user, comune).settori == frozenset()
    responsabile.settori.add(settore)
    assert access.ruoli(user, comune).settori == {settore.pk}
    responsabile.settori.clear()
    assert access.ruoli(user, comune).settori == frozenset()
    responsabile.tipo = Ruolo.Tipo.OIV
    responsabile.save()
    assert access.ruoli(user, comune).tipi == {Ruolo.Tipo.OIV}


def test_roles_are_read_once_per_user_object_and_comune(db):
    settore = SettoreFactory()
    user = UserFactory(username="una-volta")
    RuoloFactory(utente=user, comune=settore.comune)
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            access.ruoli(user, settore.comune)
            access.ruoli(user, settore.comune_id)
    assert len(queries.captured_queries) == 1


# ---------------------------------------------------------------- the comune with its roles
# Every page of a comune starts from ``comune_for_user`` (the comune by its slug, if the
# user has a role there); the roles come from the same rows, so the page's own ``ruoli``
# (buttons, menus, which schede) costs no further query.


def _conta(funzione):
    with CaptureQueriesContext(connection) as queries:
        risultato = funzione()
    return risultato, len(queries.captured_queries)


def test_the_comune_and_the_roles_come_from_one_query(ente):
    for user in (ente.segreteria, ente.responsabile_a, ente.lettore, ente.superuser):
        user = type(user).objects.get(pk=user.pk)  # a new request's user: nothing memoised
        comune, n = _conta(lambda u=user: access.comune_for_user(u, ente.comune.slug))
        assert comune == ente.comune and n == 1, user
        _, n = _conta(lambda u=user: access.ruoli(u, ente.comune))
        assert n == 0, user
    assert access.ruoli(ente.responsabile_a, ente.comune).settori == {ente.settore_a.pk}


def test_the_roles_read_with_the_comune_are_the_roles(ente):
    """Several roles and several settori: more rows of the same comune."""
    doppio = utente(ente.comune, Ruolo.Tipo.RESPONSABILE, [ente.settore_a, ente.settore_b])
    RuoloFactory(utente=doppio, comune=ente.comune, tipo=Ruolo.Tipo.LETTORE)
    RuoloFactory(utente=doppio, comune=ente.altro_comune, tipo=Ruolo.Tipo.SEGRETERIA)
    user = type(doppio).objects.get(pk=doppio.pk)
    assert access.comune_for_user(user, ente.comune.slug) == ente.comune
    letti = access.ruoli(user, ente.comune)
    assert letti == access._leggi_ruoli(doppio, ente.comune.pk)
    assert letti.tipi == {Ruolo.Tipo.RESPONSABILE, Ruolo.Tipo.LETTORE}
    assert letti.settori == {ente.settore_a.pk, ente.settore_b.pk}
    assert access.ruoli(user, ente.altro_comune).segreteria


@pytest.mark.parametrize("profilo", ["senza_ruolo", "estraneo"])
def test_no_role_in_the_comune_is_404_as_an_unknown_comune(ente, profilo):
    user = ente.profilo(profilo)
    for slug in (ente.comune.slug, "nessun-comune"):
        with pytest.raises(Http404) as errore:
            access.comune_for_user(user, slug)
        # Django's own words, which the 404 page does not show (peg.views.non_trovato).
        assert "matches the given query" in str(errore.value)


def test_a_role_changed_after_the_comune_was_read_counts_at_once(ente):
    user = type(ente.responsabile_b).objects.get(pk=ente.responsabile_b.pk)
    access.comune_for_user(user, ente.comune.slug)
    assert access.ruoli(user, ente.comune).settori == {ente.settore_b.pk}
    Ruolo.objects.get(utente=user, comune=ente.comune).settori.add(ente.settore_a)
    assert access.ruoli(user, ente.comune).settori == {ente.settore_a.pk, ente.settore_b.pk}


@pytest.mark.parametrize("profilo", ["segreteria", "responsabile_a", "lettore", "superuser"])
def test_a_scheda_is_checked_in_two_queries(ente, profilo):
    """The comune with the roles, then the scheda (with its piano, comune and settore)."""
    scheda = ente.scheda("in_monitoraggio")
    user = ente.profilo(profilo)
    user = type(user).objects.get(pk=user.pk)
    obiettivo, n = _conta(lambda: obiettivo_for_user(user, ente.comune.slug, scheda.pk))
    assert obiettivo == scheda and n == 2
    _, n = _conta(
        lambda: (
            obiettivo.piano.comune.slug,
            obiettivo.settore.nome,
            ruoli_sulla_scheda(user, obiettivo),
        )
    )
    assert n == 0


def test_a_change_is_checked_in_two_queries(ente):
    scheda = ente.scheda("in_monitoraggio")
    user = type(ente.responsabile_a).objects.get(pk=ente.responsabile_a.pk)
    obiettivo, n = _conta(
        lambda: obiettivo_for_user(user, ente.comune.slug, scheda.pk, ambito="rendicontazione")
    )
    assert obiettivo == scheda and n == 2


def test_a_piano_is_checked_in_two_queries(ente):
    user = type(ente.lettore).objects.get(pk=ente.lettore.pk)
    piano, n = _conta(lambda: access.piano_for_user(user, ente.comune.slug, ente.piano.pk))
    assert piano == ente.piano and n == 2
    _, n = _conta(lambda: (piano.comune.slug, access.ruoli(user, piano.comune)))
    assert n == 0


def test_every_comune_of_the_user_with_its_roles_in_one_query(ente):
    """The home page: the user's comuni by name, the roles in each read with them."""
    RuoloFactory(utente=ente.responsabile_a, comune=ente.altro_comune, tipo=Ruolo.Tipo.OIV)
    for user in (ente.responsabile_a, ente.lettore, ente.superuser, ente.senza_ruolo):
        user = type(user).objects.get(pk=user.pk)
        comuni, n = _conta(lambda u=user: access.comuni_con_ruoli(u))
        assert comuni == list(access.comuni_visibili(user)) and n == 1, user
        _, n = _conta(lambda u=user, cc=comuni: [access.ruoli(u, c) for c in cc])
        assert n == 0, user
    user = type(ente.responsabile_a).objects.get(pk=ente.responsabile_a.pk)
    assert [c.slug for c in access.comuni_con_ruoli(user)] == ["borgo-altrove", "borgo"]
    assert access.ruoli(user, ente.comune) == access._leggi_ruoli(user, ente.comune.pk)
    assert access.ruoli(user, ente.altro_comune).tipi == {Ruolo.Tipo.OIV}
