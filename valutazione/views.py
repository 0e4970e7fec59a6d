"""The OIV's pages: the queue of rendicontazioni to validate and the review of one scheda."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from indicators.caricamento import carica_figli
from indicators.engine.fasce import FASCE
from indicators.engine.formatting import data_lunga
from indicators.engine.scoring import Sistema, punteggio_obiettivo
from objectives.models import Obiettivo
from objectives.storico import storico_obiettivo
from objectives.workflow import TransizioneNonAmmessa, integrazione_richiesta
from peg.access import comune_for_user

from . import coda as coda_oiv
from . import review
from .access import puo_commentare, puo_validare, revisione_for_user, verifica_coda, verifica_oiv
from .forms import CommentoForm, IntegrazioneForm, ValidazioneForm
from .lettura import leggi_revisione


@login_required
@require_safe
def coda(request, comune):
    """Obiettivi rendicontati awaiting the OIV, filterable by settore, state and band."""
    comune = comune_for_user(request.user, comune)
    verifica_coda(request.user, comune)
    filtri = coda_oiv.Filtri.da(request.GET)
    return render(
        request,
        "valutazione/coda.html",
        {
            "comune": comune,
            "pagina": coda_oiv.pagina(request.user, comune, filtri, request.GET.get("pagina")),
            "query": coda_oiv.Filtri.query(filtri),
            "filtri": vars(filtri),
            "stati": coda_oiv.STATI_CODA,
            "fasce": FASCE,
            "settori": comune.settori.order_by("codice", "nome"),
            "anni": coda_oiv.anni(request.user, comune),
        },
    )


def _contesto(request, obiettivo, form=None, integrazione=None, commento=None):
    scheda = leggi_revisione(obiettivo)
    validabile = puo_validare(request.user, scheda)
    if validabile and form is None:
        form = _form_validazione(scheda)
    return {
        "comune": scheda.piano.comune,
        "piano": scheda.piano,
        "obiettivo": scheda,
        "esito": scheda.esito,
        "indicatori": scheda.lista_indicatori,
        "fasi": scheda.lista_fasi,
        "validazione": scheda.validazione_in_vigore,
        "validazioni": scheda.lista_validazioni,
        "commenti": scheda.lista_commenti,
        "storico": storico_obiettivo(scheda),
        "cambi_stato": scheda.cambi_stato.select_related("utente"),
        "puo_validare": validabile,
        "form": form if validabile else None,
        "form_integrazione": (integrazione or IntegrazioneForm()) if validabile else None,
        "form_commento": (commento or CommentoForm())
        if puo_commentare(request.user, scheda)
        else None,
        "integrazione": integrazione_richiesta(scheda),
    }


def _form_validazione(scheda, data=None) -> ValidazioneForm:
    """The validation form on the computed figures (what the OIV may change)."""
    calcolo, dettagli = punteggio_obiettivo(scheda, Sistema.del_piano(scheda.piano), spiega=False)
    return ValidazioneForm(
        data, indicatori=scheda.figli["indicatori"], esito=calcolo, dettagli=dettagli
    )


@login_required
@require_safe
def revisione(request, comune, obiettivo_id):
    obiettivo = revisione_for_user(request.user, comune, obiettivo_id)
    return render(request, "valutazione/revisione.html", _contesto(request, obiettivo))


@login_required
@require_POST
def valida(request, comune, obiettivo_id):
    obiettivo = revisione_for_user(request.user, comune, obiettivo_id)
    verifica_oiv(
        request.user, obiettivo, "Solo il nucleo di valutazione (OIV) valida la rendicontazione."
    )
    if not puo_validare(request.user, obiettivo):
        # Not rendicontato (a second tab, a double click): say why, on the review page.
        messages.error(
            request, f"Non si può validare: l'obiettivo è «{obiettivo.get_stato_display()}»."
        )
        return redirect("revisione", obiettivo.piano.comune.slug, obiettivo.pk)
    (scheda,) = carica_figli(Obiettivo.objects.select_related("piano").filter(pk=obiettivo.pk))
    form = _form_validazione(scheda, request.POST)
    if form.is_valid():
        try:
            validazione = review.valida(
                obiettivo,
                request.user,
                form.rettifiche(),
                form.cleaned_data["note"],
                versione=form.cleaned_data["versione"],
            )
        except TransizioneNonAmmessa as exc:
            obiettivo.refresh_from_db(fields=["stato"])
            if not puo_validare(request.user, obiettivo):  # validated meanwhile in another tab
                messages.error(request, str(exc))
                return redirect("revisione", obiettivo.piano.comune.slug, obiettivo.pk)
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"{obiettivo.codice} ({obiettivo.anno}) validato il "
                f"{data_lunga(timezone.localdate(validazione.quando))}: la scheda è ora bloccata.",
            )
            return redirect("revisione", obiettivo.piano.comune.slug, obiettivo.pk)
    messages.error(request, "La validazione non è stata registrata: correggi i campi segnalati.")
    return render(
        request, "valutazione/revisione.html", _contesto(request, obiettivo, form=form), status=400
    )


@login_required
@require_POST
def integrazione(request, comune, obiettivo_id):
    obiettivo = revisione_for_user(request.user, comune, obiettivo_id)
    verifica_oiv(
        request.user, obiettivo, "Solo il nucleo di valutazione (OIV) chiede integrazioni."
    )
    form = IntegrazioneForm(request.POST)
    if form.is_valid():
        # Refused (e.g. no longer rendicontato): 403 with the reason.
        review.richiedi_integrazione(
            obiettivo,
            request.user,
            form.cleaned_data["messaggio"],
            versione=form.cleaned_data["versione"],
        )
        messages.success(
            request,
            f"{obiettivo.codice} ({obiettivo.anno}) restituito al responsabile per l'integrazione.",
        )
        return redirect("revisione", obiettivo.piano.comune.slug, obiettivo.pk)
    return render(
        request,
        "valutazione/revisione.html",
        _contesto(request, obiettivo, integrazione=form),
        status=400,
    )


@login_required
@require_POST
def commenta(request, comune, obiettivo_id):
    obiettivo = revisione_for_user(request.user, comune, obiettivo_id)
    if not puo_commentare(request.user, obiettivo):
        raise PermissionDenied("Non puoi commentare questo obiettivo nel suo stato attuale.")
    form = CommentoForm(request.POST)
    if form.is_valid():
        review.commenta(obiettivo, request.user, form.cleaned_data["testo"])
        messages.success(request, f"Commento aggiunto a {obiettivo.codice} ({obiettivo.anno}).")
        return redirect(f"{_url_revisione(obiettivo)}#commenti")
    return render(
        request,
        "valutazione/revisione.html",
        _contesto(request, obiettivo, commento=form),
        status=400,
    )


def _url_revisione(obiettivo) -> str:
    return reverse("revisione", args=[obiettivo.piano.comune.slug, obiettivo.pk])
