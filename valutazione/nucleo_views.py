"""The Nucleo's pages: its composition (the segreteria configures it), its sedute with
their verbali (the OIV records them; the segreteria may, as minutes clerk)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from . import nucleo as servizio
from .access import (
    componente_for_user,
    nucleo_for_user,
    puo_configurare_nucleo,
    seduta_for_user,
    verifica_configurazione_nucleo,
)
from .models import Componente
from .nucleo_forms import ComponenteForm, NucleoForm, SedutaForm

PAGINA = "valutazione/nucleo.html"


def _senza_nucleo(comune):
    return PermissionDenied(
        f"{comune.nome} non ha ancora un nucleo di valutazione: lo configura la segreteria "
        "dalla pagina «Nucleo di valutazione»."
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def nucleo(request, comune):
    """The Nucleo of the comune, its members and sedute; POST (segreteria): its name."""
    comune, nucleo = nucleo_for_user(request.user, comune)
    form = None
    if puo_configurare_nucleo(request.user, comune):
        form = NucleoForm(request.POST or None, instance=nucleo)
    if request.method == "POST":
        verifica_configurazione_nucleo(request.user, comune)
        if form.is_valid():
            if nucleo is None:
                servizio.crea_nucleo(comune, form.cleaned_data["nome"], request.user)
            else:
                form.save()
            messages.success(request, f"Nucleo di valutazione salvato: {form.instance.nome}.")
            return redirect("nucleo", comune.slug)
    contesto = {
        "comune": comune,
        "nucleo": nucleo,
        "form": form,
        "configura": form is not None,
        "in_carica": list(servizio.in_carica(nucleo)),
        "altri_comuni": nucleo.comuni.exclude(pk=comune.pk) if nucleo else [],
        "componenti": nucleo.componenti.all() if nucleo else [],
        "incompleto": servizio.verifica_presidenza(nucleo) if nucleo else None,
        "sedute": servizio.sedute_del_comune(comune),
    }
    return render(request, PAGINA, contesto, status=400 if request.method == "POST" else 200)


def _salva_componente(request, comune, form):
    """Saved (a redirect) or the form again with the reason."""
    if form.is_valid():
        try:
            servizio.salva_componente(form.instance, request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Componente salvato: {form.instance.nome}.")
            return redirect("nucleo", comune.slug)
    return render(
        request,
        "valutazione/componente.html",
        {"comune": comune, "form": form, "componente": form.instance},
        status=400,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def componente_nuovo(request, comune):
    comune, nucleo = nucleo_for_user(request.user, comune)
    verifica_configurazione_nucleo(request.user, comune)
    if nucleo is None:
        raise _senza_nucleo(comune)
    istanza = Componente(nucleo=nucleo)
    form = ComponenteForm(request.POST or None, instance=istanza, comune=comune)
    if request.method == "POST":
        return _salva_componente(request, comune, form)
    contesto = {"comune": comune, "form": form, "componente": istanza}
    return render(request, "valutazione/componente.html", contesto)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def componente(request, comune, componente_id):
    comune, membro = componente_for_user(request.user, comune, componente_id)
    form = ComponenteForm(request.POST or None, instance=membro, comune=comune)
    if request.method == "POST":
        return _salva_componente(request, comune, form)
    contesto = {"comune": comune, "form": form, "componente": membro}
    return render(request, "valutazione/componente.html", contesto)


def _dati_seduta(form) -> dict:
    dati = form.cleaned_data
    return {
        "data": dati["data"],
        "presenti": dati["presenti"],
        "ordine_del_giorno": dati["ordine_del_giorno"],
        "verbale": dati["verbale"],
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def seduta_nuova(request, comune):
    comune, nucleo = nucleo_for_user(request.user, comune)
    if nucleo is None:
        raise _senza_nucleo(comune)
    form = SedutaForm(request.POST or None, nucleo=nucleo)
    if request.method == "POST" and form.is_valid():
        try:
            seduta = servizio.registra_seduta(
                nucleo, comune, utente=request.user, **_dati_seduta(form)
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Registrata la {servizio.descrivi(seduta)}.")
            return redirect("seduta", comune.slug, seduta.pk)
    contesto = {"comune": comune, "nucleo": nucleo, "form": form, "titolo": "Nuova seduta"}
    stato = 400 if request.method == "POST" else 200
    return render(request, "valutazione/seduta.html", contesto, status=stato)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def seduta(request, comune, seduta_id):
    """A seduta: its verbale and what was decided in it; while open, its form."""
    seduta = seduta_for_user(request.user, comune, seduta_id)
    if request.method == "POST" and seduta.chiusa:
        raise PermissionDenied(servizio.chiusa_testo(seduta))
    form = None
    if not seduta.chiusa:
        form = SedutaForm(request.POST or None, nucleo=seduta.nucleo, initial=_iniziali(seduta))
    if request.method == "POST" and form.is_valid():
        try:
            servizio.aggiorna_seduta(seduta, utente=request.user, **_dati_seduta(form))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Salvata la {servizio.descrivi(seduta)}.")
            return redirect("seduta", seduta.comune.slug, seduta.pk)
    contesto = {
        "comune": seduta.comune,
        "nucleo": seduta.nucleo,
        "seduta": seduta,
        "titolo": f"Verbale n. {seduta.numero}/{seduta.anno}",
        "form": form,
        "presenti": seduta.presenti.all(),
        **servizio.decisioni(seduta),
    }
    stato = 400 if request.method == "POST" else 200
    return render(request, "valutazione/seduta.html", contesto, status=stato)


def _iniziali(seduta) -> dict:
    return {
        "data": seduta.data,
        "presenti": list(seduta.presenti.all()),
        "ordine_del_giorno": seduta.ordine_del_giorno,
        "verbale": seduta.verbale,
    }


@login_required
@require_POST
def chiudi_seduta(request, comune, seduta_id):
    """Close the verbale (the page asks for confirmation: it is final)."""
    seduta = seduta_for_user(request.user, comune, seduta_id)
    try:
        servizio.chiudi(seduta, request.user)
    except ValidationError as exc:
        raise PermissionDenied(" ".join(exc.messages)) from None
    messages.success(request, f"Il verbale della {servizio.descrivi(seduta)} è chiuso.")
    return redirect("seduta", seduta.comune.slug, seduta.pk)
