"""The project's URL conf plus views that fail on purpose (tests/test_errori.py): the
error handlers are the project's own (``peg.urls``)."""

from django.core.exceptions import BadRequest, SuspiciousOperation
from django.urls import path

from peg.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def errore_del_server(request):
    raise RuntimeError("un guasto")


def richiesta_errata(request):
    raise BadRequest("parametro sbagliato")


def richiesta_sospetta(request):
    raise SuspiciousOperation("intestazione falsificata")


urlpatterns = [
    path("prova/errore/", errore_del_server, name="prova_errore"),
    path("prova/errata/", richiesta_errata, name="prova_errata"),
    path("prova/sospetta/", richiesta_sospetta, name="prova_sospetta"),
    *urlpatterns,
]
