"""What every e-mail of the product shares: links that open from the mailbox, and the
way out through the task queue.

Every e-mail goes through ``invia``: it only queues a task (``spedisci``), in the
caller's transaction, so an SMTP server that is down or slow never turns a user's
action into an error and an action rolled back sends nothing. The worker sends; the
messages the server refused or could not take are queued again, ``POSTA_ATTESA_MINUTI``
later and then twice as long each time, up to ``POSTA_TENTATIVI`` attempts in all; after
the last one the failure is written in the log (recipients and subject, not the text).
A message that cannot be composed (a bad header) fails in ``invia``, for the caller; one
that still fails in the worker for a reason other than the server is logged the same way
and dropped, without stopping the others of the batch.
"""

import logging
import smtplib
from collections.abc import Iterable
from contextlib import suppress
from datetime import timedelta

from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

# What a mail server (or the network on the way to it) raises when it cannot take a message.
ERRORI_INVIO = (smtplib.SMTPException, OSError)


def link(nome: str, *args) -> str:
    """The address of a page, starting from ``SITE_URL`` (the site as users reach it)."""
    return settings.SITE_URL.rstrip("/") + reverse(nome, args=args)


def invia(messaggi: Iterable[mail.EmailMessage]) -> None:
    """Queue the messages (built as usual, not sent): one task for all of them.
    Subjects are made from data (a scheda's codice, a comune's name) that an import may
    bring with a line break: written on one line. Then each message is composed here, so
    a bad header (an address that cannot be written) raises at once in the caller's
    transaction (``BadHeaderError``, a ``ValueError``) and nothing is queued."""
    messaggi = list(messaggi)
    for m in messaggi:
        m.subject = " ".join(str(m.subject).split())
        m.message()
    dati = [_dati(m) for m in messaggi]
    if dati:
        spedisci.enqueue(dati)


@task()
def spedisci(messaggi: list[dict], tentativo: int = 1) -> int:
    """Send the queued messages through one connection; queue again those that failed.
    Returns how many went out."""
    falliti = _manda(messaggi)
    if falliti:
        _riprova(falliti, tentativo)
    return len(messaggi) - len(falliti)


def attesa(tentativo: int) -> timedelta:
    """How long after attempt ``tentativo`` failed the next one starts."""
    return timedelta(minutes=settings.POSTA_ATTESA_MINUTI * 2 ** (tentativo - 1))


# -- inside ---------------------------------------------------------------------------

_CAMPI = ("subject", "body", "from_email", "to", "cc", "bcc", "reply_to")


def _dati(messaggio: mail.EmailMessage) -> dict:
    """The message as JSON, for the task's arguments (no attachments: the product
    sends none)."""
    if messaggio.attachments:
        raise ValueError("Le e-mail in coda non portano allegati.")
    dati = {campo: getattr(messaggio, campo) for campo in _CAMPI}
    dati["headers"] = dict(messaggio.extra_headers)
    dati["alternatives"] = [list(a) for a in getattr(messaggio, "alternatives", [])]
    return dati


def _messaggio(dati: dict, connessione) -> mail.EmailMultiAlternatives:
    return mail.EmailMultiAlternatives(
        **{campo: dati[campo] for campo in _CAMPI},
        headers=dati["headers"],
        alternatives=[tuple(a) for a in dati["alternatives"]],
        connection=connessione,
    )


def _manda(messaggi: list[dict]) -> list[dict]:
    """Send each message through one connection; returns the ones that failed. After a
    failure the connection is opened again for the next message; a server that cannot
    be reached at all fails the rest at once (no wait of EMAIL_TIMEOUT per message)."""
    connessione = mail.get_connection()
    falliti: list[dict] = []
    aperta = False
    for n, dati in enumerate(messaggi):
        if not aperta:
            try:
                connessione.open()
            except ERRORI_INVIO as exc:
                logger.warning("Server di posta non raggiungibile: %s", exc)
                falliti += messaggi[n:]
                break
            aperta = True
        try:
            connessione.send_messages([_messaggio(dati, connessione)])
        except ERRORI_INVIO as exc:
            logger.warning("E-mail a %s non inviata: %s", ", ".join(dati["to"]), exc)
            falliti.append(dati)
            aperta = False
            with suppress(*ERRORI_INVIO):
                connessione.close()
        except Exception as exc:  # one bad message must not stop the batch
            # Not the server's fault (a bad header, an address that cannot be written):
            # trying again would fail the same way. Logged without the text.
            logger.error(
                "E-mail a %s «%s» scartata, non si può comporre: %s",
                ", ".join(map(str, dati.get("to") or [])),
                dati.get("subject"),
                type(exc).__name__,
            )
    with suppress(*ERRORI_INVIO):
        connessione.close()
    return falliti


def _riprova(falliti: list[dict], tentativo: int) -> None:
    elenco = "; ".join(f"{', '.join(d['to'])} «{d['subject']}»" for d in falliti)
    if tentativo >= settings.POSTA_TENTATIVI or not spedisci.get_backend().supports_defer:
        logger.error("E-mail non inviate dopo %d tentativi: %s", tentativo, elenco)
        return
    quando = timezone.now() + attesa(tentativo)
    spedisci.using(run_after=quando).enqueue(falliti, tentativo + 1)
    logger.warning(
        "E-mail non inviate (tentativo %d di %d), di nuovo alle %s: %s",
        tentativo,
        settings.POSTA_TENTATIVI,
        timezone.localtime(quando).strftime("%H:%M"),
        elenco,
    )
