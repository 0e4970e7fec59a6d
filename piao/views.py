"""The PIAO page of a piano and year (temi, valore pubblico, downloads), the outcome
pages and the documents. Access in ``piao.access``, rules in the service modules."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from peg.parametri import intero
from reporting.cruscotti import anni_e_anno

from . import access, documento, etichette, formati, valore_pubblico
from .temi import TEMI_PIAO, ambiti_della_scheda


def _anno(piano, richiesto) -> int:
    anno = intero(richiesto)
    return anno if anno in piano.anni else piano.anno_inizio


def _alla_pagina(piano, anno: int):
    url = reverse("piao", args=[piano.comune.slug, piano.pk])
    return redirect(f"{url}?anno={anno}")


@login_required
@require_safe
def pagina(request, comune, piano_id):
    piano = access.piano_del_piao(request.user, comune, piano_id)
    anno = anni_e_anno(request.user, piano, request.GET.get("anno"))[1]
    schede = list(access.schede_dell_anno(request.user, piano, anno))
    temi = etichette.temi_delle_schede(schede)
    for o in schede:
        o.temi_scelti = temi[o.pk]
        o.ambiti_art8 = ambiti_della_scheda(o)
    contesto = {
        "comune": piano.comune,
        "piano": piano,
        "anno": anno,
        "anni": list(piano.anni),  # every year: outcomes may be written before the schede
        "schede": schede,
        "temi": TEMI_PIAO,
        "tipo": documento.tipo_documento(piano.comune),
        "titolo_documento": documento.titolo(piano.comune, piano, anno),
        "approvate": (approvate := sum(o.stato in documento.APPROVATI for o in schede)),
        "escluse": len(schede) - approvate,
        "outcomes": documento.outcomes(piano, anno, solo_approvati=False),
        "modifica": access.puo_modificare(request.user, piano.comune),
    }
    return render(request, "piao/pagina.html", contesto)


@login_required
@require_POST
def salva_temi(request, comune, piano_id):
    piano = access.piano_del_piao(request.user, comune, piano_id, modifica=True)
    anno = _anno(piano, request.POST.get("anno"))
    schede = list(access.schede_dell_anno(request.user, piano, anno))
    aggiunti, tolti = etichette.salva(schede, etichette.scelte_dal_modulo(request.POST, schede))
    if aggiunti or tolti:
        messages.success(request, f"Temi salvati: {aggiunti} aggiunti, {tolti} tolti.")
    else:
        messages.info(request, "Nessun tema cambiato.")
    return _alla_pagina(piano, anno)


def _outcome(request, piano, anno: int, outcome=None):
    schede = access.schede_dell_anno(request.user, piano, anno)
    dati = request.POST if request.method == "POST" else None
    form, formset = valore_pubblico.moduli(dati, piano, anno, schede, outcome)
    if dati is not None and form.is_valid() and formset.is_valid():
        valore_pubblico.salva(form, formset, anno)
        messages.success(request, f"Outcome «{form.instance.titolo}» salvato.")
        return _alla_pagina(piano, anno)
    contesto = {
        "comune": piano.comune,
        "piano": piano,
        "anno": anno,
        "form": form,
        "formset": formset,
        "outcome": outcome,
    }
    return render(request, "piao/outcome.html", contesto, status=200 if dati is None else 400)


@login_required
def nuovo_outcome(request, comune, piano_id):
    piano = access.piano_del_piao(request.user, comune, piano_id, modifica=True)
    return _outcome(request, piano, _anno(piano, request.GET.get("anno")))


@login_required
def modifica_outcome(request, comune, outcome_id):
    outcome = access.outcome_for_user(request.user, comune, outcome_id)
    piano = outcome.piano
    return _outcome(request, piano, _anno(piano, request.GET.get("anno")), outcome)


@login_required
@require_POST
def elimina_outcome(request, comune, outcome_id):
    outcome = access.outcome_for_user(request.user, comune, outcome_id)
    anno = _anno(outcome.piano, request.POST.get("anno"))
    outcome.delete()
    messages.success(request, f"Outcome «{outcome.titolo}» eliminato.")
    return _alla_pagina(outcome.piano, anno)


@login_required
@require_safe
def scarica(request, comune, piano_id, formato):
    if formato not in formati.FORMATI:
        raise Http404("Formato sconosciuto.")
    piano = access.piano_del_piao(request.user, comune, piano_id)
    anno = anni_e_anno(request.user, piano, request.GET.get("anno"))[1]
    doc = documento.costruisci(piano, anno)
    risposta = HttpResponse(formati.scrivi(doc, formato), content_type=formati.FORMATI[formato])
    nome = formati.nome_file(doc, formato)
    risposta["Content-Disposition"] = f'attachment; filename="{nome}"'
    return risposta
