"""Dashboards: the ente's cruscotto, a settore's page, an indicatore's trend."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from indicators.engine import fasce
from objectives.access import indicatore_for_user, obiettivi_visibili
from peg.access import piano_for_user, settore_del_comune

from . import cruscotti


@login_required
@require_safe
def cruscotto_piano(request, comune, piano_id):
    piano = piano_for_user(request.user, comune, piano_id)
    comune = piano.comune
    visibili = obiettivi_visibili(request.user, comune)
    anni, anno = cruscotti.anni_e_anno(request.user, piano, request.GET.get("anno"))
    dati = cruscotti.carica(piano, visibili, anno)
    settori = cruscotti.righe_settori(dati, piano, anno)
    ente = dati.punteggi.ente
    return render(
        request,
        "reporting/cruscotto.html",
        {
            "comune": comune,
            "piano": piano,
            "anni": anni,
            "anno": anno,
            "ente": ente,
            "rettificato": ente.rettificato,
            "settori": settori,
            "n_obiettivi": len(dati.info),
            "titolo_settori": f"Conseguimento per settore, {anno}",
            "voci_settori": [
                cruscotti.voce_esito(
                    f"{r.settore.codice} {r.settore.nome}".strip(), r.esito, r.href
                )
                for r in settori
            ],
            "voci_fasce": cruscotti.per_fascia(dati.punteggi.obiettivi.values()),
            "voci_stati": cruscotti.per_stato(stato for _, stato, _ in dati.info.values()),
            "fasce": fasce.FASCE,
        },
    )


@login_required
@require_safe
def cruscotto_settore(request, comune, piano_id, settore_id):
    piano = piano_for_user(request.user, comune, piano_id)
    comune = piano.comune
    settore = settore_del_comune(comune, settore_id)
    visibili = obiettivi_visibili(request.user, comune)
    anni, anno = cruscotti.anni_e_anno(request.user, piano, request.GET.get("anno"), settore)
    dati = cruscotti.carica(piano, visibili, anno, settore=settore)
    obiettivi = cruscotti.righe_obiettivi(dati, comune, settore)
    esito = dati.punteggi.settori.get(settore)
    return render(
        request,
        "reporting/settore.html",
        {
            "comune": comune,
            "piano": piano,
            "settore": settore,
            "anni": anni,
            "anno": anno,
            "esito": esito,
            "obiettivi": obiettivi,
            "voci_obiettivi": [cruscotti.voce_esito(o.codice, o.esito, o.href) for o in obiettivi],
            "voci_fasce": cruscotti.per_fascia(o.esito for o in obiettivi),
            "fasi": cruscotti.fasi_settore(visibili, piano, anno, settore, dati.info),
        },
    )


@login_required
@require_safe
def andamento_indicatore(request, comune, indicatore_id):
    indicatore = indicatore_for_user(request.user, comune, indicatore_id)
    obiettivo = indicatore.obiettivo
    comune = obiettivo.piano.comune
    return render(
        request,
        "reporting/andamento.html",
        {
            "comune": comune,
            "piano": obiettivo.piano,
            "obiettivo": obiettivo,
            "indicatore": indicatore,
            "scheda": reverse("obiettivo", args=[comune.slug, obiettivo.pk]),
        },
    )
