"""The home page of each role and the page of a piano: schede by settore with scores."""

from collections import Counter

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.shortcuts import render
from django.utils import timezone

from indicators.caricamento import carica_figli
from indicators.engine.scoring import Sistema, calcola
from indicators.engine.weights import verifica_pesi
from peg.access import comuni_visibili, piano_for_user, ruoli
from peg.models import NodoDUP, Piano, Settore

from .access import obiettivi_visibili
from .cruscotto import cruscotto
from .models import Obiettivo


@login_required
def home(request):
    comuni = comuni_visibili(request.user).prefetch_related(
        Prefetch("piani", queryset=Piano.objects.annotate(n_obiettivi=Count("obiettivi")))
    )
    oggi = timezone.localdate()
    pannelli = [(comune, cruscotto(request.user, comune, oggi)) for comune in comuni]
    return render(request, "home.html", {"pannelli": pannelli, "oggi": oggi})


@login_required
def piano_detail(request, comune, piano_id):
    piano = piano_for_user(request.user, comune, piano_id)
    comune = piano.comune
    obiettivi = carica_figli(
        obiettivi_visibili(request.user, comune)
        .filter(piano=piano)
        .select_related("settore")
        .order_by("settore__codice", "settore__nome", "anno", "id")
    )
    settori: dict[Settore, list] = {}
    per_anno: dict[int, list] = {}
    for obiettivo in obiettivi:
        obiettivo.pesi_indicatori = verifica_pesi(i.peso for i in obiettivo.figli["indicatori"])
        obiettivo.pesi_fasi = verifica_pesi(f.peso for f in obiettivo.figli["fasi"])
        settori.setdefault(obiettivo.settore, []).append(obiettivo)
        per_anno.setdefault(obiettivo.anno, []).append(obiettivo)
    # Scores are per year: a pluriennale piano has one scheda per obiettivo and year.
    propri = ruoli(request.user, comune)
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
            "puo_creare": propri.crea_schede,
            "segreteria": propri.segreteria,
            "puo_stampare": propri.stampa_piano,
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
