"""The documento di validazione della Relazione sulla performance (PDF), for the Nucleo
(OIV) and the segreteria of the comune."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.views.decorators.http import require_safe

from peg.access import piano_for_user
from valutazione.access import verifica_documento_validazione

from . import validazione_relazione
from .pdf_views import nome_file, risposta_pdf


@login_required
@require_safe
def documento_validazione(request, comune, piano_id, anno):
    """Only once every scheda of the year is validated (else 403 saying how many miss)."""
    piano = piano_for_user(request.user, comune, piano_id)
    verifica_documento_validazione(request.user, piano.comune)
    perche = validazione_relazione.motivo_non_disponibile(piano, anno)
    if perche:
        raise PermissionDenied(perche)
    contenuto = validazione_relazione.pdf_documento(piano, anno)
    nome = nome_file("validazione-relazione", piano.comune.slug, anno)
    return risposta_pdf(contenuto, nome)
