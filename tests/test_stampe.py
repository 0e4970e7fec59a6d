"""Whole-piano PDF in the background: request, progress, download, refusals, the worker."""

import datetime
import itertools
import logging
from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from reporting import libri, tasks
from reporting.models import Stampa
from tests.factories import StampaFactory
from tests.lavoratore import esegui_db_worker

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
FINTO_PDF = b"%PDF-1.7 finto\n%%EOF\n"


@pytest.fixture
def immediate(settings, stampe_root):
    settings.TASKS = IMMEDIATE


@pytest.fixture
def finto_pdf(monkeypatch):
    """libri.scrivi_piano replaced: reports every scheda of the year, writes a tiny PDF."""
    chiamate = []

    def scrivi_piano(piano, anno, destinazione, avanzamento=None):
        totale = piano.obiettivi.filter(anno=anno).count()
        for fatti in range(1, totale + 1):
            if avanzamento:
                avanzamento(fatti, totale)
        chiamate.append((piano, anno))
        destinazione.write(FINTO_PDF)

    monkeypatch.setattr(libri, "scrivi_piano", scrivi_piano)
    return chiamate


@pytest.fixture
def ente(ente):
    """The shared scenario (tests.utenti) with three schede 2019, two of settore A (the
    responsabile's), and one 2020."""
    for n, settore in enumerate([ente.settore_a, ente.settore_a, ente.settore_b]):
        ente.scheda(settore=settore, codice=f"OB {n}")
    ente.scheda(
        settore=ente.settore_b, codice="OB 2020", anno=2020, anno_inizio=2020, anno_fine=2020
    )
    return ente


def _richiedi(client, ente, anno=2019):
    return client.post(
        reverse("richiedi_stampa", args=[ente.comune.slug, ente.piano.pk]), {"anno": anno}
    )


def _pagina(ente, stampa, nome="stampa"):
    return reverse(nome, args=[ente.comune.slug, stampa.pk])


def test_request_builds_the_pdf_and_offers_the_download(
    client, ente, immediate, finto_pdf, stampe_root, django_capture_on_commit_callbacks
):
    client.force_login(ente.segreteria)
    with django_capture_on_commit_callbacks(execute=True):
        risposta = _richiedi(client, ente)
    stampa = Stampa.objects.get()
    assert risposta.status_code == 302
    assert risposta["Location"] == _pagina(ente, stampa)
    assert (stampa.stato, stampa.fatti, stampa.totale) == (Stampa.Stato.PRONTA, 3, 3)
    assert (stampa.anno, stampa.tipo, stampa.richiesta_da) == (2019, "piano", ente.segreteria)
    assert stampa.task_id and stampa.completata_il and not stampa.errore
    assert finto_pdf == [(ente.piano, 2019)]
    # Private: under STAMPE_ROOT, nowhere near MEDIA_ROOT; no temporary file left behind.
    assert stampa.percorso.is_file()
    assert stampa.percorso.resolve().is_relative_to(stampe_root.resolve())
    assert not stampa.percorso.resolve().is_relative_to(django_settings.MEDIA_ROOT.resolve())
    assert [p.name for p in stampa.percorso.parent.iterdir()] == [stampa.percorso.name]

    pagina = client.get(_pagina(ente, stampa))
    assert "Scarica il PDF" in pagina.content.decode()
    assert 'hx-trigger="every 2s"' not in pagina.content.decode()

    scarico = client.get(_pagina(ente, stampa, "scarica_stampa"))
    assert scarico.status_code == 200
    contenuto = b"".join(scarico.streaming_content)
    assert contenuto.startswith(b"%PDF")
    assert scarico["Content-Type"] == "application/pdf"
    assert scarico["Content-Disposition"].startswith("attachment")
    assert "peg-2019-2021-2019.pdf" in scarico["Content-Disposition"]  # titolo and anno


