"""The segreteria's pages for print models: the comune's models (the four built-in ones
and its copies), a copy's editing page with its preview, and a piano's choice of model
for the plan and the rendicontazione (reporting.modelli; docs/stampe.md).

Only the segreteria of the comune (reporting.access): another comune answers 404, the
other roles 403 with why.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from objectives.access import obiettivi_visibili, obiettivo_for_user
from peg.parametri import intero

from . import libri
from .access import comune_dei_modelli, modello_for_user, piano_dei_modelli
from .immagini import AnteprimaNonRiuscita, numero_pagine, pagine_png
from .modelli import copie, gestione, modulo
from .modelli.predefiniti import PREDEFINITI
from .modelli.schema import INTERRUZIONI, ORDINI, SE_VUOTA, ModelloNonValido, leggi

ANTEPRIMA_PAGINE = 4


@login_required
@require_safe
def modelli_stampa(request, comune):
    """The comune's models: the built-in ones (read only) and its copies."""
    comune = comune_dei_modelli(request.user, comune)
    return render(
        request,
        "reporting/modelli/elenco.html",
        {
            "comune": comune,
            "predefiniti": [
                (chiave, dati["nome"], leggi(dati)) for chiave, dati in PREDEFINITI.items()
            ],
            "copie": gestione.modelli_del_comune(comune),
        },
    )


@login_required
@require_POST
def copia_modello(request, comune):
    comune = comune_dei_modelli(request.user, comune)
    try:
        modello = gestione.copia_da(
            comune, request.POST.get("da", ""), request.POST.get("nome", ""), request.user
        )
    except ModelloNonValido as exc:
        messages.error(request, f"Copia non creata: {exc}")
        return redirect("modelli_stampa", comune.slug)
    messages.success(request, f"Creato «{modello.nome}» (versione 1): ora si può modificare.")
    return redirect("modifica_modello", comune.slug, modello.pk)


@login_required
@require_safe
def modello_predefinito(request, comune, chiave):
    """A built-in model, read only: its sections and columns, «Crea una copia» and its
    preview on a scheda (``?scheda=``)."""
    comune = comune_dei_modelli(request.user, comune)
    if chiave not in PREDEFINITI:
        raise Http404("Modello predefinito sconosciuto.")
    dati = modulo.normalizza(PREDEFINITI[chiave])
    contesto = _contesto(comune, dati)
    scheda = request.GET.get("scheda")
    contesto.update(
        chiave=chiave,
        nome=dati["nome"],
        sola_lettura=True,
        schede=gestione.schede_per_anteprima(obiettivi_visibili(request.user, comune)),
        scheda_scelta=intero(scheda),
        anteprima=_anteprima(request.user, comune, modulo.Letto(dati), scheda) if scheda else {},
    )
    return render(request, "reporting/modelli/modello.html", contesto)


def _contesto(comune, dati: dict) -> dict:
    return {
        "comune": comune,
        "dati": dati,
        "sezioni": modulo.righe(dati),
        "orientamenti": modulo.ORIENTAMENTI,
        "ordini": ORDINI,
        "interruzioni": INTERRUZIONI,
        "se_vuota": SE_VUOTA,
        "logo_max_kb": modulo.LOGO_MAX_KB,
        "max_etichetta": modulo.MAX_ETICHETTA,
        "pagina_testo": modulo.pagina_testo(dati),
    }


def _pagina(request, modello, dati: dict, status: int = 200, **altro):
    """The editing page of ``modello`` showing ``dati`` (saved, or as posted)."""
    salvati, avvisi_salvati = gestione.carica(modello)
    contesto = _contesto(modello.comune, dati)
    ultima = modello.versioni.first()
    contesto.update(
        modello=modello,
        nome=modello.nome,
        ultima=ultima,
        versione_modulo=altro.pop(
            "versione_modulo", request.POST.get("versione", ultima.numero if ultima else 0)
        ),
        logo_nuovo=dati["logo"] if dati["logo"] != salvati["logo"] else "",
        logo_tolto=bool(salvati["logo"]) and not dati["logo"],
        schede=gestione.schede_per_anteprima(obiettivi_visibili(request.user, modello.comune)),
        scheda_scelta=intero(request.POST.get("scheda") or request.GET.get("scheda")),
        versioni=modello.versioni.select_related("creata_da")[:10],
        avvisi_salvati=avvisi_salvati,
        **altro,
    )
    return render(request, "reporting/modelli/modello.html", contesto, status=status)


