"""The processes that lay out a long book's parts side by side (``libri.scrivi_piano``).

WeasyPrint uses one core: the whole piano's parts are laid out by a pool of processes,
as many as ``settings.PROCESSI_STAMPA`` (``PEG_PROCESSI_STAMPA``, by default the cores).
The processes are started with ``spawn``: a fresh interpreter that sets Django up by
itself (``_avvia``), whatever the caller is (a ``db_worker`` thread, a gunicorn worker,
a command, pytest), and inherits no database connection, lock or thread. They never
touch the database: they receive HTML and file names, and write PDF files.

With one process (or inside a daemonic process, which may not have children) the same
jobs run here, one after the other: ``InProcesso`` has the executor's interface.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager

from django.conf import settings

logger = logging.getLogger(__name__)


class ProcessoInterrotto(ValueError):
    """A layout process died (killed for lack of memory, crashed): the book is not made.
    A ValueError with an Italian message, shown as the stampa's error."""


INTERROTTO = (
    "un processo di impaginazione si è interrotto prima di finire (forse per mancanza "
    "di memoria): riprovare; se si ripete, ridurre PEG_PROCESSI_STAMPA"
)


def numero(richiesti: int | None = None) -> int:
    """The processes to use: ``richiesti``, else the setting; at least one."""
    if richiesti is None:
        richiesti = getattr(settings, "PROCESSI_STAMPA", None) or os.cpu_count() or 1
    return max(1, int(richiesti))


class InProcesso:
    """Runs each job at once, in this process, with the executor's ``submit``."""

    def submit(self, funzione, *args, **kwargs) -> Future:
        futuro: Future = Future()
        try:
            futuro.set_result(funzione(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 (handed to whoever asks the result)
            futuro.set_exception(exc)
        return futuro


def _avvia(modulo_impostazioni: str) -> None:
    """Each process of the pool: Django set up from the caller's settings module, no
    database connection (the parent's are not inherited with spawn; none is opened here)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", modulo_impostazioni)
    import django
    from django.db import connections

    django.setup()
    connections.close_all()


@contextmanager
def esecutore(processi: int) -> Iterator[InProcesso | ProcessPoolExecutor]:
    """A pool of ``processi`` processes (``InProcesso`` for one). A process that dies
    becomes ``ProcessoInterrotto`` with an Italian message; the pool is always shut down,
    its pending jobs cancelled."""
    if processi > 1 and multiprocessing.current_process().daemon:
        logger.warning("Processo demone: la stampa si impagina in un solo processo.")
        processi = 1
    if processi <= 1:
        yield InProcesso()
        return
    pool = ProcessPoolExecutor(
        max_workers=processi,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_avvia,
        initargs=(settings.SETTINGS_MODULE,),
    )
    try:
        yield pool
    except BrokenProcessPool as exc:
        logger.exception("Un processo di impaginazione si è interrotto")
        raise ProcessoInterrotto(INTERROTTO) from exc
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
