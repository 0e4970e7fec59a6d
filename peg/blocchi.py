"""Locked logins of a comune's users and their unlocking by the segreteria.

The lock is django-axes' (its AccessAttempt rows, see peg.sicurezza); who may see and
unlock whom is peg.access (``utenti_del_comune``); each unlock is a ``Sblocco`` row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from axes.models import AccessAttempt
from django.conf import settings
from django.db import transaction
from django.db.models import Max, QuerySet, Sum
from django.utils import timezone

from .models import Sblocco


@dataclass(frozen=True)
class Tentativi:
    """A user's failed logins still counting: locked once they reach the limit."""

    utente: object
    tentativi: int
    ultimo: datetime
    fino: datetime

    @property
    def bloccato(self) -> bool:
        return self.tentativi >= settings.AXES_FAILURE_LIMIT


def _in_corso() -> QuerySet:
    return AccessAttempt.objects.filter(expiration__expires_at__gt=timezone.now())


def tentativi_falliti(utenti: QuerySet) -> list[Tentativi]:
    """The users of ``utenti`` with failed logins still counting, locked ones first."""
    per_nome = {u.username: u for u in utenti}
    righe = (
        _in_corso()
        .filter(username__in=list(per_nome))
        .values("username")
        .annotate(
            tentativi=Sum("failures_since_start"),
            ultimo=Max("attempt_time"),
            fino=Max("expiration__expires_at"),
        )
    )
    elenco = [
        Tentativi(
            per_nome[r["username"]],
            r["tentativi"],
            timezone.localtime(r["ultimo"]),
            timezone.localtime(r["fino"]),
        )
        for r in righe
    ]
    return sorted(elenco, key=lambda t: (not t.bloccato, t.utente.username))


def sblocca(utente, comune, da) -> Sblocco | None:
    """Lift ``utente``'s lock (every failure recorded for his username), recorded as done
    by ``da`` for ``comune``; None, and nothing recorded, if he was not locked."""
    with transaction.atomic():
        contati = (
            _in_corso().filter(username=utente.username).aggregate(n=Sum("failures_since_start"))
        )["n"] or 0
        if contati < settings.AXES_FAILURE_LIMIT:
            return None
        AccessAttempt.objects.filter(username=utente.username).delete()
        return Sblocco.objects.create(
            comune=comune, utente=utente, sbloccato_da=da, tentativi=contati
        )


def azzera_tentativi(utente) -> None:
    """Forget the user's failed logins (he proved who he is: a new password by e-mail)."""
    AccessAttempt.objects.filter(username=utente.get_username()).delete()
