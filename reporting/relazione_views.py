"""The Relazione sulla performance page (and its print-friendly version, ?stampa=1)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from objectives.access import obiettivi_visibili
from objectives.pagina_piano import soglia
from peg.access import piano_for_user, settore_del_comune
from valutazione.access import vede_documento_validazione

from . import cruscotti
from .relazione import relazione as costruisci_relazione
from .validazione_relazione import motivo_non_disponibile


@login_required
@require_safe
def relazione(request, comune, piano_id):
    piano = piano_for_user(request.user, comune, piano_id)
    comune = piano.comune
    visibili = obiettivi_visibili(request.user, comune)
    anni, anno = cruscotti.anni_e_anno(request.user, piano, request.GET.get("anno"))
    dati = costruisci_relazione(piano, anno, visibili)
    stampa = request.GET.get("stampa") == "1"
    return render(
        request,
        "reporting/relazione.html",
        {
            "comune": comune,
            "piano": piano,
            "anni": anni,
            "anno": anno,
            "relazione": dati,
            "stampa": stampa,
            # The print version is the whole document; the page groups a big one.
            "raggruppata": not stampa and dati.n_obiettivi > soglia(),
            # The Nucleo's documento: a link once it can be made, else why not (no link
            # to a refusal).
            "vede_documento_validazione": vede_documento_validazione(request.user, comune),
            "documento_non_disponibile": motivo_non_disponibile(piano, anno),
        },
    )


@login_required
@require_safe
def relazione_settore(request, comune, piano_id, settore_id):
    """One settore of the relazione: a section of its page (htmx) or, for a browser
    without JavaScript, a page of its own."""
    piano = piano_for_user(request.user, comune, piano_id)
    settore = settore_del_comune(piano.comune, settore_id)
    visibili = obiettivi_visibili(request.user, piano.comune)
    anno = cruscotti.anno_richiesto(request.user, piano, request.GET.get("anno"))
    contesto = {"comune": piano.comune, "piano": piano, "settore": settore, "anno": anno}
    contesto["relazione"] = costruisci_relazione(piano, anno, visibili, settore=settore)
    if request.htmx:
        contesto.update(livello="h3", suffisso=f"-{settore.pk}")
    modello = (
        "reporting/_relazione_settore.html" if request.htmx else "reporting/relazione_settore.html"
    )
    risposta = render(request, modello, contesto)
    patch_vary_headers(risposta, ["HX-Request"])
    return risposta
