"""A user's roles are read once per request (once per user object) and a change of
roles in the same process is seen at once by the same user object."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from peg import access
from peg.models import Ruolo
from tests.factories import ObiettivoFactory, RuoloFactory, SettoreFactory, UserFactory


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
