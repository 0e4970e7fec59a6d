"""/salute/, the load balancer's health check: database and worker, ok or ko, 200 or 503,
reachable by IP and over plain http, never cached, never a 500."""

import datetime

import pytest
from django.db import OperationalError, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

pytestmark = pytest.mark.django_db

DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def coda_db(settings):
    settings.TASKS = DATABASE
    settings.SALUTE_CODA_MINUTI = 10


def _lavoro(*, accodato_minuti_fa=0, run_after=None, stato="READY"):
    lavoro = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="reporting.tasks.stampa_piano",
        backend_name="default",
        run_after=run_after or get_date_max(),
        status=stato,
    )
    DBTaskResult.objects.filter(pk=lavoro.pk).update(
        enqueued_at=timezone.now() - datetime.timedelta(minutes=accodato_minuti_fa)
    )
    return lavoro


def _salute(client=None, **extra):
    return (client or Client()).get("/salute/", **extra)


def test_healthy_answers_200_json_not_cached(coda_db):
    _lavoro(accodato_minuti_fa=2)  # queued a moment ago: the worker keeps up
    risposta = _salute()
    assert risposta.status_code == 200
    assert risposta.json() == {"stato": "ok", "database": "ok", "coda": "ok"}
    assert "no-store" in risposta["Cache-Control"]
    assert reverse("salute") == "/salute/"


def test_a_task_waiting_too_long_means_503(coda_db):
    _lavoro(accodato_minuti_fa=11)
    risposta = _salute()
    assert risposta.status_code == 503
    assert risposta.json() == {"stato": "ko", "database": "ok", "coda": "ko"}


def test_deferred_running_and_finished_tasks_do_not_count(coda_db):
    adesso = timezone.now()
    _lavoro(accodato_minuti_fa=60, run_after=adesso + datetime.timedelta(minutes=5))
    _lavoro(accodato_minuti_fa=60, run_after=adesso - datetime.timedelta(minutes=3))
    _lavoro(accodato_minuti_fa=60, stato="RUNNING")
    _lavoro(accodato_minuti_fa=60, stato="SUCCESSFUL")
    assert _salute().status_code == 200
    # A deferred task that became due 11 minutes ago and is still waiting: stuck.
    _lavoro(accodato_minuti_fa=60, run_after=adesso - datetime.timedelta(minutes=11))
    assert _salute().json()["coda"] == "ko"


def test_the_threshold_is_a_setting(coda_db, settings):
    _lavoro(accodato_minuti_fa=11)
    settings.SALUTE_CODA_MINUTI = 30
    assert _salute().status_code == 200


def test_database_down_is_503_not_500(coda_db, monkeypatch, caplog):
    def giu(self, *args, **kwargs):
        raise OperationalError("connection refused: segreto-del-server")

    monkeypatch.setattr(type(connections["default"]), "cursor", giu)
    risposta = _salute()
    assert risposta.status_code == 503
    assert risposta.json() == {"stato": "ko", "database": "ko", "coda": "ko"}
    assert b"segreto" not in risposta.content  # the reason stays in the log
    assert "segreto-del-server" in caplog.text


def test_reachable_by_ip_over_http_without_login_session_or_csrf(coda_db, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["peg.comune.example.it"]
    client = Client(enforce_csrf_checks=True)
    risposta = client.get("/salute/", HTTP_HOST="10.1.2.3")
    assert risposta.status_code == 200
    assert not risposta.cookies  # no session, no CSRF cookie
    assert client.head("/salute/", HTTP_HOST="10.1.2.3").status_code == 200
    # Every other page still checks the host and redirects to https.
    assert client.get("/accesso/", HTTP_HOST="10.1.2.3").status_code == 400
    altra = client.get("/accesso/", HTTP_HOST="peg.comune.example.it")
    assert altra.status_code == 301 and altra["Location"].startswith("https://")


def test_only_get_and_head(coda_db):
    risposta = Client().post("/salute/")
    assert risposta.status_code == 405 and risposta["Allow"] == "GET, HEAD"


def test_without_a_database_queue_the_worker_is_not_checked(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    _lavoro(accodato_minuti_fa=60)
    assert _salute().json() == {"stato": "ok", "database": "ok", "coda": "ok"}
