from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from indicators.models import Indicatore
from indicators.scoring import INTERMEDIO, Sistema, con_figli, punteggio_obiettivo
from peg.access import comune_for_user, piano_for_user
from valutazione import allegati

from . import anteprima, campagne
from . import rendicontazione as rendicontazione_forms
from .access import obiettivi_visibili, obiettivo_for_user
from .concorrenza import ModificaConcorrente
from .models import AmbitoPerformance, Obiettivo, RisorsaStrumentale, RisorsaUmana
from .risorse import totali_risorse
from .storico import storico_obiettivo
from .weights import verifica_pesi
from .workflow import (
    TRANSIZIONI,
    TransizioneNonAmmessa,
    ambito_scheda,
    e_segreteria,
    esegui,
    puo_modificare,
    transizioni_possibili,
    vede_valutazione,
)
from .workflow import approva_piano as workflow_approva_piano


@login_required
def obiettivo_detail(request, comune, obiettivo_id):
    """The scheda obiettivo, laid out like the Chiavari scheda."""
    comune = comune_for_user(request.user, comune)
    obiettivo = get_object_or_404(
        obiettivi_visibili(request.user, comune)
        .select_related("piano", "settore", "missione", "programma")
        .prefetch_related(
            "ambiti",
            Prefetch("nodi_dup__padre__padre"),
            Prefetch(
                "indicatori", queryset=Indicatore.objects.prefetch_related("rilevazioni", "storico")
            ),
            "fasi",
            "risorse_finanziarie",
            Prefetch("risorse_umane", queryset=RisorsaUmana.objects.select_related("persona")),
            "risorse_strumentali",
        ),
        pk=obiettivo_id,
    )
    indicatori = list(obiettivo.indicatori.all())
    fasi = list(obiettivo.fasi.all())
    risorse_finanziarie = list(obiettivo.risorse_finanziarie.all())
    strumentali = {tipo: [] for tipo in RisorsaStrumentale.Tipo}
    for risorsa in obiettivo.risorse_strumentali.all():
        strumentali[RisorsaStrumentale.Tipo(risorsa.tipo)].append(risorsa)
    anni_storico = sorted({s.anno for i in indicatori for s in i.storico.all()}, reverse=True)
    # N°, peso, denominazione, formula, 2 + 2 livelli, graduazione, raggiunto, storico, conseguimento
    colonne_indicatori = 11 + len(anni_storico)
    sistema = Sistema.del_piano(obiettivo.piano)
    esito, dettagli = punteggio_obiettivo(obiettivo, sistema)
    intermedio, dettagli_intermedi = punteggio_obiettivo(obiettivo, sistema, INTERMEDIO)
    for indicatore in indicatori:
        indicatore.esito = dettagli["indicatori"][indicatore.pk]
        indicatore.esito_intermedio = dettagli_intermedi["indicatori"][indicatore.pk]
    for fase in fasi:
        fase.esito = dettagli["fasi"][fase.pk]
    for indicatore in indicatori:
        indicatore.per_tipo = {r.tipo: r for r in indicatore.rilevazioni.all()}
        storico = {s.anno: s for s in indicatore.storico.all()}
        indicatore.storico_colonne = [storico.get(anno) for anno in anni_storico]
    context = {
        "esito": esito,
        "esito_intermedio": intermedio,
        "comune": comune,
        "piano": obiettivo.piano,
        "obiettivo": obiettivo,
        "indicatori": indicatori,
        "pesi_indicatori": verifica_pesi(i.peso for i in indicatori),
        "fasi": fasi,
        "pesi_fasi": verifica_pesi(f.peso for f in fasi),
        "risorse_finanziarie": risorse_finanziarie,
        "totali_risorse": totali_risorse(risorse_finanziarie),
        "risorse_umane": list(obiettivo.risorse_umane.all()),
        "strumentali": [(tipo.label, righe) for tipo, righe in strumentali.items()],
        "anni_storico": anni_storico,
        "colonne_indicatori": colonne_indicatori,
        "ambiti_scelti": {a.numero for a in obiettivo.ambiti.all()},
        "tutti_ambiti": AmbitoPerformance.objects.all(),
        "transizioni": transizioni_possibili(request.user, obiettivo),
        "vede_valutazione": vede_valutazione(request.user, obiettivo),
        "puo_rendicontare": puo_modificare(request.user, obiettivo, "rendicontazione"),
        "puo_modificare_scheda": puo_modificare(request.user, obiettivo, ambito_scheda(obiettivo)),
        "variazione": ambito_scheda(obiettivo) == "variazione",
        "variazioni": obiettivo.variazioni.select_related("utente"),
        "cambi_stato": obiettivo.cambi_stato.select_related("utente"),
        "storico": storico_obiettivo(obiettivo),
        "altre_schede": Obiettivo.objects.filter(piano=obiettivo.piano, codice=obiettivo.codice)
        .exclude(pk=obiettivo.pk)
        .only("id", "anno", "codice"),
        # allegati, puo_caricare, form_allegato: one query (valutazione/_allegati.html)
        **allegati.contesto(request.user, obiettivo),
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
        cambio = esegui(
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


@login_required
def rendicontazione(request, comune, obiettivo_id):
    """The responsabile enters achieved values, progress and stato di attuazione."""
    obiettivo = obiettivo_for_user(request.user, comune, obiettivo_id, ambito="rendicontazione")
    obiettivo = con_figli(Obiettivo.objects.select_related("piano__comune", "settore")).get(
        pk=obiettivo.pk
    )
    moduli = rendicontazione_forms.moduli(
        obiettivo, request.POST if request.method == "POST" else None
    )
    concorrenti = None
    if request.method == "POST" and moduli.validi():
        try:
            rendicontazione_forms.salva(obiettivo, moduli, request.user)
        except ModificaConcorrente as exc:
            concorrenti = exc.cambi
            messages.error(
                request,
                f"{exc} Le tue modifiche non sono state salvate: ricarica la pagina e inseriscile di nuovo.",
            )
        else:
            messages.success(request, "Rendicontazione salvata.")
            return redirect("rendicontazione", comune, obiettivo.pk)
    elif request.method == "POST":
        messages.error(request, "Alcuni valori non sono validi: correggi i campi segnalati.")
    esito, dettagli = punteggio_obiettivo(obiettivo, Sistema.del_piano(obiettivo.piano))
    for form in moduli.indicatori:
        form.esito = dettagli["indicatori"][form.indicatore.pk]
    for form in moduli.fasi:
        form.esito = dettagli["fasi"][form.instance.pk]
    return render(
        request,
        "objectives/rendicontazione.html",
        {
            "comune": obiettivo.piano.comune,
            "piano": obiettivo.piano,
            "obiettivo": obiettivo,
            "moduli": moduli,
            "esito": esito,
            "concorrenti": concorrenti,
            "transizioni": transizioni_possibili(request.user, obiettivo),
            "campagne": campagne.stato_momenti(obiettivo, timezone.localdate()),
            **allegati.contesto(request.user, obiettivo),
        },
        status=409 if concorrenti is not None else 200,
    )


@login_required
@require_POST
def anteprima_rendicontazione(request, comune, obiettivo_id):
    """Scores as typed on the rendicontazione page (htmx); nothing is saved."""
    obiettivo = obiettivo_for_user(request.user, comune, obiettivo_id, ambito="rendicontazione")
    obiettivo = con_figli(Obiettivo.objects.select_related("piano__comune", "settore")).get(
        pk=obiettivo.pk
    )
    moduli = rendicontazione_forms.moduli(obiettivo, request.POST)
    esito, dettagli = anteprima.punteggi_in_prova(obiettivo, moduli)
    return render(
        request,
        "objectives/_anteprima_rendicontazione.html",
        {
            "esito": esito,
            "indicatori": [
                (f.indicatore, dettagli["indicatori"][f.indicatore.pk]) for f in moduli.indicatori
            ],
            "fasi": [(f.instance, dettagli["fasi"][f.instance.pk]) for f in moduli.fasi],
        },
    )


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
    if not e_segreteria(request.user, piano.comune):
        raise PermissionDenied("Solo la segreteria approva il piano.")
    form = ApprovazionePianoForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Per approvare il piano servono numero e data della delibera.")
        return redirect("piano", piano.comune.slug, piano.pk)
    try:
        n = workflow_approva_piano(
            piano,
            request.user,
            form.cleaned_data["delibera_numero"],
            form.cleaned_data["delibera_data"],
        )
    except TransizioneNonAmmessa as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Piano approvato: {n} schede proposte ora approvate.")
    return redirect("piano", piano.comune.slug, piano.pk)
