"""Excel export, empty template and import of a piano."""

import tempfile

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from objectives.access import obiettivi_visibili, verifica_segreteria
from peg.access import piano_for_user, settore_del_comune
from peg.parametri import intero

from . import excel
from .excel_import import FileNonValido, importa, limite_mb, verifica_dimensione

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _scarica(obiettivi, nome: str) -> FileResponse:
    """The workbook written into a temporary file and sent from it in blocks (deleted
    when the response is closed): a whole ente's file is never one string in memory."""
    # Closed (and so deleted) by the response once sent.
    file = tempfile.TemporaryFile(dir=settings.FILE_UPLOAD_TEMP_DIR)  # noqa: SIM115
    try:
        excel.scrivi(obiettivi, file)
    except BaseException:
        file.close()
        raise
    file.seek(0)
    return FileResponse(file, as_attachment=True, filename=nome, content_type=XLSX)


@login_required
@require_safe
def esporta(request, comune, piano_id):
    piano = piano_for_user(request.user, comune, piano_id)
    anno = request.GET.get("anno") or None
    if anno is not None:
        anno = intero(anno)
        if anno not in piano.anni:
            raise Http404("Anno fuori dal piano.")
    settore = None
    if request.GET.get("settore"):
        if (settore_id := intero(request.GET["settore"])) is None:
            raise Http404("Settore sconosciuto.")
        settore = settore_del_comune(piano.comune, settore_id)
    obiettivi = excel.obiettivi_da_esportare(
        obiettivi_visibili(request.user, piano.comune), piano, anno, settore
    )
    return _scarica(obiettivi, excel.nome_file(piano, anno, settore))


@login_required
@require_safe
def modello(request, comune, piano_id):
    piano = piano_for_user(request.user, comune, piano_id)
    return _scarica((), f"modello-{piano.comune.slug}-{piano.tipo.lower()}.xlsx")


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
