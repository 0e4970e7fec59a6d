"""The home page of each role and the page of a piano: schede by settore with scores."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, prefetch_related_objects
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from peg.access import comuni_con_ruoli, piano_for_user, ruoli, settore_del_comune
from peg.models import NodoDUP, Piano
from peg.organigramma_piano import come_nel_piano

from .access import obiettivi_visibili
from .cruscotto import cruscotto
from .lettura import leggi_piano
from .models import Obiettivo
from .pagina_piano import FiltriPiano, elenco, leggi_settore, tabella
from .workflow import puo_creare_schede


@login_required
@require_safe
def home(request):
    comuni = comuni_con_ruoli(request.user)  # with his roles in each: one query
    prefetch_related_objects(
        comuni, Prefetch("piani", queryset=Piano.objects.annotate(n_obiettivi=Count("obiettivi")))
    )
    oggi = timezone.localdate()
    pannelli = [(comune, cruscotto(request.user, comune, oggi)) for comune in comuni]
    return render(request, "home.html", {"pannelli": pannelli, "oggi": oggi})


@login_required
@require_safe
def piano_detail(request, comune, piano_id):
    """Every scheda by settore up to a threshold, else settore sections on demand."""
    piano = piano_for_user(request.user, comune, piano_id)
    letto = leggi_piano(piano, obiettivi_visibili(request.user, piano.comune))
    propri = ruoli(request.user, piano.comune)
    filtri = FiltriPiano.da(request.GET)
    return render(
        request,
        "peg/piano.html",
        {
            "comune": piano.comune,
            "piano": piano,
            "settori": letto.per_settore,
            "elenco": elenco(letto.per_settore, filtri),
            "filtri": filtri,
            "stati": Obiettivo.Stato.choices,
            "punteggi": tabella(letto.punteggi, letto.per_settore),
            "per_stato": letto.per_stato,
            "albero_dup": albero_dup(piano),
            "puo_creare": propri.crea_schede and puo_creare_schede(piano),
            "segreteria": propri.segreteria,
            "puo_stampare": propri.stampa_piano,
        },
    )


@login_required
@require_safe
def piano_settore(request, comune, piano_id, settore_id):
    """The schede of one settore of the piano: a section of the piano's page (htmx) or,
    for a browser without JavaScript, a page of its own."""
    piano = piano_for_user(request.user, comune, piano_id)
    settore = settore_del_comune(piano.comune, settore_id)
    come_nel_piano(piano, [settore])  # as the piano approved it
    filtri = FiltriPiano.da(request.GET)
    obiettivi = leggi_settore(
        piano, obiettivi_visibili(request.user, piano.comune), settore, filtri
    )
    contesto = {"comune": piano.comune, "piano": piano, "settore": settore, "filtri": filtri}
    contesto.update(obiettivi=obiettivi, stati=Obiettivo.Stato.choices)
    modello = "peg/_schede_settore.html" if request.htmx else "peg/piano_settore.html"
    risposta = render(request, modello, contesto)
    patch_vary_headers(risposta, ["HX-Request"])
    return risposta


def albero_dup(piano: Piano) -> list[NodoDUP]:
    """The DUP tree from one query: roots, each with ``figli_list`` filled."""
    nodi = list(piano.nodi_dup.all())
    for nodo in nodi:
        nodo.figli_list = []
    by_id = {n.pk: n for n in nodi}
    roots = []
    for nodo in nodi:
        (by_id[nodo.padre_id].figli_list if nodo.padre_id else roots).append(nodo)
    return roots
