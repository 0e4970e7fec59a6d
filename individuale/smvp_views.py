"""The SMVP pages: the years, one year's system, its settings, a category with its
comportamenti, the fasce. Everybody of the comune reads (``individuale.access``: other
comuni 404); the segreteria changes (``verifica_segreteria_smvp``: the others 403 with
why). Rules and saving in ``individuale.smvp``, forms in ``forms_smvp``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from indicators.engine.weights import verifica_pesi
from peg.access import comune_for_user

from . import access
from . import smvp as servizio
from .forms_smvp import (
    CategoriaForm,
    ComportamentiFormSet,
    FasceFormSet,
    ImpostazioniForm,
    NuovoSmvpForm,
)
from .models import Categoria


def _elenco(request, comune, form, status=200):
    contesto = {
        "comune": comune,
        "anni": access.smvp_del_comune(comune),
        "form": form,
        "modifica": access.puo_configurare(request.user, comune),
    }
    return render(request, "individuale/smvp/elenco.html", contesto, status=status)


@login_required
@require_safe
def elenco(request, comune):
    comune = comune_for_user(request.user, comune)
    return _elenco(request, comune, NuovoSmvpForm(comune=comune))


@login_required
@require_POST
def crea(request, comune):
    comune = comune_for_user(request.user, comune)
    access.verifica_segreteria_smvp(request.user, comune)
    form = NuovoSmvpForm(request.POST, comune=comune)
    if not form.is_valid():
        return _elenco(request, comune, form, status=400)
    anno = form.cleaned_data["anno"]
    copia = servizio.da_copiare(comune, anno) if form.cleaned_data["copia"] else None
    nuovo = servizio.crea(comune, anno, request.user, copia)
    come = f"copiato dal {copia.anno}" if copia else "vuoto"
    messages.success(request, f"Sistema di valutazione {anno} creato ({come}).")
    return redirect("smvp", comune.slug, nuovo.anno)


@login_required
@require_safe
def pagina(request, comune, anno):
    smvp = access.smvp_for_user(request.user, comune, anno)
    piano, senza_piano = servizio.piano_dell_smvp(smvp)
    categorie = list(smvp.categorie.prefetch_related("comportamenti"))
    for c in categorie:
        c.pesi, c.aree_testo = servizio.riepilogo_pesi(c), servizio.aree_testo(c)
    contesto = {
        "comune": smvp.comune,
        "smvp": smvp,
        "categorie": categorie,
        "fasce": servizio.fasce_con_limiti(smvp),
        "problemi": servizio.problemi(smvp),
        "bloccato": servizio.motivo_blocco(smvp),
        "piano": piano,
        "senza_piano": senza_piano,
        "copia_successivo": servizio.successivo_da_creare(smvp),
        "modifica": access.puo_configurare(request.user, smvp.comune),
        "premi": access.puo_gestire_premi(request.user, smvp.comune),
    }
    return render(request, "individuale/smvp/pagina.html", contesto)


def _da_modificare(request, comune, anno):
    smvp = access.smvp_for_user(request.user, comune, anno)
    access.verifica_segreteria_smvp(request.user, smvp.comune)
    return smvp


def _esito(request, smvp, cambiato: bool, cosa: str):
    if cambiato:
        messages.success(request, f"{cosa}: salvato.")
    else:
        messages.info(request, f"{cosa}: nessuna modifica da salvare.")
    return redirect("smvp", smvp.comune.slug, smvp.anno)


def _salva(request, chiamata) -> bool | None:
    """The service's save; None when it refuses under the lock (a scheda moved since the
    form was checked): the message says why, the page is shown again."""
    try:
        return chiamata()
    except servizio.SmvpBloccato as exc:
        messages.error(request, " ".join(exc.messages))
        return None


@login_required
def impostazioni(request, comune, anno):
    smvp = _da_modificare(request, comune, anno)
    bloccato = servizio.motivo_blocco_impostazioni(smvp)
    form = ImpostazioniForm(request.POST or None, instance=smvp, bloccato=bloccato)
    if request.method == "POST" and form.is_valid():
        cambiato = _salva(request, lambda: servizio.salva_impostazioni(form, request.user))
        if cambiato is not None:
            return _esito(request, smvp, cambiato, f"Impostazioni del sistema {smvp.anno}")
    contesto = {"comune": smvp.comune, "smvp": smvp, "form": form, "bloccato": bloccato}
    status = 400 if request.method == "POST" else 200
    return render(request, "individuale/smvp/impostazioni.html", contesto, status=status)


def _categoria(request, smvp, categoria):
    bloccato = servizio.motivo_blocco(smvp)
    dati = request.POST if request.method == "POST" else None
    form = CategoriaForm(dati, instance=categoria, bloccato=bloccato)
    formset = ComportamentiFormSet(
        dati, instance=categoria, prefix="comportamenti", bloccato=bloccato
    )
    if dati is not None and form.is_valid() and formset.is_valid():
        cambiato = _salva(request, lambda: servizio.salva_categoria(form, formset, request.user))
        if cambiato is not None:
            return _esito(request, smvp, cambiato, f"Categoria «{form.instance.nome}»")
    contesto = {
        "comune": smvp.comune,
        "smvp": smvp,
        "categoria": categoria,
        "form": form,
        "formset": formset,
        "bloccato": bloccato,
        **_pesi(form, formset),
    }
    status = 400 if dati is not None else 200
    return render(request, "individuale/smvp/categoria.html", contesto, status=status)


def _pesi(form, formset) -> dict:
    """The live sums: the five components, the comportamenti's weights."""
    return {
        "pesi_componenti": verifica_pesi(
            servizio.numero(form[p].value()) or 0 for p in servizio.PESI
        ),
        "pesi_comportamenti": verifica_pesi(
            servizio.numero(f["peso"].value()) for f in formset.forms if _compilato(f)
        ),
    }


