"""The whole-piano book laid out by several processes (issue 14, item 4): the same text as
the books printed before (``tests/libri_attesi/``, captured with one process before the
change, print date fixed), the same with two processes, compressed content, an Italian
error when a process dies, and the background job and the command on two processes."""

import datetime
import io
import os
import subprocess
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from pypdf import PdfReader

from peg.models import Piano
from reporting import libri, processi, tasks
from reporting.models import Stampa
from tests import fedelta
from tests.lavoratore import esegui_db_worker
from tests.test_pdf import con_indice

ATTESI = Path(__file__).resolve().parent / "libri_attesi"
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def pdftotext(pdf: bytes) -> str:
    """pdftotext in reading order, as the captured books."""
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


@pytest.fixture(autouse=True)
def data_fissa(monkeypatch):
    """The print date of the captured books."""
    monkeypatch.setattr(timezone, "localdate", lambda *a: datetime.date(2020, 1, 15))


@pytest.fixture
def processi_usati(monkeypatch):
    """Every book here goes to the processes asked, however short; records how many."""
    monkeypatch.setattr(libri, "MINIMO_SCHEDE_PER_PROCESSO", 1)
    usati = []
    esecutore = libri.esecutore

    def spia(n):
        usati.append(n)
        return esecutore(n)

    monkeypatch.setattr(libri, "esecutore", spia)
    return usati


def _piano(comune, anno):
    return (
        Piano.objects.filter(comune=comune, anno_inizio__lte=anno, anno_fine__gte=anno)
        .order_by("-anno_inizio", "id")
        .first()
    )


@pytest.fixture
def generato(monkeypatch):
    """A genera_dati piano of 3 settori × 4 schede in parts of 3, with cover, table of
    contents and scores: 7 parts."""
    monkeypatch.setattr(libri, "SCHEDE_PER_PARTE", 3)
    call_command(
        "genera_dati",
        *("--comune", "libri", "--settori", "3", "--obiettivi", "4"),
        *("--indicatori", "3", "--fasi", "2", "--sostituisci"),
        stdout=io.StringIO(),
    )
    return con_indice(Piano.objects.get(comune__slug="libri"))


@pytest.mark.django_db
@pytest.mark.parametrize("nome", list(fedelta.DOCUMENTI))
def test_i_libri_dei_demo_come_prima(nome, demo):
    _, slug, anni, opzioni = fedelta.DOCUMENTI[nome]
    comune = demo(slug)
    for anno in anni:
        pdf = libri.pdf_piano(_piano(comune, anno), anno, rendicontazione=bool(opzioni) or None)
        assert pdftotext(pdf) == (ATTESI / f"{nome}-{anno}.txt").read_text(), anno


@pytest.mark.django_db
def test_due_processi_stesso_libro_di_uno(demo, generato, processi_usati):
    uno = libri.pdf_piano(generato, 2019, processi=1)
    avanzamenti = []
    due = libri.pdf_piano(generato, 2019, processi=2, avanzamento=lambda *a: avanzamenti.append(a))
    assert processi_usati == [1, 2]
    assert pdftotext(due) == pdftotext(uno) == (ATTESI / "generato-2019.txt").read_text()
    assert len(PdfReader(io.BytesIO(due)).pages) == len(PdfReader(io.BytesIO(uno)).pages) == 30
    # Progress as parts complete, in any order, up to the end once written.
    assert avanzamenti[-1] == (12, 12) and len(avanzamenti) >= 2
    assert [f for f, _ in avanzamenti] == sorted(f for f, _ in avanzamenti)

    # A demo book (one settore) in parts of 3 schede: the same text as captured in one.
    piano = con_indice(_piano(demo("chiavari"), 2019))
    uno, due = libri.pdf_piano(piano, 2019, processi=1), libri.pdf_piano(piano, 2019, processi=2)
    assert processi_usati == [1, 2, 1, 2]
    assert pdftotext(due) == pdftotext(uno) == (ATTESI / "chiavari-indice-2019.txt").read_text()
    assert len(PdfReader(io.BytesIO(due)).pages) == len(PdfReader(io.BytesIO(uno)).pages)


