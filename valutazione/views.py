"""The OIV's pages: the queue of rendicontazioni to validate and the review of one scheda."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from indicators.models import Indicatore
from indicators.scoring import (
    Sistema,
    carica_figli,
    con_figli,
    esiti_obiettivi,
    punteggio_obiettivo,
)
from objectives.access import obiettivi_visibili, obiettivo_for_user
from objectives.models import Obiettivo
from objectives.storico import storico_obiettivo
from objectives.workflow import (
    OIV,
    SEGRETERIA,
    TransizioneNonAmmessa,
    integrazione_richiesta,
    ruoli_utente,
    vede_valutazione,
)
from peg.access import comune_for_user
from peg.formatting import data_lunga
from peg.models import Ruolo
from reporting.fasce import FASCE, PER_CHIAVE, fascia

from . import allegati, review
from .forms import CommentoForm, IntegrazioneForm, ValidazioneForm
from .models import Commento, Validazione

S = Obiettivo.Stato
STATI_CODA = {
    "rendicontato": "Da validare",
    "in_monitoraggio": "Integrazione richiesta o in corso",
    "validato": "Validati",
    "tutti": "Tutti i rendicontati e validati",
}


def _ruoli_comune(user, comune) -> set[str]:
    if user.is_superuser:
        return {SEGRETERIA}
    return set(Ruolo.objects.filter(utente=user, comune=comune).values_list("tipo", flat=True))


@login_required
def coda(request, comune):
    """Obiettivi rendicontati awaiting the OIV, filterable by settore, state and band."""
    comune = comune_for_user(request.user, comune)
    if not _ruoli_comune(request.user, comune) & {OIV, SEGRETERIA}:
        raise PermissionDenied(
            "La coda di validazione è riservata al nucleo di valutazione e alla segreteria."
        )
    filtri = {
        "stato": request.GET.get("stato") or "rendicontato",
        "settore": request.GET.get("settore") or "",
        "fascia": request.GET.get("fascia") or "",
        "anno": request.GET.get("anno") or "",
    }
    obiettivi = obiettivi_visibili(request.user, comune).select_related("piano", "settore")
    if filtri["stato"] == "tutti":
        obiettivi = obiettivi.filter(stato__in=[S.RENDICONTATO, S.VALIDATO])
    elif filtri["stato"] in STATI_CODA:
        obiettivi = obiettivi.filter(stato=filtri["stato"])
    if filtri["settore"].isdigit():
        obiettivi = obiettivi.filter(settore_id=int(filtri["settore"]))
    if filtri["anno"].isdigit():
        obiettivi = obiettivi.filter(anno=int(filtri["anno"]))
    obiettivi = carica_figli(
        obiettivi.order_by("-anno", "settore__codice", "settore__nome", "codice")
    )
    esiti = esiti_obiettivi(obiettivi)
    righe = []
    for obiettivo in obiettivi:
        esito = esiti[obiettivo.pk]
        banda = fascia(esito)
        if filtri["fascia"] in PER_CHIAVE and banda.chiave != filtri["fascia"]:
            continue
        righe.append((obiettivo, esito, banda))
    return render(
        request,
        "valutazione/coda.html",
        {
            "comune": comune,
            "righe": righe,
            "filtri": filtri,
            "stati": STATI_CODA,
            "fasce": FASCE,
            "settori": comune.settori.order_by("codice", "nome"),
            "anni": sorted(
                set(Obiettivo.objects.filter(piano__comune=comune).values_list("anno", flat=True)),
                reverse=True,
            ),
        },
    )


def _contesto(request, obiettivo, form=None, integrazione=None, commento=None):
    scheda = (
        Obiettivo.objects.select_related("piano__comune", "settore")
        .prefetch_related(
            "fasi",
            "punteggi_validati",
            Prefetch(
                "indicatori", queryset=Indicatore.objects.prefetch_related("rilevazioni", "storico")
            ),
            Prefetch(
                "validazioni",
                queryset=Validazione.objects.select_related("utente").prefetch_related(
                    "rettifiche__indicatore"
                ),
            ),
            Prefetch("commenti", queryset=Commento.objects.select_related("autore")),
        )
        .get(pk=obiettivo.pk)
    )
    sistema = Sistema.del_piano(scheda.piano)
    esito, dettagli = punteggio_obiettivo(scheda, sistema)
    indicatori = list(scheda.indicatori.all())
    for indicatore in indicatori:
        indicatore.esito = dettagli["indicatori"][indicatore.pk]
        indicatore.per_tipo = {r.tipo: r for r in indicatore.rilevazioni.all()}
        indicatore.storico_lista = sorted(indicatore.storico.all(), key=lambda s: s.anno)
    fasi = list(scheda.fasi.all())
    for fase in fasi:
        fase.esito = dettagli["fasi"][fase.pk]
    ruoli = ruoli_utente(request.user, scheda)
    puo_validare = OIV in ruoli and scheda.stato == S.RENDICONTATO
    if puo_validare and form is None:
        calcolo, dettagli_calcolo = punteggio_obiettivo(scheda, sistema, spiega=False)
        form = ValidazioneForm(indicatori=indicatori, esito=calcolo, dettagli=dettagli_calcolo)
    validazioni = list(scheda.validazioni.all())
    return {
        "comune": scheda.piano.comune,
        "piano": scheda.piano,
        "obiettivo": scheda,
        "esito": esito,
        "indicatori": indicatori,
        "fasi": fasi,
        # A reopened scheda counts as computed again: its last validation is history.
        "validazione": next((v for v in validazioni if v.attiva), None)
        if scheda.stato == S.VALIDATO
        else None,
        "validazioni": validazioni,
        "commenti": list(scheda.commenti.all()),
        **allegati.contesto(request.user, scheda),
        "storico": storico_obiettivo(scheda),
        "cambi_stato": scheda.cambi_stato.select_related("utente"),
        "puo_validare": puo_validare,
        "form": form if puo_validare else None,
        "form_integrazione": (integrazione or IntegrazioneForm()) if puo_validare else None,
        "form_commento": (commento or CommentoForm())
        if review.puo_commentare(request.user, scheda)
        else None,
        "integrazione": integrazione_richiesta(scheda),
    }


def _revisione_visibile(request, comune, obiettivo_id) -> Obiettivo:
    """OIV, segreteria and the settore's responsabili see the review; others 403."""
    obiettivo = obiettivo_for_user(request.user, comune, obiettivo_id)
    if not vede_valutazione(request.user, obiettivo):
        raise PermissionDenied(
            "La valutazione dell'obiettivo è visibile a OIV, segreteria e responsabili del settore."
        )
    return obiettivo


