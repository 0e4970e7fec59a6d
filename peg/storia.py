"""Who and why on every history row (django-simple-history).

The service that changes a scheda (``objectives.modifiche``) opens ``autore(utente,
motivo)`` around the change: every history row written inside it — by a form, an admin
inline, a bulk import or a cascade — carries that user and that reason, whether or not
there is a request (commands, background tasks). Outside it, the request's user
(``HistoryRequestMiddleware``) and the row's own ``_change_reason`` apply as usual.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from simple_history.models import HistoricalRecords

from indicators.engine.formatting import breve


@dataclass(frozen=True)
class Autore:
    utente: object | None
    motivo: str
    # The rows a history record was written for inside ``autore()``: what really changed.
    scritte: list = field(default_factory=list, compare=False)


_autore: ContextVar[Autore | None] = ContextVar("peg_storia_autore", default=None)


@contextmanager
def autore(utente, motivo: str) -> Iterator[Autore]:
    valore = Autore(utente if getattr(utente, "pk", None) else None, motivo_storico(motivo))
    token = _autore.set(valore)
    try:
        yield valore
    finally:
        _autore.reset(token)


# simple-history's history_change_reason: CharField(max_length=100). PostgreSQL refuses a
# longer text; the whole motivazione is kept by the Variazione.
MOTIVO_MAX = 100


def motivo_storico(motivo: str) -> str:
    """The reason written on history rows, within the column's 100 characters."""
    return breve(motivo, MOTIVO_MAX)


class Storia(HistoricalRecords):
    """HistoricalRecords that read who and why from ``autore()`` when it is open."""

    def get_history_user(self, instance):
        corrente = _autore.get()
        if corrente is not None and corrente.utente is not None:
            return corrente.utente
        return super().get_history_user(instance)

    def create_historical_record(self, instance, history_type, using=None):
        super().create_historical_record(instance, history_type, using)
        corrente = _autore.get()
        if corrente is not None:
            corrente.scritte.append(instance)

    def get_change_reason_for_object(self, instance, history_type, using):
        propria = super().get_change_reason_for_object(instance, history_type, using)
        corrente = _autore.get()
        motivo = propria or (corrente.motivo if corrente is not None else None)
        return motivo_storico(motivo) if motivo else motivo
