"""Planning pages: create and edit a scheda with its rows; live previews while typing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from indicators.engine.scoring import Sistema
from peg.access import piano_for_user, settori_modificabili

from . import anteprima, richieste
from . import pianificazione as planning
from .access import obiettivo_for_user
from .http import conflitto
from .models import Obiettivo
from .modifiche import ModificaConcorrente
from .workflow import ambito_scheda, verifica_creazione


def _scheda_nuova(request, comune, piano_id):
    piano = piano_for_user(request.user, comune, piano_id)
    settori = settori_modificabili(request.user, piano.comune)
    if not settori.exists():
        raise PermissionDenied("Solo la segreteria e i responsabili di settore creano obiettivi.")
    verifica_creazione(piano)
    return Obiettivo(
        piano=piano,
        anno=piano.anno_inizio,
        anno_inizio=piano.anno_inizio,
        anno_fine=piano.anno_inizio,
    ), settori


def _scheda_esistente(request, comune, obiettivo_id):
    obiettivo = obiettivo_for_user(request.user, comune, obiettivo_id, ambito="scheda")
    return obiettivo, settori_modificabili(request.user, obiettivo.piano.comune)


def _pagina(request, obiettivo, settori):
    variazione = obiettivo.pk is not None and ambito_scheda(obiettivo) == "variazione"
    data = request.POST if request.method == "POST" else None
    scheda = planning.moduli(obiettivo, settori, variazione, data, utente=request.user)
    if variazione:
        richieste.precompila(scheda.obiettivo, obiettivo)
    if request.method == "POST":
        try:
            return _salva(request, scheda, variazione)
        except ModificaConcorrente as exc:
            contesto = _contesto(obiettivo, scheda, variazione)
            return conflitto(request, exc, "objectives/pianificazione.html", contesto)
    return render(
        request, "objectives/pianificazione.html", _contesto(obiettivo, scheda, variazione)
    )


def _salva(request, scheda, variazione):
    """The posted page: refused if stale (409), shown again with its errors, or saved."""
    scheda.verifica_versione()
    obiettivo = scheda.obiettivo.instance
    if not scheda.validi():
        messages.error(request, "La scheda non è stata salvata: correggi i campi segnalati.")
        return render(
            request, "objectives/pianificazione.html", _contesto(obiettivo, scheda, variazione)
        )
    salvato, cambiata = planning.salva(scheda, request.user)
    esito = "variazione registrata." if variazione else "scheda salvata."
    messages.success(
        request,
        f"{salvato.codice} ({salvato.anno}): {esito if cambiata else 'nessuna modifica da salvare.'}",
    )
    if "continua" in request.POST:
        return redirect("modifica_obiettivo", salvato.piano.comune.slug, salvato.pk)
    return redirect("obiettivo", salvato.piano.comune.slug, salvato.pk)


def _contesto(obiettivo, scheda, variazione) -> dict:
    return {
        "comune": obiettivo.piano.comune,
        "piano": obiettivo.piano,
        "obiettivo": obiettivo,
        "variazione": variazione,
        "richieste_accolte": richieste.da_applicare(obiettivo) if variazione else [],
        **_letture(obiettivo, scheda),
    }


def _letture(obiettivo, scheda) -> dict:
    """What the page and its live preview show of the rows: weight sums, each
    graduazione read back."""
    sistema = Sistema.del_piano(obiettivo.piano)
    anteprima.letture(scheda.indicatori, sistema)
    anteprima.letture(scheda.fasi, sistema)
    return {
        "scheda": scheda,
        "pesi_indicatori": anteprima.pesi(scheda.indicatori),
        "pesi_fasi": anteprima.pesi(scheda.fasi),
    }


@login_required
def nuovo_obiettivo(request, comune, piano_id):
    obiettivo, settori = _scheda_nuova(request, comune, piano_id)
    return _pagina(request, obiettivo, settori)


@login_required
def modifica_obiettivo(request, comune, obiettivo_id):
    obiettivo, settori = _scheda_esistente(request, comune, obiettivo_id)
    return _pagina(request, obiettivo, settori)


def _anteprima(request, obiettivo, settori):
    scheda = planning.righe_pesate(obiettivo, request.POST)
    return render(request, "objectives/_anteprima_pianificazione.html", _letture(obiettivo, scheda))


@login_required
@require_POST
def anteprima_nuovo(request, comune, piano_id):
    return _anteprima(request, *_scheda_nuova(request, comune, piano_id))


@login_required
@require_POST
def anteprima_modifica(request, comune, obiettivo_id):
    return _anteprima(request, *_scheda_esistente(request, comune, obiettivo_id))