@login_required
def modifica_modello(request, comune, modello_id):
    """A copy's page: GET shows its latest version; POST moves a section (nothing saved)
    or saves a new version (nothing changed: no version)."""
    modello = modello_for_user(request.user, comune, modello_id)
    if request.method != "POST":
        return _pagina(request, modello, gestione.dati_correnti(modello))
    letto = modulo.leggi_modulo(
        gestione.dati_correnti(modello), request.POST, request.FILES.get("logo_file")
    )
    if request.POST.get("sposta") and not letto.manomesso:
        avviso = modulo.sposta(letto.dati, request.POST["sposta"])
        return _pagina(request, modello, letto.dati, avviso=avviso, errori=letto.errori)
    ultima = modello.versioni.first()
    attuale = ultima.numero if ultima else 0  # the form shown again is based on it
    if str(attuale) != request.POST.get("versione"):
        letto.errori.insert(0, _superato(ultima))
    try:
        if letto.errori:
            raise ModelloNonValido(*letto.errori)
        versione = copie.salva(modello, letto.dati, request.user)
    except ModelloNonValido as exc:
        errori = [str(e) for e in exc.args]
        return _pagina(request, modello, letto.dati, 400, errori=errori, versione_modulo=attuale)
    if versione is None:
        messages.info(request, "Nessuna modifica da salvare.")
    else:
        messages.success(request, f"Salvata la versione {versione.numero} di «{modello.nome}».")
    return redirect("modifica_modello", modello.comune.slug, modello.pk)


def _superato(ultima) -> str:
    numero = ultima.numero if ultima else 0
    return (
        f"Il modello è stato salvato da un altro utente mentre era aperto (ora è alla "
        f"versione {numero}): controllare le modifiche qui sotto e salvare di nuovo."
    )


@login_required
@require_POST
def anteprima_modello(request, comune, modello_id):
    """The model as the form stands (unsaved) printed on a scheda, as images on the page."""
    modello = modello_for_user(request.user, comune, modello_id)
    letto = modulo.leggi_modulo(
        gestione.dati_correnti(modello), request.POST, request.FILES.get("logo_file")
    )
    anteprima = _anteprima(request.user, modello.comune, letto, request.POST.get("scheda"))
    if request.htmx:
        contesto = {"anteprima": anteprima, "comune": modello.comune}
        return render(request, "reporting/modelli/modello.html#anteprima", contesto)
    stato = 400 if anteprima.get("errori") else 200
    return _pagina(request, modello, letto.dati, stato, anteprima=anteprima)


def _anteprima(user, comune, letto, scheda_id) -> dict:
    if letto.errori:
        return {"errori": letto.errori}
    if intero(scheda_id) is None:
        return {"errori": ["Scegliere la scheda su cui vedere l'anteprima."]}
    obiettivo = obiettivo_for_user(user, comune.slug, intero(scheda_id))
    try:
        modello = leggi(letto.dati)
        pdf = libri.pdf_schede(
            obiettivi_visibili(user, comune).filter(pk=obiettivo.pk),
            modelli={"piano": modello, "rendicontazione": modello},
        )
        pagine = pagine_png(pdf, ANTEPRIMA_PAGINE)
    except (ModelloNonValido, AnteprimaNonRiuscita) as exc:
        return {"errori": [str(exc)]}
    return {"pagine": pagine, "totale": numero_pagine(pdf), "scheda": obiettivo}


@login_required
def modelli_piano(request, comune, piano_id):
    """Which model the piano prints its plan and its rendicontazione with, in which version."""
    piano = piano_dei_modelli(request.user, comune, piano_id)
    if request.method == "POST":
        _esito(
            request,
            lambda: gestione.cambia_scelta(
                piano, request.POST.get("uso", ""), request.POST.get("modello", "")
            ),
            "Nessuna modifica da salvare: il modello era già quello.",
        )
        return redirect("modelli_piano", piano.comune.slug, piano.pk)
    contesto = {
        "comune": piano.comune,
        "piano": piano,
        "scelte": gestione.scelte_del_piano(piano),
        "opzioni": gestione.opzioni(piano.comune),
        "approvato": piano.stato != piano.Stato.BOZZA,
    }
    return render(request, "reporting/modelli/piano.html", contesto)


@login_required
@require_POST
def aggiorna_modello_piano(request, comune, piano_id):
    """An approved piano moves one use to its copy's latest version (after confirmation)."""
    piano = piano_dei_modelli(request.user, comune, piano_id)
    _esito(
        request,
        lambda: gestione.aggiorna_versione(piano, request.POST.get("uso", "")),
        "La versione fissata era già l'ultima: nulla da aggiornare.",
    )
    return redirect("modelli_piano", piano.comune.slug, piano.pk)


def _esito(request, cambia, niente: str) -> None:
    """The outcome of a change of the piano's choice as a message: what changed, that
    nothing did (``niente``), or why it was refused."""
    try:
        esito = cambia()
    except ModelloNonValido as exc:
        messages.error(request, str(exc))
        return
    if esito:
        messages.success(request, esito)
    else:
        messages.info(request, niente)
