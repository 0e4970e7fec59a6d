"""Python's garbage collector, in one place: frozen after start-up, paused during bulk
work. Standard library only (imported by wsgi/asgi before anything else is ready)."""

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
# How many ``senza_raccolta`` blocks are running in this process, in any thread.
_in_corso = 0
# Whether the collector was on before the first of them (someone else may have paused it).
_era_attiva = True


def congela() -> None:
    """What start-up loaded (modules, settings, URL patterns, templates' code) lives as
    long as the process: frozen, the collector stops walking it again at every collection.
    Loaded before gunicorn forks its workers (preload_app), it also stays shared between
    them instead of being copied when the collector touches it. Objects frozen are still
    freed by reference counting when they are no longer used."""
    gc.collect()
    gc.freeze()


@contextmanager
def senza_raccolta() -> Iterator[None]:
    """The cyclic collector paused while a bulk load, a scoring or a layout allocates
    objects that all stay alive until it ends: each collection their allocations trigger
    walked all of them again, freeing nothing (a quarter of WeasyPrint's layout; 25-43%
    of loading a whole ente, growing faster than the plan).

    The collector is a process-wide switch and gunicorn runs requests in threads: a
    counter under a lock turns it off when the first block starts and back on when the
    last one ends, and only if it was on before — never left off by two blocks
    interleaving in different threads."""
    global _in_corso, _era_attiva
    with _lock:
        if _in_corso == 0:
            _era_attiva = gc.isenabled()
            gc.disable()
        _in_corso += 1
    try:
        yield
    finally:
        with _lock:
            _in_corso -= 1
            if _in_corso == 0 and _era_attiva:
                gc.enable()
