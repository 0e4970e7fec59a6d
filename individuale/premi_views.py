"""The premi of a year (segreteria and ufficio personale): the fondi and the distributions
in force, «Simula» (computed, not saved), «Distribuisci» (confirmation, then saved: it
supersedes the one in force), the payroll's prospetto in Excel, the art. 20 tables as
they will be published. The rules: ``individuale.premi``; who: ``individuale.access``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from indicators.engine.formatting import euro

from . import art20, excel_premi, premi
from .access import smvp_for_user, verifica_premi
from .forms_premi import FondoForm


def _smvp(request, comune, anno):
    smvp = smvp_for_user(request.user, comune, anno)
    verifica_premi(request.user, smvp.comune)
    return smvp


def _calcola(smvp, form, simulazione: bool) -> dict:
    """The computation asked for by a valid form, or why not."""
    try:
        calcoli, avvisi = premi.calcola(smvp, simulazione=simulazione, **form.richiesta())
    except premi.PremiNonDistribuibili as exc:
        return {"errore": str(exc)}
    return {
        "calcoli": calcoli,
        "avvisi": avvisi,
        "fondo": sum(c.esito.fondo for c in calcoli),
        "distribuito": sum(c.esito.distribuito for c in calcoli),
    }


@login_required
@require_safe
def pagina(request, comune, anno):
    smvp = _smvp(request, comune, anno)
    distribuzioni = premi.in_vigore(smvp)
    contesto = {
        "smvp": smvp,
        "comune": smvp.comune,
        "distribuzioni": distribuzioni,
        "tabelle": art20.tabelle(smvp, distribuzioni),
        "form": FondoForm(smvp=smvp),
    }
    return render(request, "individuale/premi/pagina.html", contesto)


@login_required
@require_safe
def simulazione(request, comune, anno):
    smvp = _smvp(request, comune, anno)
    form = FondoForm(request.GET, smvp=smvp)
    contesto = {"smvp": smvp, "comune": smvp.comune, "form": form}
    if not form.is_valid():
        return render(request, "individuale/premi/simulazione.html", contesto, status=400)
    contesto |= _calcola(smvp, form, simulazione=True)
    return render(request, "individuale/premi/simulazione.html", contesto)


@login_required
def distribuisci(request, comune, anno):
    """GET: what will happen (or why it cannot); POST: the real run."""
    smvp = _smvp(request, comune, anno)
    form = FondoForm(request.POST if request.method == "POST" else request.GET, smvp=smvp)
    contesto = {"smvp": smvp, "comune": smvp.comune, "form": form}
    if not form.is_valid():
        return render(request, "individuale/premi/distribuisci.html", contesto, status=400)
    if request.method != "POST":
        contesto |= _calcola(smvp, form, simulazione=False)
        if "calcoli" in contesto:
            elenco = [c.fondo for c in contesto["calcoli"]]
            contesto["sostituite"] = premi.da_sostituire(smvp, elenco)
        return render(request, "individuale/premi/distribuisci.html", contesto)
    try:
        _, calcoli, _ = premi.distribuisci(smvp, utente=request.user, **form.richiesta())
    except premi.PremiNonDistribuibili as exc:
        raise PermissionDenied(str(exc)) from exc
    distribuito = sum(c.esito.distribuito for c in calcoli)
    fondo = sum(c.esito.fondo for c in calcoli)
    messages.success(
        request,
        f"Premi {smvp.anno} distribuiti: {euro(distribuito)} su fondo {euro(fondo)}, "
        f"residuo {euro(fondo - distribuito)}. Il prospetto per le paghe è aggiornato.",
    )
    return redirect("premi", smvp.comune.slug, smvp.anno)


@login_required
@require_safe
def prospetto(request, comune, anno):
    smvp = _smvp(request, comune, anno)
    distribuzioni = premi.in_vigore(smvp)
    if not distribuzioni:
        raise Http404(f"Nessuna distribuzione dei premi {smvp.anno} in vigore.")
    risposta = HttpResponse(
        excel_premi.prospetto(smvp, distribuzioni), content_type=excel_premi.XLSX
    )
    risposta["Content-Disposition"] = f'attachment; filename="{excel_premi.nome_file(smvp)}"'
    return risposta
