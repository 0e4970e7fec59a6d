"""The ente's own pages (the comune, its stemma, its locked logins), the password
reset, the favicon and the project's error pages (handler400/403/404/500 and
CSRF_FAILURE_VIEW: peg.errori)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from . import blocchi
from .access import (
    comune_for_user,
    e_segreteria,
    nel_comune,
    utente_del_comune,
    utenti_del_comune,
    verifica_segreteria,
)
from .errori import pagina_errore
from .forms import RecuperoPasswordForm
from .models import Comune, Sblocco


@login_required
@require_safe
def comune_detail(request, comune):
    comune = comune_for_user(request.user, comune)
    piani = comune.piani.annotate(n_obiettivi=Count("obiettivi"))
    settori = comune.settori.prefetch_related("servizi", "addetti")
    contesto = {"comune": comune, "piani": piani, "settori": settori}
    contesto["segreteria"] = e_segreteria(request.user, comune)
    return render(request, "peg/comune.html", contesto)


@login_required
@require_safe
def comune_logo(request, comune):
    """The stemma, served only to users with a role in the comune (no public media URL)."""
    comune = comune_for_user(request.user, comune)
    if not comune.logo:
        raise Http404("Il comune non ha un logo.")
    return FileResponse(comune.logo.open("rb"))


def _comune_della_segreteria(user, slug):
    comune = comune_for_user(user, slug)
    verifica_segreteria(
        user,
        comune,
        f"Gli accessi bloccati degli utenti di {comune.nome} li vede e li sblocca solo "
        "la segreteria del comune.",
    )
    return comune


@login_required
def accessi_bloccati(request, comune):
    """The comune's users whose failed logins still count (locked ones first) and the
    latest unlocks: the segreteria's."""
    comune = _comune_della_segreteria(request.user, comune)
    contesto = {
        "comune": comune,
        "tentativi": blocchi.tentativi_falliti(utenti_del_comune(comune)),
        "sblocchi": nel_comune(Sblocco.objects.select_related("utente", "sbloccato_da"), comune)[
            :50
        ],
        "limite": settings.AXES_FAILURE_LIMIT,
        "minuti": settings.AXES_COOLOFF_MINUTES,
        "finestra": settings.AXES_FAILURE_WINDOW_MINUTES,
    }
    return render(request, "peg/accessi_bloccati.html", contesto)


@login_required
@require_POST
def sblocca_accesso(request, comune):
    comune = _comune_della_segreteria(request.user, comune)
    utente = utente_del_comune(comune, request.POST.get("username", ""))
    nome = utente.get_full_name() or utente.username
    if blocchi.sblocca(utente, comune, da=request.user):
        messages.success(
            request, f"Accesso di {nome} ({utente.username}) sbloccato: può di nuovo entrare."
        )
    else:
        messages.info(request, f"{nome} ({utente.username}) non è bloccato: nulla da sbloccare.")
    return redirect("accessi_bloccati", comune.slug)


class RecuperoPassword(auth_views.PasswordResetView):
    """«Password dimenticata?»: the e-mail's link starts from SITE_URL, like every other
    e-mail of the application."""

    template_name = "registration/password_reset_form.html"
    form_class = RecuperoPasswordForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    @property
    def extra_email_context(self):
        minuti = settings.PASSWORD_RESET_TIMEOUT // 60
        return {"sito": settings.SITE_URL.rstrip("/"), "validita": f"{minuti} minuti"}


class NuovaPassword(auth_views.PasswordResetConfirmView):
    """The new password from the e-mail's link; it also lifts a lock on the login."""

    template_name = "registration/password_reset_confirm.html"

    def form_valid(self, form):
        risposta = super().form_valid(form)
        blocchi.azzera_tentativi(form.user)
        return risposta


def non_trovato(request, exception=None):
    """handler404: inside the product's layout, in Italian, with the reason if one was
    given (``Http404("Il PDF non è pronto.")``; Django's own lookups say nothing useful)."""
    if request.path.startswith("/trasparenza/"):
        return _non_pubblicato(request)
    motivo = exception.args[0] if exception is not None and exception.args else ""
    if not isinstance(motivo, str) or "matches the given query" in motivo:
        motivo = ""  # Django's own (an unknown path, get_object_or_404): in English, no use
    return pagina_errore(request, "404.html", 404, verso_la_home=True, motivo=motivo)


def _non_pubblicato(request):
    """The 404 of the public pages, for a citizen: back to the comune's public section
    when the address names a comune, else to the login page, which lists the comuni
    that publish (the staff's home would only ask to log in)."""
    slug = request.path.split("/")[2] if request.path.count("/") >= 3 else ""
    if slug and Comune.objects.filter(slug=slug).exists():
        url, etichetta = f"/trasparenza/{slug}/", "Torna ad Amministrazione trasparente del comune"
    else:
        url, etichetta = reverse("login"), "I comuni che pubblicano i loro documenti"
    contesto = {"torna_url": url, "torna_etichetta": etichetta}
    return render(request, "404_pubblico.html", contesto, status=404)


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
