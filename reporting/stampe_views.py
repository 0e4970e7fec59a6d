"""Whole-piano PDF: request it, follow its progress (htmx polling), download it.

Other comuni answer 404; inside the comune only segreteria and OIV (reporting.stampe).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_POST, require_safe

from peg.access import piano_for_user

from .access import stampa_for_user, verifica_stampa
from .models import Stampa
from .stampe import richiedi


@login_required
@require_POST
def richiedi_stampa(request, comune, piano_id):
    piano = piano_for_user(request.user, comune, piano_id)
    verifica_stampa(request.user, piano.comune)
    try:
        anno = int(request.POST.get("anno", ""))
    except ValueError:
        anno = None
    if anno not in piano.anni:
        messages.error(request, f"Scegliere un anno del piano ({piano.anni_label}).")
        return redirect("piano", piano.comune.slug, piano.pk)
    stampa, nuova = richiedi(piano, anno, request.user)
    if not nuova:
        messages.info(request, "La stampa di questo piano per l'anno era già in corso: eccola.")
    return redirect("stampa", piano.comune.slug, stampa.pk)


@login_required
@require_safe
def stampa(request, comune, stampa_id):
    """The progress page; an htmx request gets only the part that refreshes itself."""
    stampa = stampa_for_user(request.user, comune, stampa_id)
    template = "reporting/stampa.html"
    if request.htmx:
        template += "#avanzamento"
    return render(
        request, template, {"comune": stampa.piano.comune, "piano": stampa.piano, "stampa": stampa}
    )


@login_required
@require_safe
def scarica_stampa(request, comune, stampa_id):
    stampa = stampa_for_user(request.user, comune, stampa_id)
    if stampa.stato != Stampa.Stato.PRONTA or not stampa.percorso or not stampa.percorso.is_file():
        raise Http404("Il PDF non è pronto.")
    nome = f"{slugify(stampa.piano.titolo) or 'piano'}-{stampa.anno}.pdf"
    return FileResponse(
        stampa.percorso.open("rb"),
        as_attachment=True,
        filename=nome,
        content_type="application/pdf",
    )
