"""The rendicontazione page: values achieved, progress, stato di attuazione; live scores."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from indicators.engine.scoring import Sistema, completezza, punteggio_obiettivo

from . import anteprima
from . import rendicontazione as rendicontazione_forms
from .access import obiettivo_for_user
from .http import conflitto
from .modifiche import ModificaConcorrente
from .workflow import transizioni_possibili


@login_required
def rendicontazione(request, comune, obiettivo_id):
    """The responsabile enters achieved values, progress and stato di attuazione."""
    obiettivo = rendicontazione_forms.carica(
        obiettivo_for_user(request.user, comune, obiettivo_id, ambito="rendicontazione"),
        presenze=request.method != "POST",
    )
    moduli = rendicontazione_forms.moduli(
        obiettivo, request.POST if request.method == "POST" else None
    )
    if request.method == "POST" and moduli.validi():
        try:
            salvata = rendicontazione_forms.salva(obiettivo, moduli, request.user)
        except ModificaConcorrente as exc:
            return conflitto(
                request,
                exc,
                "objectives/rendicontazione.html",
                _contesto(request, obiettivo, moduli),
            )
        messages.success(
            request, "Rendicontazione salvata." if salvata else "Nessuna modifica da salvare."
        )
        return redirect("rendicontazione", comune, obiettivo.pk)
    if request.method == "POST":
        messages.error(request, "Alcuni valori non sono validi: correggi i campi segnalati.")
    return render(request, "objectives/rendicontazione.html", _contesto(request, obiettivo, moduli))


def _contesto(request, obiettivo, moduli) -> dict:
    esito, dettagli = punteggio_obiettivo(obiettivo, Sistema.del_piano(obiettivo.piano))
    for form in moduli.indicatori:
        form.esito = dettagli["indicatori"][form.indicatore.pk]
    for form in moduli.fasi:
        form.esito = dettagli["fasi"][form.instance.pk]
    return {
        "comune": obiettivo.piano.comune,
        "piano": obiettivo.piano,
        "obiettivo": obiettivo,
        "moduli": moduli,
        "esito": esito,
        "completezza": completezza(esito, dettagli),
        "integrazione": rendicontazione_forms.integrazione(obiettivo),
        "transizioni": transizioni_possibili(request.user, obiettivo),
        "campagne": moduli.campagne,
    }


@login_required
@require_POST
def anteprima_rendicontazione(request, comune, obiettivo_id):
    """Scores as typed on the rendicontazione page (htmx); nothing is saved."""
    obiettivo = rendicontazione_forms.carica(
        obiettivo_for_user(request.user, comune, obiettivo_id, ambito="rendicontazione")
    )
    moduli = rendicontazione_forms.moduli(obiettivo, request.POST)
    esito, dettagli = anteprima.punteggi_in_prova(obiettivo, moduli)
    return render(
        request,
        "objectives/_anteprima_rendicontazione.html",
        {
            "esito": esito,
            "completezza": completezza(esito, dettagli),
            "indicatori": [
                (f.indicatore, dettagli["indicatori"][f.indicatore.pk]) for f in moduli.indicatori
            ],
            "fasi": [(f.instance, dettagli["fasi"][f.instance.pk]) for f in moduli.fasi],
        },
    )