@pytest.mark.django_db
def test_contenuto_delle_pagine_compresso(generato):
    """pypdf writes merged page content uncompressed (five times the size): every page of
    the numbered book has its content compressed."""
    reader = PdfReader(io.BytesIO(libri.pdf_piano(generato, 2019, processi=1)))
    for numero, pagina in enumerate(reader.pages, 1):
        contenuti = pagina["/Contents"].get_object()
        flussi = contenuti if isinstance(contenuti, list) else [contenuti]
        for flusso in flussi:
            assert flusso.get_object().get("/Filter") == "/FlateDecode", numero


def muori(html, file):
    """A layout process killed (e.g. by the kernel, out of memory)."""
    os._exit(9)


@pytest.mark.django_db
def test_un_processo_che_muore_errore_italiano(generato, processi_usati, monkeypatch):
    monkeypatch.setattr(libri, "impagina_in_file", muori)
    with pytest.raises(processi.ProcessoInterrotto) as errore:
        libri.pdf_piano(generato, 2019, processi=2)
    assert "processo di impaginazione si è interrotto" in str(errore.value)
    assert "PEG_PROCESSI_STAMPA" in str(errore.value)


@pytest.mark.django_db
def test_stampa_interrotta_da_un_processo_che_muore(
    generato, processi_usati, monkeypatch, settings, stampe_root
):
    settings.PROCESSI_STAMPA = 2
    monkeypatch.setattr(libri, "impagina_in_file", muori)
    stampa = Stampa.objects.create(piano=generato, anno=2019)
    assert tasks.stampa_piano.call(stampa.pk) == Stampa.Stato.ERRORE
    stampa.refresh_from_db()
    assert stampa.errore.startswith(
        "La stampa non è riuscita: un processo di impaginazione si è interrotto"
    )
    assert not list(stampe_root.rglob("*.pdf*"))  # nothing half-written left behind


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_db_worker_impagina_con_due_processi(generato, processi_usati, settings, stampe_root):
    """The real book through the task queue: a pool of processes inside db_worker."""
    settings.TASKS = DATABASE
    settings.PROCESSI_STAMPA = 2
    stampa = Stampa.objects.create(piano=generato, anno=2019)
    tasks.stampa_piano.enqueue(stampa.pk)
    esegui_db_worker()
    stampa.refresh_from_db()
    assert stampa.stato == Stampa.Stato.PRONTA, stampa.errore
    assert processi_usati == [2]
    assert (stampa.fatti, stampa.totale) == (12, 12)
    assert pdftotext(stampa.percorso.read_bytes()) == (ATTESI / "generato-2019.txt").read_text()


@pytest.mark.django_db
def test_comando_con_processi(generato, processi_usati, tmp_path):
    uscita = tmp_path / "piano.pdf"
    stdout = io.StringIO()
    call_command(
        "esporta_pdf", "--comune", "libri", "--anno", "2019", "--processi", "2",
        "-o", str(uscita), stdout=stdout,
    )  # fmt: skip
    assert processi_usati == [2] and "Scritto" in stdout.getvalue()
    assert pdftotext(uscita.read_bytes()) == (ATTESI / "generato-2019.txt").read_text()
    with pytest.raises(CommandError, match="almeno 1"):
        call_command(
            "esporta_pdf", "--comune", "libri", "--anno", "2019", "--processi", "0",
            "-o", str(uscita), stdout=io.StringIO(),
        )  # fmt: skip


def test_processi_dalle_impostazioni(settings):
    settings.PROCESSI_STAMPA = 3
    assert processi.numero() == 3 and processi.numero(1) == 1
    assert libri._processi(None, parti=7, schede=12) == 1  # too short for the processes
    assert libri._processi(None, parti=2, schede=400) == 2  # no more than the parts
    assert libri._processi(None, parti=30, schede=400) == 3
