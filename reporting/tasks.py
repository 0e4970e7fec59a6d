"""Background jobs (django-tasks): the whole-piano PDF, written under STAMPE_ROOT."""

import logging
import os
import tempfile
import time
from collections.abc import Callable
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tasks import task

from .models import Stampa

logger = logging.getLogger(__name__)

# Progress is written at most this often (seconds), and always for the last scheda.
INTERVALLO_AVANZAMENTO = 0.5


def _aggiorna(stampa_id: int, **campi) -> None:
    Stampa.objects.filter(pk=stampa_id).update(**campi)


def scrivi_file(stampa: Stampa, scrivi: Callable[[BinaryIO], None]) -> str:
    """``scrivi(file)`` writes the book into a temporary file under STAMPE_ROOT, renamed
    once complete (atomic: a half-written book is never offered); returns the relative
    path."""
    relativo = f"{stampa.piano.comune.slug}/piano-{stampa.piano_id}-{stampa.anno}-{stampa.pk}.pdf"
    destinazione = settings.STAMPE_ROOT / relativo
    destinazione.parent.mkdir(parents=True, exist_ok=True)
    fd, temporaneo = tempfile.mkstemp(dir=destinazione.parent, suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            scrivi(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporaneo, destinazione)
    except BaseException:
        os.unlink(temporaneo)
        raise
    return relativo


@task()
def stampa_piano(stampa_id: int) -> str:
    """Build the whole-piano PDF of a Stampa; returns the final stato."""
    stampa = Stampa.objects.select_related("piano__comune").get(pk=stampa_id)
    # Claim it: a Stampa already taken (or finished) is not built twice.
    if not Stampa.objects.filter(pk=stampa_id, stato=Stampa.Stato.IN_CODA).update(
        stato=Stampa.Stato.IN_CORSO
    ):
        return Stampa.objects.get(pk=stampa_id).stato
    ultimo = 0.0

    def avanzamento(fatti: int, totale: int) -> None:
        nonlocal ultimo
        adesso = time.monotonic()
        if fatti < totale and adesso - ultimo < INTERVALLO_AVANZAMENTO:
            return
        ultimo = adesso
        _aggiorna(stampa_id, fatti=fatti, totale=totale)

    try:
        from . import libri
        from .modelli.scelta import fissa_versioni

        fissa_versioni(stampa.piano)  # an approved piano keeps the version it printed with
        # The parts laid out by PROCESSI_STAMPA processes (reporting.processi); a
        # process that dies is a ValueError with an Italian message, shown below.
        relativo = scrivi_file(
            stampa,
            lambda file: libri.scrivi_piano(
                stampa.piano, stampa.anno, file, avanzamento=avanzamento
            ),
        )
    except Exception as exc:
        logger.exception("Stampa %s del piano %s non riuscita", stampa_id, stampa.piano_id)
        # Our own checks speak Italian; anything else stays in the server log.
        motivo = (
            "; ".join(exc.messages)
            if isinstance(exc, ValidationError)
            else str(exc)
            if isinstance(exc, ValueError) and str(exc)
            else "errore interno, registrato nel log del server"
        )
        _aggiorna(
            stampa_id,
            stato=Stampa.Stato.ERRORE,
            errore=f"La stampa non è riuscita: {motivo.rstrip('.')}.",
            completata_il=timezone.now(),
        )
        return Stampa.Stato.ERRORE
    _aggiorna(stampa_id, stato=Stampa.Stato.PRONTA, file=relativo, completata_il=timezone.now())
    # The newest book replaces the older ones of the same piano and year on disk.
    for vecchia in Stampa.objects.filter(
        piano_id=stampa.piano_id, anno=stampa.anno, tipo=stampa.tipo, stato=Stampa.Stato.PRONTA
    ).exclude(pk=stampa_id):
        rimuovi_file(vecchia)
    return Stampa.Stato.PRONTA


def rimuovi_file(stampa: Stampa) -> None:
    if stampa.percorso is not None:
        stampa.percorso.unlink(missing_ok=True)
    Stampa.objects.filter(pk=stampa.pk).update(file="")