@login_required
def revisione(request, comune, obiettivo_id):
    obiettivo = _revisione_visibile(request, comune, obiettivo_id)
    return render(request, "valutazione/revisione.html", _contesto(request, obiettivo))


@login_required
@require_POST
def valida(request, comune, obiettivo_id):
    obiettivo = _revisione_visibile(request, comune, obiettivo_id)
    if not review.e_oiv(request.user, obiettivo):
        raise PermissionDenied("Solo il nucleo di valutazione (OIV) valida la rendicontazione.")
    if obiettivo.stato != S.RENDICONTATO:
        # A second tab or a double click: say why, on the review page.
        messages.error(
            request, f"Non si può validare: l'obiettivo è «{obiettivo.get_stato_display()}»."
        )
        return redirect("revisione", obiettivo.piano.comune.slug, obiettivo.pk)
    scheda = con_figli(Obiettivo.objects.select_related("piano")).get(pk=obiettivo.pk)
    calcolo, dettagli = punteggio_obiettivo(scheda, Sistema.del_piano(scheda.piano), spiega=False)
    form = ValidazioneForm(
        request.POST, indicatori=scheda.indicatori.all(), esito=calcolo, dettagli=dettagli
    )
    if form.is_valid():
        try:
            validazione = review.valida(
                obiettivo, request.user, form.rettifiche(), form.cleaned_data["note"]
            )
        except TransizioneNonAmmessa as exc:
            obiettivo.refresh_from_db(fields=["stato"])
            if obiettivo.stato != S.RENDICONTATO:  # validated meanwhile in another tab
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
    obiettivo = _revisione_visibile(request, comune, obiettivo_id)
    if not review.e_oiv(request.user, obiettivo):
        raise PermissionDenied("Solo il nucleo di valutazione (OIV) chiede integrazioni.")
    form = IntegrazioneForm(request.POST)
    if form.is_valid():
        try:
            review.richiedi_integrazione(obiettivo, request.user, form.cleaned_data["messaggio"])
        except TransizioneNonAmmessa as exc:
            raise PermissionDenied(str(exc)) from exc
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
    obiettivo = _revisione_visibile(request, comune, obiettivo_id)
    if not review.puo_commentare(request.user, obiettivo):
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
