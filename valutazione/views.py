"""The OIV's pages: the queue of rendicontazioni to validate and the review of one scheda."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import QueryDict
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
from .access import (
    puo_commentare,
    puo_validare,
    puo_validare_in_blocco,
    revisione_for_user,
    verifica_coda,
    verifica_oiv,
)
from .forms import BloccoForm, CommentoForm, IntegrazioneForm, ValidazioneForm
from .lettura import leggi_revisione
from .nucleo import descrivi, sedute_aperte


@login_required
@require_safe
def coda(request, comune):
    """Obiettivi rendicontati awaiting the OIV, filterable by settore, state and band."""
    comune = comune_for_user(request.user, comune)
    verifica_coda(request.user, comune)
    filtri = coda_oiv.Filtri.da(request.GET)
    blocco = puo_validare_in_blocco(request.user, comune)
    return render(
        request,
        "valutazione/coda.html",
        {
            "comune": comune,
            "blocco": blocco,
            "sedute": list(sedute_aperte(comune)) if blocco else [],
            "piano_documento": coda_oiv.piano_del_documento(comune, filtri.anno),
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
        "form_integrazione": (
            integrazione or IntegrazioneForm(sedute=sedute_aperte(scheda.piano.comune))
        )
        if validabile
        else None,
        "form_commento": (commento or CommentoForm())
        if puo_commentare(request.user, scheda)
        else None,
        "integrazione": integrazione_richiesta(scheda),
    }


def _form_validazione(scheda, data=None) -> ValidazioneForm:
    """The validation form on the computed figures (what the OIV may change)."""
    calcolo, dettagli = punteggio_obiettivo(scheda, Sistema.del_piano(scheda.piano), spiega=False)
    return ValidazioneForm(
        data,
        indicatori=scheda.figli["indicatori"],
        esito=calcolo,
        dettagli=dettagli,
        sedute=sedute_aperte(scheda.piano.comune),
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
    (scheda,) = carica_figli(
        Obiettivo.objects.select_related("piano__comune").filter(pk=obiettivo.pk)
    )
    form = _form_validazione(scheda, request.POST)
    if form.is_valid():
        try:
            validazione = review.valida(
                obiettivo,
                request.user,
                form.rettifiche(),
                form.cleaned_data["note"],
                versione=form.cleaned_data["versione"],
                seduta=form.seduta_scelta(),
            )
        except TransizioneNonAmmessa as exc:
            obiettivo.refresh_from_db(fields=["stato"])
            if not puo_validare(request.user, obiettivo):  # validated meanwhile in another tab
                messages.error(request, str(exc))
                return redirect("revisione", obiettivo.piano.comune.slug, obiettivo.pk)
            form.add_error(None, str(exc))
        else:
            messages.success(request, _validato(obiettivo, validazione))
            return redirect("revisione", obiettivo.piano.comune.slug, obiettivo.pk)
    messages.error(request, "La validazione non è stata registrata: correggi i campi segnalati.")
    return render(
        request, "valutazione/revisione.html", _contesto(request, obiettivo, form=form), status=400
    )


def _validato(obiettivo, validazione) -> str:
    nella = f" nella {descrivi(validazione.seduta)}" if validazione.seduta else ""
    return (
        f"{obiettivo.codice} ({obiettivo.anno}) validato il "
        f"{data_lunga(timezone.localdate(validazione.quando))}{nella}: la scheda è ora bloccata."
    )


@login_required
@require_POST
def integrazione(request, comune, obiettivo_id):
    obiettivo = revisione_for_user(request.user, comune, obiettivo_id)
    verifica_oiv(
        request.user, obiettivo, "Solo il nucleo di valutazione (OIV) chiede integrazioni."
    )
    form = IntegrazioneForm(request.POST, sedute=sedute_aperte(obiettivo.piano.comune))
    if form.is_valid():
        # Refused (e.g. no longer rendicontato): 403 with the reason.
        review.richiedi_integrazione(
            obiettivo,
            request.user,
            form.cleaned_data["messaggio"],
            versione=form.cleaned_data["versione"],
            seduta=form.seduta_scelta(),
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


@login_required
@require_POST
def valida_selezionate(request, comune):
    """«Valida le selezionate»: first the confirmation (how many, which, in which
    seduta), then, confirmed, all of them as computed in one transaction or none."""
    comune = comune_for_user(request.user, comune)
    verifica_coda(request.user, comune)
    if not puo_validare_in_blocco(request.user, comune):
        raise PermissionDenied("Solo il nucleo di valutazione (OIV) valida la rendicontazione.")
    indietro = reverse("coda_valutazione", args=[comune.slug])
    if ritorno := request.POST.get("filtri", ""):
        indietro += "?" + coda_oiv.Filtri.query(coda_oiv.Filtri.da(QueryDict(ritorno)))
    form = BloccoForm(request.POST, sedute=sedute_aperte(comune))
    if not form.is_valid():
        messages.error(request, "Nessuna scheda validata: " + " ".join(form.errori()))
        return redirect(indietro)
    versioni, seduta = form.cleaned_data["versioni"], form.cleaned_data["seduta"]
    if request.POST.get("conferma") != "1":
        righe = coda_oiv.scelte(request.user, comune, versioni)
        contesto = {"comune": comune, "righe": righe, "seduta": seduta, "versioni": versioni}
        contesto.update(indietro=indietro, filtri=ritorno)
        return render(request, "valutazione/conferma_blocco.html", contesto)
    try:
        validate = review.valida_in_blocco(comune, request.user, versioni, seduta)
    except TransizioneNonAmmessa as exc:
        messages.error(request, str(exc))
    else:
        validate.sort(key=lambda v: (v.obiettivo.anno, v.obiettivo.codice_ordinabile))
        codici = ", ".join(f"{v.obiettivo.codice} ({v.obiettivo.anno})" for v in validate)
        messages.success(
            request,
            f"{len(validate)} {'scheda validata' if len(validate) == 1 else 'schede validate'} "
            f"come calcolato nella {descrivi(seduta)}: {codici}.",
        )
    return redirect(indietro)
