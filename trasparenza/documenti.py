"""The PDFs of the public pages, through the same code as the staff's prints: the whole
piano in the print models' publishable variant (``esporta_pdf --pubblicabile``), the
Relazione sulla performance without the names of who validated.

A whole piano takes seconds to lay out: each PDF is written once to a file named by a
fingerprint of what it prints (the schede shown, their versions and states, the
publication) and served from there until something printed changes."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from django.conf import settings

from objectives.models import Obiettivo
from reporting import libri
from reporting.pdf import contesto_base, render_pdf
from reporting.relazione import relazione
from reporting.validazione_relazione import pdf_documento

from . import access
from .pubblicazioni import STATI_PUBBLICI


def _cartella() -> Path:
    cartella = Path(settings.STAMPE_ROOT) / "trasparenza"
    cartella.mkdir(parents=True, exist_ok=True)
    return cartella


def _impronta(pubblicazione) -> str:
    schede = access.schede_pubbliche(pubblicazione).order_by("pk")
    righe = list(schede.values_list("pk", "versione", "stato"))
    testo = f"{pubblicazione.pk}:{pubblicazione.tipo}:{righe}"
    return hashlib.sha256(testo.encode()).hexdigest()[:20]


def _in_cache(pubblicazione, scrivi) -> Path:
    """The file for this fingerprint, written (atomically) if it is not there yet."""
    nome = f"{pubblicazione.comune.slug}-{pubblicazione.anno}-{pubblicazione.tipo}"
    percorso = _cartella() / f"{nome}-{_impronta(pubblicazione)}.pdf"
    if not percorso.exists():
        descrittore, temporaneo = tempfile.mkstemp(dir=percorso.parent, suffix=".parziale")
        os.close(descrittore)
        try:
            scrivi(Path(temporaneo))
            os.replace(temporaneo, percorso)
        finally:
            Path(temporaneo).unlink(missing_ok=True)
    return percorso


def pdf_piano(pubblicazione) -> Path:
    piano = pubblicazione.piano
    visibili = Obiettivo.objects.filter(stato__in=STATI_PUBBLICI)

    def scrivi(destinazione: Path) -> None:
        libri.scrivi_piano(
            piano,
            pubblicazione.anno,
            destinazione,
            rendicontazione=False,  # the plan: targets, not unvalidated results
            # The plan only: no staff names, and none of what the rendicontazione adds
            # (values reached, actual dates, progress), validated or not: results are
            # published with the relazione.
            modelli=libri.modelli_stampa(piano, pubblicabile=True, senza_risultati=True),
            visibili=visibili,
            processi=1,
        )

    return _in_cache(pubblicazione, scrivi)


def dati_relazione(pubblicazione):
    """The relazione's data for the public: who validated is staff, not published."""
    dati = relazione(
        pubblicazione.piano, pubblicazione.anno, access.schede_pubbliche(pubblicazione)
    )
    for sezione in dati.settori:
        for riga in sezione.obiettivi:
            riga.validato_da = ""
    return dati


def pdf_relazione(pubblicazione) -> Path:
    def scrivi(destinazione: Path) -> None:
        anno = pubblicazione.anno
        contesto = contesto_base(pubblicazione.comune, f"Relazione sulla performance {anno}")
        contesto.update(
            piano=pubblicazione.piano, anno=anno, relazione=dati_relazione(pubblicazione)
        )
        destinazione.write_bytes(render_pdf("reporting/pdf/relazione.html", contesto))

    return _in_cache(pubblicazione, scrivi)


def pdf_validazione(pubblicazione) -> Path:
    """The Nucleo's documento di validazione della Relazione (members are public office
    holders, as in the OIV's own publications; no staff name is in it)."""

    def scrivi(destinazione: Path) -> None:
        destinazione.write_bytes(pdf_documento(pubblicazione.piano, pubblicazione.anno))

    return _in_cache(pubblicazione, scrivi)
