"""``/salute/``: is this application server fit to receive requests? For the load balancer.

Two checks, each ``ok`` or ``ko`` (the reason only in the server log, never in the
answer): the database answers a trivial query, and the background worker keeps up — the
oldest task of the database queue ready to run has waited less than
``SALUTE_CODA_MINUTI`` minutes. 200 when both are ok, 503 otherwise.

The answer comes from a middleware placed first: before the HTTPS redirect, the
``ALLOWED_HOSTS`` check (the balancer calls ``http://10.x.y.z/salute/`` with the
server's address as Host), sessions, CSRF, the login lock; never cached. ``salute`` is
therefore a reserved path: no comune may take it as its slug (``PERCORSO``).
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Min
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max

logger = logging.getLogger(__name__)

PERCORSO = "/salute/"
OK, KO = "ok", "ko"


def database() -> str:
    try:
        with connection.cursor() as cursore:
            cursore.execute("SELECT 1")
            cursore.fetchone()
    except Exception:  # whatever the driver raises, the answer is "ko", never a 500
        logger.warning("Salute: il database non risponde", exc_info=True)
        return KO
    return OK


def in_attesa_da() -> timedelta | None:
    """How long the oldest task ready to run has waited (None: none waits). A task
    deferred (``run_after``) waits from then, the others from when they were queued."""
    pronti = DBTaskResult.objects.ready()
    senza_data = pronti.filter(run_after=get_date_max()).aggregate(m=Min("enqueued_at"))["m"]
    rinviati = pronti.exclude(run_after=get_date_max()).aggregate(m=Min("run_after"))["m"]
    inizi = [d for d in (senza_data, rinviati) if d is not None]
    return timezone.now() - min(inizi) if inizi else None


def coda() -> str:
    """ok when no task ready to run has waited ``SALUTE_CODA_MINUTI`` minutes or more;
    with a backend that keeps no queue in the database there is nothing to wait for."""
    if not isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
        return OK
    try:
        attesa = in_attesa_da()
    except Exception:
        logger.warning("Salute: la coda dei lavori non si legge", exc_info=True)
        return KO
    if attesa is not None and attesa >= timedelta(minutes=settings.SALUTE_CODA_MINUTI):
        logger.warning("Salute: un lavoro aspetta il worker da %s", attesa)
        return KO
    return OK


def risposta(request) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        risposta = HttpResponse(status=405)
        risposta["Allow"] = "GET, HEAD"
    else:
        controlli = {"database": database()}
        controlli["coda"] = coda() if controlli["database"] == OK else KO
        sano = all(v == OK for v in controlli.values())
        risposta = JsonResponse(
            {"stato": OK if sano else KO, **controlli}, status=200 if sano else 503
        )
    patch_cache_control(risposta, no_store=True, no_cache=True, max_age=0)
    return risposta


class Salute:
    """First middleware: answers ``/salute/`` itself, hands every other request on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == PERCORSO:
            return risposta(request)
        return self.get_response(request)


def vista(request):
    """The same answer when reached through the URLconf (``reverse("salute")``)."""
    return risposta(request)
