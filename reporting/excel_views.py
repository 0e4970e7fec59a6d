"""Excel export, empty template and import of a piano."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from objectives.access import obiettivi_visibili, verifica_segreteria
from peg.access import piano_for_user, settore_del_comune

from . import excel
from .excel_import import FileNonValido, importa, limite_mb, verifica_dimensione

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _scarica(dati: bytes, nome: str) -> HttpResponse:
    risposta = HttpResponse(dati, content_type=XLSX)
    risposta["Content-Disposition"] = content_disposition_header(True, nome)
    return risposta


@login_required
@require_safe
def esporta(request, comune, piano_id):
    piano = piano_for_user(request.user, comune, piano_id)
    anno = request.GET.get("anno") or None
    if anno is not None:
        if not anno.isdigit() or int(anno) not in piano.anni:
            raise Http404("Anno fuori dal piano.")
        anno = int(anno)
    settore = None
    if request.GET.get("settore"):
        if not request.GET["settore"].isdigit():
            raise Http404("Settore sconosciuto.")
        settore = settore_del_comune(piano.comune, int(request.GET["settore"]))
    obiettivi = excel.obiettivi_da_esportare(
        obiettivi_visibili(request.user, piano.comune), piano, anno, settore
    )
    return _scarica(excel.cartella(obiettivi), excel.nome_file(piano, anno, settore))


@login_required
@require_safe
def modello(request, comune, piano_id):
    piano = piano_for_user(request.user, comune, piano_id)
    return _scarica(excel.cartella(), f"modello-{piano.comune.slug}-{piano.tipo.lower()}.xlsx")


@login_required
def importa_excel(request, comune, piano_id):
    piano = piano_for_user(request.user, comune, piano_id)
    verifica_segreteria(request.user, piano.comune, "Solo la segreteria importa i piani da Excel.")
    esito = None
    solo_verifica = True
    motivazione = ""
    errore_file = ""
    if request.method == "POST":
        solo_verifica = request.POST.get("solo_verifica") == "1"
        motivazione = request.POST.get("motivazione", "").strip()
        file = request.FILES.get("file")
        try:
            if file is None:
                raise FileNonValido("Scegli il file Excel da importare.")
            verifica_dimensione(file.size)  # before reading it into memory
            esito = importa(
                piano,
                file.read(),
                solo_verifica=solo_verifica,
                motivazione=motivazione,
                utente=request.user,
            )
        except FileNonValido as exc:
            errore_file = str(exc)
    return render(
        request,
        "reporting/importa_excel.html",
        {
            "comune": piano.comune,
            "piano": piano,
            "esito": esito,
            "solo_verifica": solo_verifica,
            "motivazione": motivazione,
            "errore_file": errore_file,
            "limite_mb": limite_mb(),
        },
        status=400 if errore_file or (esito and not esito.ok) else 200,
    )
