"""«Prepara il piano dell'anno successivo» (segreteria): the year's schede with a
checkbox each, the confirmation, then what was created (objectives.anno_successivo)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from peg.access import piano_for_user
from peg.parametri import intero

from .access import verifica_segreteria
from .anno_successivo import PreparazioneImpossibile, prepara, prepara_anno
from .anno_successivo.pagina import anno_di_partenza, da_escludere
from .piano_anno import PianoAmbiguo, SceltaPiano

SOLO_SEGRETERIA = "Solo la segreteria prepara il piano dell'anno successivo."


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def prepara_anno_successivo(request, comune, piano_id):
    piano = piano_for_user(request.user, comune, piano_id)
    verifica_segreteria(request.user, piano.comune, SOLO_SEGRETERIA)
    dati = request.POST if request.method == "POST" else request.GET
    da_anno = anno_di_partenza(piano, dati.get("da"))
    scelta = {"piano_id": piano.pk, "destinazione_id": intero(dati.get("destinazione"))}
    contesto = {"comune": piano.comune, "piano": piano, "da_anno": da_anno, "anno": da_anno + 1}
    try:
        prep = prepara(piano.comune, da_anno, **scelta)
        contesto["preparazione"] = prep
        if request.method == "POST":
            escludi = da_escludere(prep, dati.getlist("scheda"))
            contesto["esito"] = prepara_anno(
                piano.comune, da_anno, escludi=escludi, utente=request.user, **scelta
            )
    except PianoAmbiguo as exc:
        contesto.update(errore=str(exc), candidati=exc.piani)
    except (SceltaPiano, PreparazioneImpossibile) as exc:
        contesto["errore"] = str(exc)
    stato = 400 if request.method == "POST" and "errore" in contesto else 200
    return render(request, "objectives/prepara_anno.html", contesto, status=stato)
