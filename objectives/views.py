"""The scheda's page, its state buttons and the approval of a whole piano."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from indicators.engine.formatting import quanti
from peg.access import piano_for_user

from . import modifiche
from .access import (
    altre_schede,
    obiettivo_for_user,
    puo_modificare_scheda,
    vede_valutazione,
)
from .lettura import leggi_scheda
from .storico import storico_obiettivo
from .workflow import (
    TRANSIZIONI,
    TransizioneNonAmmessa,
    ambito_scheda,
    integrazione_richiesta,
    puo_modificare,
    transizioni_possibili,
    verifica_approvazione_piano,
)


@login_required
@require_safe
def obiettivo_detail(request, comune, obiettivo_id):
    """The scheda obiettivo, laid out like the Chiavari scheda."""
    obiettivo = leggi_scheda(obiettivo_for_user(request.user, comune, obiettivo_id))
    presenti = obiettivo.presenti  # relations without rows are not asked for
    context = {
        "esito": obiettivo.esito,
        "esito_intermedio": obiettivo.esito_intermedio,
        "comune": obiettivo.piano.comune,
        "piano": obiettivo.piano,
        "obiettivo": obiettivo,
        "indicatori": obiettivo.lista_indicatori,
        "pesi_indicatori": obiettivo.pesi_indicatori,
        "fasi": obiettivo.lista_fasi,
        "pesi_fasi": obiettivo.pesi_fasi,
        "risorse_finanziarie": obiettivo.lista_risorse,
        "totali_risorse": obiettivo.totali,
        "risorse_umane": obiettivo.lista_risorse_umane,
        "strumentali": obiettivo.strumentali,
        "anni_storico": obiettivo.anni_storico,
        # N°, peso, denominazione, formula, 2 + 2 livelli, graduazione, raggiunto, storico, conseguimento
        "colonne_indicatori": 11 + len(obiettivo.anni_storico),
        "ambiti_scelti": obiettivo.ambiti_scelti,
        "tutti_ambiti": [a for a, _ in obiettivo.ambiti_stampa],
        "transizioni": transizioni_possibili(request.user, obiettivo),
        "integrazione": integrazione_richiesta(obiettivo) if presenti["cambi_stato"] else None,
        "vede_valutazione": vede_valutazione(request.user, obiettivo),
        "puo_rendicontare": puo_modificare(request.user, obiettivo, "rendicontazione"),
        "puo_modificare_scheda": puo_modificare_scheda(request.user, obiettivo),
        "variazione": ambito_scheda(obiettivo) == "variazione",
        "variazioni": presenti["variazioni"] and obiettivo.variazioni.select_related("utente"),
        "cambi_stato": presenti["cambi_stato"] and obiettivo.cambi_stato.select_related("utente"),
        "storico": storico_obiettivo(obiettivo),
        "altre_schede": presenti["altre_schede"] and altre_schede(request.user, obiettivo),
    }
    return render(request, "objectives/obiettivo.html", context)


class TransizioneForm(forms.Form):
    azione = forms.ChoiceField(choices=[(t.nome, t.etichetta) for t in TRANSIZIONI.values()])
    motivazione = forms.CharField(required=False, widget=forms.Textarea)
    delibera_numero = forms.CharField(required=False, max_length=30)
    delibera_data = forms.DateField(required=False)


@login_required
@require_POST
def cambia_stato(request, comune, obiettivo_id):
    """Move the scheda along the workflow; refused moves answer 403, missing data a message."""
    obiettivo = obiettivo_for_user(request.user, comune, obiettivo_id)
    form = TransizioneForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Richiesta non valida: " + "; ".join(form.errors.get("azione", [])))
        return redirect("obiettivo", comune, obiettivo.pk)
    possibili = {t.nome for t in transizioni_possibili(request.user, obiettivo)}
    if form.cleaned_data["azione"] not in possibili:
        raise PermissionDenied("Questa azione non è permessa al tuo ruolo in questo stato.")
    if TRANSIZIONI[form.cleaned_data["azione"]].revisione:
        # The validation is recorded with its scores on the OIV's review page.
        return redirect("revisione", comune, obiettivo.pk)
    try:
        cambio = modifiche.esegui(
            obiettivo,
            request.user,
            form.cleaned_data["azione"],
            motivazione=form.cleaned_data["motivazione"],
            delibera_numero=form.cleaned_data["delibera_numero"],
            delibera_data=form.cleaned_data["delibera_data"],
        )
    except TransizioneNonAmmessa as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"{obiettivo.codice} ({obiettivo.anno}): ora «{cambio.get_a_display()}»."
        )
    return redirect("obiettivo", comune, obiettivo.pk)


class ApprovazionePianoForm(forms.Form):
    delibera_numero = forms.CharField(label="Delibera n.", max_length=30)
    delibera_data = forms.DateField(
        label="del", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


@login_required
@require_POST
def approva_piano(request, comune, piano_id):
    """The segreteria records the giunta's delibera: every proposed scheda is approved."""
    piano = piano_for_user(request.user, comune, piano_id)
    verifica_approvazione_piano(request.user, piano)
    form = ApprovazionePianoForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Per approvare il piano servono numero e data della delibera.")
        return redirect("piano", piano.comune.slug, piano.pk)
    try:
        n = modifiche.approva_piano(
            piano,
            request.user,
            form.cleaned_data["delibera_numero"],
            form.cleaned_data["delibera_data"],
        )
    except TransizioneNonAmmessa as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"Piano approvato: {quanti(n, 'scheda proposta ora approvata,schede proposte ora approvate')}.",
        )
    return redirect("piano", piano.comune.slug, piano.pk)
