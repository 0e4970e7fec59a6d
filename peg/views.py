"""The ente's own pages (the comune, its stemma), the favicon and the project's error
pages (handler400/403/404/500 and CSRF_FAILURE_VIEW: peg.errori)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.http import require_safe

from .access import comune_for_user
from .errori import pagina_errore


@login_required
@require_safe
def comune_detail(request, comune):
    comune = comune_for_user(request.user, comune)
    piani = comune.piani.annotate(n_obiettivi=Count("obiettivi"))
    settori = comune.settori.prefetch_related("servizi", "addetti")
    return render(
        request, "peg/comune.html", {"comune": comune, "piani": piani, "settori": settori}
    )


@login_required
@require_safe
def comune_logo(request, comune):
    """The stemma, served only to users with a role in the comune (no public media URL)."""
    comune = comune_for_user(request.user, comune)
    if not comune.logo:
        raise Http404("Il comune non ha un logo.")
    return FileResponse(comune.logo.open("rb"))


def non_trovato(request, exception=None):
    """handler404: inside the product's layout, in Italian, with the reason if one was
    given (``Http404("Il PDF non è pronto.")``; Django's own lookups say nothing useful)."""
    motivo = exception.args[0] if exception is not None and exception.args else ""
    if not isinstance(motivo, str) or "matches the given query" in motivo:
        motivo = ""  # Django's own (an unknown path, get_object_or_404): in English, no use
    return pagina_errore(request, "404.html", 404, verso_la_home=True, motivo=motivo)


def negato(request, exception=None):
    """handler403: a refusal inside the product's layout, with its reason in Italian and
    the page to go back to (the scheda, the piano, the home)."""
    motivo = str(exception or "") or "Il tuo ruolo non permette questa operazione."
    return pagina_errore(request, "403.html", 403, motivo=motivo)


def richiesta_errata(request, exception=None):
    """handler400: a malformed or suspicious request (e.g. an unknown server name);
    Django's reason is in English and for the log, not for the page."""
    return pagina_errore(request, "400.html", 400)


def csrf_negato(request, reason=""):
    """CSRF_FAILURE_VIEW: a form posted without its valid token (a page left open across
    a logout, cookies disabled, another site's form). Nothing was saved."""
    senza_cookie = "cookie" in reason.lower()
    return pagina_errore(request, "csrf.html", 403, senza_cookie=senza_cookie)


# The 500 page when even the template cannot be rendered.
_ERRORE_MINIMO = (
    '<!DOCTYPE html><html lang="it"><head><meta charset="utf-8">'
    "<title>Errore del server · PEG</title></head><body>"
    '<main id="contenuto"><h1>Si è verificato un errore</h1><p>La richiesta non è andata '
    "a buon fine per un errore del server: nulla è stato salvato a metà. Riprova tra "
    'qualche minuto.</p><p><a href="/">Torna alla pagina iniziale</a></p></main></body></html>'
)


def errore_server(request=None):
    """handler500: a static page in the layout, rendered without the request (no user,
    no session, no query: the database may be what failed)."""
    try:
        html = loader.render_to_string("500.html")
    except Exception:  # the error page itself must never fail
        html = _ERRORE_MINIMO
    return HttpResponseServerError(html)


@require_safe
def favicon(request):
    """/favicon.ico, which browsers ask for on their own: the file in static/."""
    icona = (settings.BASE_DIR / "static" / "favicon.ico").read_bytes()
    risposta = HttpResponse(icona, content_type="image/x-icon")
    risposta["Cache-Control"] = "public, max-age=86400"
    return risposta
