"""The request of a whole-piano book (reused while one is active); who may request it
is decided in ``reporting.access``."""

import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Stampa

logger = logging.getLogger(__name__)

# A stampa still queued or running after this long is taken as lost (worker stopped).
SCADUTA_DOPO = timedelta(hours=2)
INTERROTTA = "La stampa è stata interrotta (nessun esito dopo due ore): richiederla di nuovo."


def richiedi(piano, anno: int, utente, tipo: str = Stampa.Tipo.PIANO) -> tuple[Stampa, bool]:
    """The active Stampa for piano+anno+tipo, or a new one enqueued after commit.
    Returns (stampa, created)."""
    attive = Stampa.objects.filter(piano=piano, anno=anno, tipo=tipo, stato__in=Stampa.ATTIVI)
    attive.filter(richiesta_il__lt=timezone.now() - SCADUTA_DOPO).update(
        stato=Stampa.Stato.ERRORE, errore=INTERROTTA, completata_il=timezone.now()
    )
    for stampa in attive.exclude(task_id=""):
        rilascia_se_finita(stampa)
    if esistente := attive.first():
        return esistente, False
    try:
        with transaction.atomic():
            stampa = Stampa.objects.create(piano=piano, anno=anno, tipo=tipo, richiesta_da=utente)
    except IntegrityError:
        # Another request created it in the meantime (unique constraint on the active one).
        return attive.get(), False
    transaction.on_commit(lambda: accoda(stampa.pk))
    return stampa, True


def rilascia_se_finita(stampa: Stampa) -> None:
    """A task that ended (crashed worker, error before the task could record it) while
    its Stampa still looks active: the Stampa ends in errore instead of blocking."""
    from django_tasks.base import TaskResultStatus

    from .tasks import stampa_piano

    try:
        stato = stampa_piano.get_result(stampa.task_id).status
    except Exception:  # unknown id or backend without results: nothing to learn
        return
    if stato in (TaskResultStatus.FAILED, TaskResultStatus.SUCCESSFUL):
        Stampa.objects.filter(pk=stampa.pk, stato__in=Stampa.ATTIVI).update(
            stato=Stampa.Stato.ERRORE,
            errore="La stampa si è interrotta senza esito: richiederla di nuovo.",
            completata_il=timezone.now(),
        )


def accoda(stampa_id: int) -> None:
    """Hand the Stampa to the task backend; a failure to enqueue ends it in errore."""
    from .tasks import stampa_piano

    try:
        risultato = stampa_piano.enqueue(stampa_id)
    except Exception:
        logger.exception("Stampa %s: impossibile metterla in coda", stampa_id)
        Stampa.objects.filter(pk=stampa_id, stato=Stampa.Stato.IN_CODA).update(
            stato=Stampa.Stato.ERRORE,
            errore="Non è stato possibile mettere in coda la stampa: riprovare più tardi.",
        )
        return
    # With the immediate backend the task has already run: only the id is stored here.
    Stampa.objects.filter(pk=stampa_id).update(task_id=str(risultato.id))
