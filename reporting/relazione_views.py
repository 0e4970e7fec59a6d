"""The Relazione sulla performance page (and its print-friendly version, ?stampa=1)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from objectives.access import obiettivi_visibili
from peg.access import piano_for_user

from . import cruscotti
from .relazione import relazione as costruisci_relazione


@login_required
@require_safe
def relazione(request, comune, piano_id):
    piano = piano_for_user(request.user, comune, piano_id)
    comune = piano.comune
    visibili = obiettivi_visibili(request.user, comune)
    anni, anno = cruscotti.anni_e_anno(request.user, piano, request.GET.get("anno"))
    return render(
        request,
        "reporting/relazione.html",
        {
            "comune": comune,
            "piano": piano,
            "anni": anni,
            "anno": anno,
            "relazione": costruisci_relazione(piano, anno, visibili),
            "stampa": request.GET.get("stampa") == "1",
        },
    )
