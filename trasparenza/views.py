"""The segreteria's publications in Amministrazione trasparente: the list per piano and
year, «Pubblica» (with a confirmation saying what becomes public) and «Ritira» (with the
reason). The rules are in ``trasparenza.pubblicazioni``, who may in ``trasparenza.access``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from . import access, pubblicazioni
from .forms import PubblicaForm, RitiraForm
from .models import Pubblicazione


@login_required
@require_safe
def gestione(request, comune):
    comune = access.comune_della_segreteria(request.user, comune)
    piani = [
        {"piano": p, "anni": pubblicazioni.situazione(p)} for p in access.piani_del_comune(comune)
    ]
    return render(request, "trasparenza/gestione.html", {"comune": comune, "piani": piani})


@login_required
def pubblica(request, comune, piano_id, anno, tipo):
    piano = access.piano_della_segreteria(request.user, comune, piano_id)
    if tipo not in Pubblicazione.Tipo.values:
        raise Http404("Documento sconosciuto.")
    etichetta = Pubblicazione.Tipo(tipo).label
    motivo = pubblicazioni.motivo_non_pubblicabile(piano, anno, tipo)
    form = PubblicaForm(
        request.POST or None,
        initial={"delibera_numero": piano.delibera_numero, "delibera_data": piano.delibera_data},
    )
    stato = 200
    if request.method == "POST":
        if motivo:
            raise PermissionDenied(motivo)
        if form.is_valid():
            try:
                pubblicazioni.pubblica(piano, anno, tipo, utente=request.user, **_dati(form))
            except ValidationError as exc:
                raise PermissionDenied(" ".join(exc.messages)) from exc
            messages.success(
                request, f"Fatto: «{etichetta} {anno}» è in Amministrazione trasparente."
            )
            return redirect("trasparenza_gestione", piano.comune.slug)
        stato = 400
    contesto = {
        "comune": piano.comune,
        "piano": piano,
        "anno": anno,
        "tipo": tipo,
        "etichetta": etichetta,
        "motivo": motivo,
        "cosa": pubblicazioni.COSA_DIVENTA_PUBBLICO.get(tipo, ""),
        "form": form,
    }
    return render(request, "trasparenza/pubblica.html", contesto, status=stato)


def _dati(form) -> dict:
    d = form.cleaned_data
    return {
        "data": d["data_pubblicazione"],
        "delibera_numero": d["delibera_numero"],
        "delibera_data": d["delibera_data"],
    }


@login_required
def ritira(request, comune, pubblicazione_id):
    pubblicazione = access.pubblicazione_della_segreteria(request.user, comune, pubblicazione_id)
    if not pubblicazione.in_vigore:
        raise PermissionDenied("Questa pubblicazione è già stata ritirata.")
    form = RitiraForm(request.POST or None)
    stato = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                pubblicazioni.ritira(
                    pubblicazione, utente=request.user, motivo=form.cleaned_data["motivo"]
                )
            except ValidationError as exc:  # withdrawn meanwhile by someone else
                raise PermissionDenied(" ".join(exc.messages)) from exc
            messages.success(request, f"{pubblicazione} ritirata: il motivo resta nello storico.")
            return redirect("trasparenza_gestione", pubblicazione.comune.slug)
        stato = 400
    contesto = {"comune": pubblicazione.comune, "pubblicazione": pubblicazione, "form": form}
    return render(request, "trasparenza/ritira.html", contesto, status=stato)
