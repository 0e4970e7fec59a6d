"""E-mail through the task queue (peg.posta): the user's action never fails because the
mail server does; the worker sends, tries again later, gives up in the log."""

import datetime
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocMemBackend
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from objectives.models import RichiestaVariazione
from peg import posta
from tests.lavoratore import esegui_db_worker

# The real db_worker closes the database connection when it is done: no test transaction
# (serialized_rollback: the rows of the data migrations are back for the next test).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
SERVER_GIU = "tests.test_posta.ServerGiu"
RIFIUTA_UNO = "tests.test_posta.RifiutaUno"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


class ServerGiu(LocMemBackend):
    """A mail server that cannot be reached: counts how many times it was tried."""

    aperture = 0

    def open(self):
        type(self).aperture += 1
        raise smtplib.SMTPConnectError(421, "servizio non disponibile")

    def send_messages(self, messages):
        self.open()


class RifiutaUno(LocMemBackend):
    """A server that refuses one address and takes the others."""

    def send_messages(self, messages):
        if any("rifiutato@" in a for m in messages for a in m.to):
            raise smtplib.SMTPRecipientsRefused({"rifiutato@example.org": (550, "no")})
        return super().send_messages(messages)


@pytest.fixture
def coda(settings):
    settings.TASKS = DATABASE
    settings.POSTA_TENTATIVI = 3
    settings.POSTA_ATTESA_MINUTI = 2
    ServerGiu.aperture = 0


def _lavora():
    """What the worker does, once: every task ready to run (the real db_worker)."""
    esegui_db_worker()


def _rendi_pronti():
    """Time passes: the tasks deferred to later are due now."""
    DBTaskResult.objects.filter(status="READY").update(
        run_after=timezone.now() - datetime.timedelta(seconds=1)
    )


def _messaggio(a="rossi@example.org", oggetto="Prova"):
    return mail.EmailMessage(oggetto, "Testo della prova", to=[a])


def test_invia_only_queues_and_the_worker_sends(coda):
    posta.invia([_messaggio(), _messaggio("bianchi@example.org")])
    assert mail.outbox == []
    (lavoro,) = DBTaskResult.objects.all()
    assert lavoro.task_path == "peg.posta.spedisci" and lavoro.status == "READY"
    _lavora()
    assert [m.to for m in mail.outbox] == [["rossi@example.org"], ["bianchi@example.org"]]
    assert mail.outbox[0].subject == "Prova" and mail.outbox[0].body == "Testo della prova"
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_nothing_is_queued_when_the_action_is_rolled_back(coda):
    with pytest.raises(RuntimeError), transaction.atomic():
        posta.invia([_messaggio()])
        raise RuntimeError("l'azione fallisce dopo")
    assert not DBTaskResult.objects.exists()


def test_smtp_down_the_action_succeeds_and_the_mail_is_retried(client, ente, coda, settings):
    settings.EMAIL_BACKEND = SERVER_GIU
    scheda = ente.scheda("in_monitoraggio", "con_indicatori")
    client.force_login(ente.responsabile_a)
    url = reverse("richiedi_variazione", args=[ente.comune.slug, scheda.pk])
    corpo = {"cosa": "Valore atteso da 4 a 3", "motivazione": "Un operatore in meno"}
    risposta = client.post(url, corpo, follow=True)
    assert risposta.status_code == 200
    assert "Richiesta di variazione inviata alla segreteria" in risposta.content.decode()
    assert RichiestaVariazione.objects.count() == 1

    prima = timezone.now()
    _lavora()  # attempt 1: the server is down
    assert mail.outbox == [] and ServerGiu.aperture == 1
    (ripresa,) = DBTaskResult.objects.filter(status="READY")
    assert ripresa.args_kwargs["args"][1] == 2  # attempt 2 of 3
    attesa = ripresa.run_after - prima
    assert datetime.timedelta(minutes=2) <= attesa < datetime.timedelta(minutes=3)
    _lavora()  # not due yet: nothing happens
    assert ServerGiu.aperture == 1

    settings.EMAIL_BACKEND = LOCMEM  # the server is back
    _rendi_pronti()
    _lavora()
    assert [m.to for m in mail.outbox] == [[ente.segreteria.email]]
    assert "Valore atteso da 4 a 3" in mail.outbox[0].body
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_the_wait_doubles_and_the_last_failure_is_logged(coda, settings, caplog):
    settings.EMAIL_BACKEND = SERVER_GIU
    assert [posta.attesa(n) for n in (1, 2, 3)] == [
        datetime.timedelta(minutes=m) for m in (2, 4, 8)
    ]
    posta.invia([_messaggio(oggetto="Avviso di scadenza")])
    for _ in range(3):
        _rendi_pronti()
        _lavora()
    assert ServerGiu.aperture == 3
    assert not DBTaskResult.objects.filter(status="READY").exists()  # given up
    (finale,) = [r for r in caplog.records if r.levelname == "ERROR"]
    assert "dopo 3 tentativi" in finale.getMessage()
    assert "rossi@example.org «Avviso di scadenza»" in finale.getMessage()
    assert "Testo della prova" not in caplog.text  # the text of the e-mail stays private