def test_the_piano_page_offers_the_book_only_to_segreteria_and_oiv(client, ente):
    url = reverse("piano", args=[ente.comune.slug, ente.piano.pk])
    for utente, visibile in [
        (ente.segreteria, True),
        (ente.oiv, True),
        (ente.responsabile_a, False),
        (ente.lettore, False),
    ]:
        client.force_login(utente)
        html = client.get(url).content.decode()
        # The button's text is in the template itself: not escaped.
        assert ("PDF dell'intero piano" in html) is visibile
        assert (
            reverse("richiedi_stampa", args=[ente.comune.slug, ente.piano.pk]) in html
        ) is visibile


def test_real_book_from_reporting_libri(
    client, ente, immediate, django_capture_on_commit_callbacks
):
    client.force_login(ente.oiv)
    with django_capture_on_commit_callbacks(execute=True):
        _richiedi(client, ente)
    stampa = Stampa.objects.get()
    assert stampa.stato == Stampa.Stato.PRONTA, stampa.errore
    # The three schede of 2019; the last report, (3, 3), comes once the PDF is written.
    assert (stampa.fatti, stampa.totale) == (3, 3)
    contenuto = b"".join(client.get(_pagina(ente, stampa, "scarica_stampa")).streaming_content)
    assert contenuto.startswith(b"%PDF")


def test_progress_partial_polls_until_done(client, ente, stampe_root):
    stampa = Stampa.objects.create(
        piano=ente.piano, anno=2019, stato=Stampa.Stato.IN_CORSO, fatti=12, totale=80
    )
    client.force_login(ente.segreteria)
    parziale = client.get(_pagina(ente, stampa), HTTP_HX_REQUEST="true").content.decode()
    assert "12 di 80 schede" in parziale
    assert 'hx-trigger="every 2s"' in parziale and f'hx-get="{_pagina(ente, stampa)}"' in parziale
    assert "<html" not in parziale and "Scarica il PDF" not in parziale
    # The full page holds the same partial.
    assert "12 di 80 schede" in client.get(_pagina(ente, stampa)).content.decode()

    Stampa.objects.filter(pk=stampa.pk).update(stato=Stampa.Stato.IN_CODA, fatti=0, totale=0)
    assert "In coda" in client.get(_pagina(ente, stampa), HTTP_HX_REQUEST="true").content.decode()

    Stampa.objects.filter(pk=stampa.pk).update(stato=Stampa.Stato.PRONTA, fatti=80)
    finita = client.get(_pagina(ente, stampa), HTTP_HX_REQUEST="true").content.decode()
    assert "Scarica il PDF" in finita and "hx-trigger" not in finita
    # Pronta but the file is gone: the download answers 404, not a server error.
    assert client.get(_pagina(ente, stampa, "scarica_stampa")).status_code == 404


@pytest.mark.parametrize(
    "passo, scritti",
    [
        # No time passes between the schede: the first report and the last one.
        (0.0, [1, 200]),
        # 0,2 s a scheda: one report every three (0,6 s >= 0,5 s), and the last one.
        (0.2, [*range(1, 200, 3), 200]),
    ],
)
def test_progress_writes_are_throttled(ente, stampe_root, monkeypatch, passo, scritti):
    orologio = iter(1000 + passo * n for n in itertools.count())

    def scrivi_piano(piano, anno, destinazione, avanzamento=None):
        for fatti in range(1, 201):
            avanzamento(fatti, 200)
        destinazione.write(FINTO_PDF)

    monkeypatch.setattr(libri, "scrivi_piano", scrivi_piano)
    monkeypatch.setattr(tasks, "time", SimpleNamespace(monotonic=lambda: next(orologio)))
    scritture = []
    originale = tasks._aggiorna
    monkeypatch.setattr(
        tasks, "_aggiorna", lambda pk, **campi: (scritture.append(campi), originale(pk, **campi))
    )
    stampa = StampaFactory(piano=ente.piano)
    assert tasks.stampa_piano.call(stampa.pk) == Stampa.Stato.PRONTA
    avanzamenti = [c for c in scritture if "fatti" in c]
    assert avanzamenti == [{"fatti": n, "totale": 200} for n in scritti]
    stampa.refresh_from_db()
    assert (stampa.stato, stampa.fatti, stampa.totale) == (Stampa.Stato.PRONTA, 200, 200)


