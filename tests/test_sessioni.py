"""Sessions stay Django's database sessions (``django_session``), read in one lean
statement (peg.sessioni): the same rows, the same signed data, the same expiry."""

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from peg import sessioni

pytestmark = pytest.mark.django_db


def test_a_logged_in_page_reads_only_the_session_data(client, ente):
    client.force_login(ente.lettore)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("password_change_done")).status_code == 200
    lette = [q["sql"] for q in queries.captured_queries if "django_session" in q["sql"]]
    assert len(lette) == 1
    colonne = lette[0].split(" FROM ")[0]
    assert "session_data" in colonne and "expire_date" not in colonne


def test_sessions_written_by_django_read_the_same():
    """Sessions opened before this store (Django's own) stay open: same signing salt."""
    di_django = db.SessionStore()
    di_django.update({"_auth_user_id": "7", "chiave": [1, "due"]})
    di_django.save()
    nostra = sessioni.SessionStore(di_django.session_key)
    assert nostra.load() == {"_auth_user_id": "7", "chiave": [1, "due"]}
    assert nostra.session_key == di_django.session_key
    nostra["altro"] = 3
    nostra.save()
    assert db.SessionStore(di_django.session_key).load()["altro"] == 3


@pytest.mark.parametrize("chiave", ["scaduta", "sconosciuta", None])
def test_an_expired_or_unknown_session_is_empty_and_loses_its_key(chiave):
    sessione = db.SessionStore()
    sessione["_auth_user_id"] = "7"
    sessione.save()
    Session.objects.filter(session_key=sessione.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    chiavi = {"scaduta": sessione.session_key, "sconosciuta": "x" * 32, None: None}
    nostra = sessioni.SessionStore(chiavi[chiave])
    assert nostra.load() == {}
    assert nostra.session_key is None


def test_the_project_uses_it():
    assert settings.SESSION_ENGINE == "peg.sessioni"