def _compilato(form) -> bool:
    return bool((form["nome"].value() or "").strip()) and not form["DELETE"].value()


@login_required
def nuova_categoria(request, comune, anno):
    smvp = _da_modificare(request, comune, anno)
    return _categoria(request, smvp, Categoria(smvp=smvp))


@login_required
def categoria(request, comune, anno, categoria_id):
    smvp = _da_modificare(request, comune, anno)
    return _categoria(request, smvp, servizio.categoria_di(smvp, categoria_id))


@login_required
@require_POST
def anteprima_pesi(request, comune, anno):
    """The sums while typing (htmx): reads the posted form, saves nothing."""
    smvp = _da_modificare(request, comune, anno)
    categoria = Categoria(smvp=smvp)
    form = CategoriaForm(request.POST, instance=categoria)
    formset = ComportamentiFormSet(request.POST, instance=categoria, prefix="comportamenti")
    return render(request, "individuale/smvp/_anteprima_pesi.html", _pesi(form, formset))


@login_required
@require_POST
def elimina_categoria(request, comune, anno, categoria_id):
    smvp = _da_modificare(request, comune, anno)
    categoria = servizio.categoria_di(smvp, categoria_id)
    try:
        servizio.elimina_categoria(categoria)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Categoria «{categoria.nome}» eliminata.")
    return redirect("smvp", smvp.comune.slug, smvp.anno)


@login_required
def fasce(request, comune, anno):
    smvp = _da_modificare(request, comune, anno)
    bloccato = servizio.motivo_blocco(smvp)
    dati = request.POST if request.method == "POST" else None
    formset = FasceFormSet(dati, instance=smvp, prefix="fasce", bloccato=bloccato)
    if dati is not None and formset.is_valid():
        cambiato = _salva(request, lambda: servizio.salva_fasce(formset))
        if cambiato is not None:
            return _esito(request, smvp, cambiato, f"Fasce del sistema {smvp.anno}")
    contesto = {"comune": smvp.comune, "smvp": smvp, "formset": formset, "bloccato": bloccato}
    status = 400 if dati is not None else 200
    return render(request, "individuale/smvp/fasce.html", contesto, status=status)
