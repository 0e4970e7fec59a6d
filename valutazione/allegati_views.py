"""Evidence pages: list and upload, download, delete.

Seeing and downloading follow the scheda (404 outside); adding and removing follow the
rendicontazione rule (403 with why): both decided in ``valutazione.access``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST, require_safe

from objectives.access import obiettivo_for_user

from . import allegati as regole
from .access import allegato_for_user, verifica_caricamento
from .formati import LimiteAllegati, content_type


def _torna(request, obiettivo):
    """Back to the page the form was on (scheda, rendicontazione), else the allegati page."""
    prossima = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        prossima, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(prossima)
    return redirect("allegati", obiettivo.piano.comune.slug, obiettivo.pk)


@login_required
@csrf_exempt  # the size guard must be in place before the body is read; CSRF is checked below
def allegati(request, comune, obiettivo_id):
    if request.method == "POST":
        request.upload_handlers.insert(0, LimiteAllegati(request))
    return _allegati(request, comune, obiettivo_id)


@csrf_protect
def _allegati(request, comune, obiettivo_id):
    """The obiettivo's allegati; who may, adds one (POST, multipart)."""
    obiettivo = obiettivo_for_user(request.user, comune, obiettivo_id)
    form = None
    if request.method == "POST":
        verifica_caricamento(request.user, obiettivo)
        form = regole.AllegatoForm(obiettivo, request.POST, request.FILES)
        if form.is_valid():
            allegato = form.save(request.user)
            messages.success(request, f"Allegato «{allegato.nome_file}» caricato.")
            return _torna(request, obiettivo)
        messages.error(request, "L'allegato non è stato caricato: correggi i campi segnalati.")
    return render(
        request,
        "valutazione/allegati.html",
        {
            "comune": obiettivo.piano.comune,
            "piano": obiettivo.piano,
            "obiettivo": obiettivo,
            **regole.contesto(request.user, obiettivo, form),
        },
    )


@login_required
@require_safe
def allegato(request, comune, uuid):
    """Download: always as an attachment, with the whitelisted type, never rendered inline."""
    allegato = allegato_for_user(request.user, comune, uuid)
    try:
        file = allegato.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("Il file dell'allegato non è più disponibile.") from exc
    response = FileResponse(
        file,
        as_attachment=True,
        filename=allegato.nome_file,
        content_type=content_type(allegato.nome_file),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def elimina_allegato(request, comune, uuid):
    allegato = allegato_for_user(request.user, comune, uuid)
    obiettivo = allegato.obiettivo
    verifica_caricamento(request.user, obiettivo)
    regole.elimina(allegato, request.user)
    messages.success(request, f"Allegato «{allegato.nome_file}» eliminato.")
    return _torna(request, obiettivo)
