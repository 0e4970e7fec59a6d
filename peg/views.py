"""The ente's own pages (the comune, its stemma) and the project's 403 page."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import render

from .access import comune_for_user


@login_required
def comune_detail(request, comune):
    comune = comune_for_user(request.user, comune)
    piani = comune.piani.annotate(n_obiettivi=Count("obiettivi"))
    settori = comune.settori.prefetch_related("servizi", "addetti")
    return render(
        request, "peg/comune.html", {"comune": comune, "piani": piani, "settori": settori}
    )


@login_required
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
    return render(request, "404.html", {"motivo": motivo}, status=404)


def negato(request, exception=None):
    """handler403: a refusal inside the product's layout, with its reason in Italian."""
    motivo = str(exception or "") or "Il tuo ruolo non permette questa operazione."
    return render(request, "403.html", {"motivo": motivo}, status=403)
