"""The real task worker, once, inside a test."""

import signal

from django.core.management import call_command


def esegui_db_worker() -> None:
    """Every task ready to run, by ``db_worker --batch``. The worker installs its own
    signal handlers: pytest's are put back afterwards."""
    gestori = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--verbosity", "0")
    finally:
        for s, gestore in gestori.items():
            signal.signal(s, gestore)
