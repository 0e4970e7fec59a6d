"""The service's errors as HTTP answers, in one place.

``TransizioneNonAmmessa`` is a ``PermissionDenied``: a view that lets it through gets
the 403 page with the reason (``peg.views.negato``, the project's handler403).
``ModificaConcorrente`` becomes 409 with what changed meanwhile: ``conflitto`` renders
it on the page the user was on (the form keeps what he typed), ``ErroriModifica`` on
its own page for any view that lets it through.
"""

from django.contrib import messages
from django.shortcuts import render

from .modifiche import ModificaConcorrente

NON_SALVATE = "Le tue modifiche non sono state salvate: ricarica la pagina e inseriscile di nuovo."


def conflitto(request, errore: ModificaConcorrente, template: str, contesto: dict):
    """409: the page again, with the message and the list of what changed meanwhile."""
    messages.error(request, f"{errore} {NON_SALVATE}")
    return render(request, template, {**contesto, "concorrenti": errore.cambi}, status=409)


class ErroriModifica:
    """Middleware: a ModificaConcorrente no view handled answers 409 with what changed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, ModificaConcorrente):
            return None
        obiettivo = exception.obiettivo
        return conflitto(
            request,
            exception,
            "objectives/conflitto.html",
            {"comune": obiettivo.piano.comune, "piano": obiettivo.piano, "obiettivo": obiettivo},
        )