def test_an_italian_error_is_shown_and_an_internal_one_is_only_logged(
    client, ente, immediate, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def rotto(piano, anno, destinazione, avanzamento=None):
        raise ValueError("Il piano non ha schede per il 2019.")

    monkeypatch.setattr(libri, "scrivi_piano", rotto)
    client.force_login(ente.segreteria)
    with (
        caplog.at_level(logging.ERROR, logger="reporting.tasks"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        _richiedi(client, ente)
    stampa = Stampa.objects.get()
    assert stampa.stato == Stampa.Stato.ERRORE
    assert stampa.errore == "La stampa non è riuscita: Il piano non ha schede per il 2019."
    assert stampa.completata_il and not stampa.file
    assert "Il piano non ha schede per il 2019" in caplog.text
    pagina = client.get(_pagina(ente, stampa), HTTP_HX_REQUEST="true").content.decode()
    assert "Il piano non ha schede per il 2019" in pagina and "hx-trigger" not in pagina
    assert client.get(_pagina(ente, stampa, "scarica_stampa")).status_code == 404

    def guasto(piano, anno, destinazione, avanzamento=None):
        raise RuntimeError("weasyprint: font cache locked")

    monkeypatch.setattr(libri, "scrivi_piano", guasto)
    with django_capture_on_commit_callbacks(execute=True):
        _richiedi(client, ente)  # a finished (errore) stampa does not block a new one
    nuova = Stampa.objects.exclude(pk=stampa.pk).get()
    assert nuova.stato == Stampa.Stato.ERRORE
    assert "errore interno" in nuova.errore and "weasyprint" not in nuova.errore
    assert "font cache locked" in caplog.text


def test_refusals(client, ente, immediate, finto_pdf, django_capture_on_commit_callbacks):
    client.force_login(ente.segreteria)
    with django_capture_on_commit_callbacks(execute=True):
        _richiedi(client, ente)
    stampa = Stampa.objects.get()

    # Another comune: nothing exists there (404), neither the piano nor the stampa.
    client.force_login(ente.estraneo)
    assert _richiedi(client, ente).status_code == 404
    for nome in ("stampa", "scarica_stampa"):
        assert client.get(_pagina(ente, stampa, nome)).status_code == 404
    altrove = reverse("scarica_stampa", args=[ente.altro_comune.slug, stampa.pk])
    assert client.get(altrove).status_code == 404

    # Same comune, not segreteria/OIV: 403 with the reason.
    for utente in (ente.responsabile_a, ente.lettore):
        client.force_login(utente)
        negata = _richiedi(client, ente)
        assert negata.status_code == 403
        assert "solo la segreteria e l&#x27;OIV" in negata.content.decode()
        for nome in ("stampa", "scarica_stampa"):
            assert client.get(_pagina(ente, stampa, nome)).status_code == 403

    # Only POST, only a year of the piano.
    client.force_login(ente.segreteria)
    url = reverse("richiedi_stampa", args=[ente.comune.slug, ente.piano.pk])
    assert client.get(url).status_code == 405
    for anno in ("2018", "", "due"):
        risposta = _richiedi(client, ente, anno)
        assert risposta.status_code == 302 and risposta["Location"].endswith(
            f"/piani/{ente.piano.pk}/"
        )
    assert Stampa.objects.count() == 1
    client.logout()
    assert client.get(_pagina(ente, stampa, "scarica_stampa")).status_code == 302


def test_a_second_request_reuses_the_queued_one(
    client, ente, settings, stampe_root, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY  # enqueued, never run
    client.force_login(ente.segreteria)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        prima = _richiedi(client, ente)
    assert len(callbacks) == 1
    client.force_login(ente.oiv)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        seconda = _richiedi(client, ente)
    assert not callbacks  # nothing enqueued twice
    stampa = Stampa.objects.get()
    assert prima["Location"] == seconda["Location"] == _pagina(ente, stampa)
    assert stampa.stato == Stampa.Stato.IN_CODA and stampa.task_id
    assert stampa.richiesta_da == ente.segreteria
    # Another year is another book.
    with django_capture_on_commit_callbacks(execute=True):
        _richiedi(client, ente, 2020)
    assert Stampa.objects.count() == 2
    # The database holds the rule too.
    with pytest.raises(IntegrityError), transaction.atomic():
        Stampa.objects.create(piano=ente.piano, anno=2019, stato=Stampa.Stato.IN_CORSO)


def test_a_lost_stampa_does_not_block_the_piano_forever(
    client, ente, settings, stampe_root, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY
    persa = Stampa.objects.create(
        piano=ente.piano,
        anno=2019,
        stato=Stampa.Stato.IN_CORSO,
        richiesta_il=timezone.now() - datetime.timedelta(hours=3),
    )
    client.force_login(ente.segreteria)
    with django_capture_on_commit_callbacks(execute=True):
        _richiedi(client, ente)
    persa.refresh_from_db()
    assert persa.stato == Stampa.Stato.ERRORE and "interrotta" in persa.errore
    assert Stampa.objects.get(stato=Stampa.Stato.IN_CODA).pk != persa.pk


def test_a_stampa_is_built_once(ente, stampe_root, finto_pdf):
    stampa = Stampa.objects.create(piano=ente.piano, anno=2019, stato=Stampa.Stato.PRONTA)
    assert tasks.stampa_piano.call(stampa.pk) == Stampa.Stato.PRONTA
    assert finto_pdf == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_database_backend_queues_and_db_worker_runs_it(
    client, ente, settings, stampe_root, finto_pdf
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE
    client.force_login(ente.segreteria)
    _richiedi(client, ente)  # autocommit: on_commit runs at once
    stampa = Stampa.objects.get()
    risultato = DBTaskResult.objects.get()
    assert risultato.task_path == "reporting.tasks.stampa_piano"
    assert risultato.status == "READY"
    assert risultato.args_kwargs == {"args": [stampa.pk], "kwargs": {}}
    assert stampa.stato == Stampa.Stato.IN_CODA and stampa.task_id == str(risultato.id)

    esegui_db_worker()
    risultato.refresh_from_db()
    stampa.refresh_from_db()
    assert risultato.status == "SUCCESSFUL"
    assert stampa.stato == Stampa.Stato.PRONTA and stampa.percorso.read_bytes() == FINTO_PDF


def test_a_task_that_ended_without_updating_its_stampa_releases_it(
    client, ente, settings, stampe_root, monkeypatch, django_capture_on_commit_callbacks
):
    """The worker died, or the task failed before recording it: no two-hour wait."""
    from django_tasks.base import TaskResultStatus

    settings.TASKS = DUMMY
    bloccata = Stampa.objects.create(
        piano=ente.piano, anno=2019, stato=Stampa.Stato.IN_CORSO, task_id="t-1"
    )
    finito = SimpleNamespace(status=TaskResultStatus.FAILED)
    monkeypatch.setattr(
        tasks,
        "stampa_piano",
        SimpleNamespace(get_result=lambda task_id: finito, enqueue=tasks.stampa_piano.enqueue),
    )
    client.force_login(ente.segreteria)
    with django_capture_on_commit_callbacks(execute=True):
        _richiedi(client, ente)
    bloccata.refresh_from_db()
    assert bloccata.stato == Stampa.Stato.ERRORE and "senza esito" in bloccata.errore
    assert Stampa.objects.filter(stato=Stampa.Stato.IN_CODA).exclude(pk=bloccata.pk).exists()


def test_a_new_book_replaces_the_old_file_and_deleting_removes_it(
    ente, stampe_root, finto_pdf, django_capture_on_commit_callbacks
):
    prima = Stampa.objects.create(piano=ente.piano, anno=2019)
    tasks.stampa_piano.call(prima.pk)
    prima.refresh_from_db()
    vecchio = prima.percorso
    assert vecchio.exists()
    seconda = Stampa.objects.create(piano=ente.piano, anno=2019)
    tasks.stampa_piano.call(seconda.pk)
    seconda.refresh_from_db()
    prima.refresh_from_db()
    assert not vecchio.exists() and prima.file == "" and seconda.percorso.exists()
    nuovo = seconda.percorso
    with django_capture_on_commit_callbacks(execute=True):
        seconda.delete()
    assert not nuovo.exists()
