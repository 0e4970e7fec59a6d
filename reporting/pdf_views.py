"""PDF downloads: scheda, rendicontazione, settore book, relazione.

Every view goes through ``peg.access`` / ``objectives.access``: another comune answers
404 and a book contains only the schede the user may see (a responsabile never gets
another settore's drafts).
"""

from __future__ import annotations

import io
import re

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from objectives.access import obiettivi_visibili, obiettivo_for_user
from peg.access import piano_for_user, settore_del_comune

from . import cruscotti, libri
from .modelli.scelta import fissa_versioni


def nome_file(*parti) -> str:
    """("scheda", "VI - 1", 2019) → "scheda-VI-1-2019.pdf": ASCII, no spaces."""
    testo = "-".join(str(p) for p in parti if p not in ("", None))
    testo = re.sub(r"[^A-Za-z0-9_-]+", "-", testo)
    return re.sub(r"-{2,}", "-", testo).strip("-") + ".pdf"


def risposta_pdf(contenuto: bytes, nome: str) -> FileResponse:
    return FileResponse(
        io.BytesIO(contenuto), as_attachment=True, filename=nome, content_type="application/pdf"
    )


def _scheda(request, comune, obiettivo_id, rendicontazione: bool | None):
    obiettivo = obiettivo_for_user(request.user, comune, obiettivo_id)
    fissa_versioni(obiettivo.piano)  # an approved piano prints with the version fixed now
    contenuto = libri.pdf_schede(
        obiettivi_visibili(request.user, obiettivo.piano.comune).filter(pk=obiettivo.pk),
        rendicontazione=rendicontazione,
    )
    prefisso = "rendicontazione" if rendicontazione else "scheda"
    return risposta_pdf(contenuto, nome_file(prefisso, obiettivo.codice, obiettivo.anno))


@login_required
@require_safe
def pdf_scheda(request, comune, obiettivo_id):
    """The scheda obiettivo as planned, with the piano's model for the plan."""
    return _scheda(request, comune, obiettivo_id, rendicontazione=False)


@login_required
@require_safe
def pdf_rendicontazione(request, comune, obiettivo_id):
    """The scheda di rendicontazione, with the piano's model for the rendicontazione."""
    return _scheda(request, comune, obiettivo_id, rendicontazione=True)


def _anno(request, piano, settore=None):
    return cruscotti.anni_e_anno(request.user, piano, request.GET.get("anno"), settore)[1]


@login_required
@require_safe
def pdf_settore(request, comune, piano_id, settore_id):
    piano = piano_for_user(request.user, comune, piano_id)
    settore = settore_del_comune(piano.comune, settore_id)
    visibili = obiettivi_visibili(request.user, piano.comune)
    anno = _anno(request, piano, settore)
    fissa_versioni(piano)
    contenuto = libri.pdf_settore(piano, settore, anno, visibili=visibili)
    nome = nome_file("pdo", slugify(settore.codice or settore.nome)[:40], anno)
    return risposta_pdf(contenuto, nome)


@login_required
@require_safe
def pdf_relazione(request, comune, piano_id):
    piano = piano_for_user(request.user, comune, piano_id)
    visibili = obiettivi_visibili(request.user, piano.comune)
    anno = _anno(request, piano)
    contenuto = libri.pdf_relazione(piano, anno, visibili=visibili)
    return risposta_pdf(contenuto, nome_file("relazione-performance", piano.comune.slug, anno))