def test_only_the_refused_messages_are_tried_again(coda, settings):
    settings.EMAIL_BACKEND = RIFIUTA_UNO
    posta.invia([_messaggio(), _messaggio("rifiutato@example.org"), _messaggio("verdi@x.it")])
    _lavora()
    assert [m.to for m in mail.outbox] == [["rossi@example.org"], ["verdi@x.it"]]
    (ripresa,) = DBTaskResult.objects.filter(status="READY")
    assert [m["to"] for m in ripresa.args_kwargs["args"][0]] == [["rifiutato@example.org"]]


def test_a_server_out_of_reach_is_tried_once_per_attempt_not_per_message(coda, settings):
    settings.EMAIL_BACKEND = SERVER_GIU
    posta.invia([_messaggio(f"utente{n}@example.org") for n in range(5)])
    _lavora()
    assert ServerGiu.aperture == 1
    (ripresa,) = DBTaskResult.objects.filter(status="READY")
    assert len(ripresa.args_kwargs["args"][0]) == 5


def test_password_reset_with_smtp_down_still_says_check_your_mail(client, ente, coda, settings):
    settings.EMAIL_BACKEND = SERVER_GIU
    risposta = client.post(reverse("password_reset"), {"email": ente.responsabile_a.email})
    assert risposta.status_code == 302
    (lavoro,) = DBTaskResult.objects.all()
    assert lavoro.args_kwargs["args"][0][0]["to"] == [ente.responsabile_a.email]
    settings.EMAIL_BACKEND = LOCMEM
    _lavora()
    (messaggio,) = mail.outbox
    assert "/password/nuova/" in messaggio.body


def test_with_tasks_run_at_once_a_server_down_still_fails_nothing(client, ente, settings, caplog):
    """The immediate backend (no queue, as in the other tests): the error is logged."""
    settings.EMAIL_BACKEND = SERVER_GIU
    risposta = client.post(reverse("password_reset"), {"email": ente.responsabile_a.email})
    assert risposta.status_code == 302 and mail.outbox == []
    assert "E-mail non inviate dopo 1 tentativi" in caplog.text


def test_a_message_with_a_bad_header_fails_at_once_in_the_caller(coda):
    """A newline in an address is the caller's error: it is raised by ``invia``, inside
    the caller's transaction, and nothing is queued (not a task failing later)."""
    with pytest.raises(ValueError):
        posta.invia([_messaggio(), _messaggio("rossi@example.org\nBcc: altri@example.org")])
    assert not DBTaskResult.objects.exists()


def test_a_subject_made_from_data_with_a_newline_is_sent_on_one_line(coda, settings):
    """Subjects carry a scheda's codice or a comune's name, which an import may bring with
    a line break: written on one line (never a header of its own), not an error in the
    user's action."""
    settings.EMAIL_BACKEND = LOCMEM
    posta.invia([_messaggio(oggetto="Scheda VI -\n 2\r\nBcc: altri@example.org")])
    _lavora()
    (inviato,) = mail.outbox
    assert inviato.subject == "Scheda VI - 2 Bcc: altri@example.org"
    assert inviato.bcc == [] and inviato.to == ["rossi@example.org"]


def test_one_bad_message_in_the_queue_does_not_stop_the_others(coda, settings, caplog):
    """A message that cannot be built is logged (recipients and subject, not the text)
    and dropped; the others of the batch go out and the task does not fail."""
    settings.EMAIL_BACKEND = LOCMEM
    dati = [posta._dati(_messaggio(a)) for a in ("rossi@example.org", "verdi@example.org")]
    guasto = posta._dati(_messaggio("bianchi@example.org", oggetto="Guasto\nBcc: x@y.it"))
    posta.spedisci.enqueue([dati[0], guasto, dati[1]])
    _lavora()
    assert [m.to for m in mail.outbox] == [["rossi@example.org"], ["verdi@example.org"]]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    (errore,) = [r for r in caplog.records if r.levelname == "ERROR"]
    assert "bianchi@example.org" in errore.getMessage() and "Guasto" in errore.getMessage()
    assert "Testo della prova" not in caplog.text
