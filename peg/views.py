from collections import Counter

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone

from indicators.scoring import Sistema, calcola, con_figli
from objectives.access import obiettivi_visibili
from objectives.cruscotto import cruscotto
from objectives.models import Obiettivo
from objectives.pianificazione import settori_per
from objectives.weights import verifica_pesi
from objectives.workflow import e_segreteria
from reporting.stampe import puo_stampare

from .access import comune_for_user, comuni_visibili, piano_for_user
from .models import NodoDUP, Piano, Settore


@login_required
def home(request):
    comuni = comuni_visibili(request.user).prefetch_related(
        Prefetch("piani", queryset=Piano.objects.annotate(n_obiettivi=Count("obiettivi")))
    )
    oggi = timezone.localdate()
    pannelli = [(comune, cruscotto(request.user, comune, oggi)) for comune in comuni]
    return render(request, "home.html", {"pannelli": pannelli, "oggi": oggi})


@login_required
def comune_detail(request, comune):
    comune = comune_for_user(request.user, comune)
    piani = comune.piani.annotate(n_obiettivi=Count("obiettivi"))
    settori = comune.settori.prefetch_related("servizi", "addetti")
    return render(
        request, "peg/comune.html", {"comune": comune, "piani": piani, "settori": settori}
    )


@login_required
def comune_logo(request, comune):
    """The stemma, served only to users with a role in the comune (no public media URL)."""
    comune = comune_for_user(request.user, comune)
    if not comune.logo:
        raise Http404("Il comune non ha un logo.")
    return FileResponse(comune.logo.open("rb"))


@login_required
def piano_detail(request, comune, piano_id):
    piano = piano_for_user(request.user, comune, piano_id)
    comune = piano.comune
    obiettivi = (
        con_figli(obiettivi_visibili(request.user, comune))
        .filter(piano=piano)
        .select_related("settore")
        .order_by("settore__codice", "settore__nome", "anno", "id")
    )
    settori: dict[Settore, list] = {}
    per_anno: dict[int, list] = {}
    for obiettivo in obiettivi:
        obiettivo.pesi_indicatori = verifica_pesi(i.peso for i in obiettivo.indicatori.all())
        obiettivo.pesi_fasi = verifica_pesi(f.peso for f in obiettivo.fasi.all())
        settori.setdefault(obiettivo.settore, []).append(obiettivo)
        per_anno.setdefault(obiettivo.anno, []).append(obiettivo)
    # Scores are per year: a pluriennale piano has one scheda per obiettivo and year.
    segreteria = e_segreteria(request.user, comune)
    sistema = Sistema.del_piano(piano)
    punteggi = {
        anno: calcola(lista, sistema, etichetta_ente=str(comune))
        for anno, lista in sorted(per_anno.items())
    }
    esiti = {pk: e for p in punteggi.values() for pk, e in p.obiettivi.items()}
    for obiettivo in obiettivi:
        obiettivo.esito = esiti[obiettivo.pk]
    return render(
        request,
        "peg/piano.html",
        {
            "comune": comune,
            "piano": piano,
            "settori": settori,
            "punteggi": punteggi,
            "albero_dup": albero_dup(piano),
            "puo_creare": segreteria or settori_per(request.user, comune, segreteria).exists(),
            "segreteria": segreteria,
            "puo_stampare": puo_stampare(request.user, comune),
            "per_stato": _per_stato(obiettivi),
        },
    )


def _per_stato(obiettivi) -> list[tuple[str, str, int]]:
    """(stato, label, how many schede) in workflow order, only the states present."""
    conta = Counter(o.stato for o in obiettivi)
    return [(s.value, s.label, conta[s.value]) for s in Obiettivo.Stato if conta[s.value]]


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
