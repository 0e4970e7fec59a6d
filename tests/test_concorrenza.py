"""Many users at once on the embedded default (SQLite, ``make run``): no «database is
locked», no 500, and where two saves collide the version check picks one winner.

A real server (``manage.py runserver``, threaded as ``make run``) on a file database,
a copy of the migrated test database with the ``ente`` scenario: an in-memory test
database is shared in one process and never meets SQLite's file locks. 20 threads log
in at once (sessions, last_login), then save the same scheda at once (one 302, the
others 409), then upload an allegato each at once (every one saved).
"""

import http.cookiejar
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from valutazione.models import Allegato

from .html_form import campi
from .utenti import crea_ente

ROOT = Path(__file__).resolve().parent.parent
N = 20

pytestmark = [
    # serialized_rollback: its flush at the end leaves the content types to the next
    # transactional test's restore (test_stampe's db_worker test), not re-created twice.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="SQLite: the PostgreSQL suite runs it with the SQLite suite",
    ),
]


class Utente:
    """A browser: its own cookies, no redirects followed (the status is the point)."""

    def __init__(self, base: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NessunRedirect()
        )

    def richiesta(self, url, dati=None, tipo=None) -> tuple[int, str]:
        headers = {"Referer": self.base + url}
        if tipo:
            headers["Content-Type"] = tipo
        elif dati is not None:
            dati = urllib.parse.urlencode(dati, doseq=True).encode()
        req = urllib.request.Request(self.base + url, data=dati, headers=headers)
        try:
            with self.opener.open(req, timeout=120) as risposta:
                return risposta.status, risposta.read().decode()
        except urllib.error.HTTPError as errore:
            return errore.code, errore.read().decode(errors="replace")

    def csrf(self) -> str:
        return next(c.value for c in self.cookies if c.name == "csrftoken")


class _NessunRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _multipart(campi_form: dict, nome_file: str, contenuto: bytes) -> tuple[bytes, str]:
    confine = uuid.uuid4().hex
    parti = []
    for nome, valore in campi_form.items():
        parti.append(
            f'--{confine}\r\nContent-Disposition: form-data; name="{nome}"\r\n\r\n{valore}\r\n'.encode()
        )
    parti.append(
        f'--{confine}\r\nContent-Disposition: form-data; name="file"; filename="{nome_file}"\r\n'
        f"Content-Type: application/pdf\r\n\r\n".encode()
        + contenuto
        + b"\r\n"
    )
    parti.append(f"--{confine}--\r\n".encode())
    return b"".join(parti), f"multipart/form-data; boundary={confine}"


def _in_parallelo(funzione, n=N) -> list:
    """``funzione(i, barriera)`` in n threads; every result (or the exception)."""
    barriera = threading.Barrier(n, timeout=120)
    esiti: list = [None] * n

    def esegui(i):
        try:
            esiti[i] = funzione(i, barriera)
        except Exception as errore:  # reported by the assertions, with the others
            esiti[i] = errore

    threads = [threading.Thread(target=esegui, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(180)
    return esiti


def _porta_libera() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    """The database copied into a file, the server on it; stopped at the end."""
    ente = crea_ente()
    bozza = ente.scheda("bozza", "con_indicatori")
    aperta = ente.scheda("in_monitoraggio", "con_indicatori")
    connection.ensure_connection()
    import sqlite3

    copia = sqlite3.connect(tmp_path / "peg.sqlite3")
    connection.connection.backup(copia)
    copia.close()
    porta = _porta_libera()
    ambiente = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    ambiente.update(
        DJANGO_SETTINGS_MODULE="tests.impostazioni_concorrenza",
        PEG_VAR_DIR=str(tmp_path),
        ALLEGATI_ROOT=str(tmp_path / "allegati"),
        DEBUG="0",
        DB_CONN_MAX_AGE="0",
        PYTHONUNBUFFERED="1",
    )
    log = open(tmp_path / "server.log", "w")  # noqa: SIM115 - closed below
    processo = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{porta}", "--noreload"],
        cwd=ROOT,
        env=ambiente,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{porta}"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(base + reverse("login"), timeout=5).close()
                break
            except OSError:
                if processo.poll() is not None:
                    raise RuntimeError((tmp_path / "server.log").read_text()) from None
                time.sleep(0.1)
        yield base, ente, bozza, aperta, tmp_path
    finally:
        processo.terminate()
        processo.wait(30)
        log.close()


def _accesso(base, username, barriera) -> tuple[Utente, int]:
    utente = Utente(base)
    utente.richiesta(reverse("login"))
    barriera.wait()
    stato, _ = utente.richiesta(
        reverse("login"),
        {"username": username, "password": "demo", "csrfmiddlewaretoken": utente.csrf()},
    )
    return utente, stato


def _errori_del_server(tmp_path) -> list[str]:
    log = (tmp_path / "server.log").read_text()
    return [riga for riga in log.splitlines() if "locked" in riga or "Traceback" in riga]


def test_venti_utenti_insieme_nessun_errore_un_solo_vincitore(server):
    base, ente, bozza, aperta, tmp_path = server
    slug = ente.comune.slug
    utenti = [ente.segreteria.username, ente.responsabile_a.username]

    # 1. 20 logins at once: sessions and last_login written together.
    accessi = _in_parallelo(lambda i, b: _accesso(base, utenti[i % 2], b))
    assert [a[1] if isinstance(a, tuple) else a for a in accessi] == [302] * N, _errori_del_server(
        tmp_path
    )

    # 2. The same scheda saved 20 times at once from the form read before: one wins.
    modifica = reverse("modifica_obiettivo", kwargs={"comune": slug, "obiettivo_id": bozza.pk})

    def salva(i, barriera):
        utente = accessi[i][0]
        stato, pagina = utente.richiesta(modifica)
        assert stato == 200, stato
        dati = campi(pagina, "scheda-form")
        dati["denominazione"] = f"Denominazione scritta da {i}"
        barriera.wait()
        return utente.richiesta(modifica, dati)[0]

    salvataggi = _in_parallelo(salva)
    assert sorted(map(str, salvataggi)) == ["302"] + ["409"] * (N - 1), (
        salvataggi,
        _errori_del_server(tmp_path),
    )

    # 3. 20 allegati uploaded at once to a scheda in monitoraggio: every one kept.
    url_allegati = reverse("allegati", kwargs={"comune": slug, "obiettivo_id": aperta.pk})

    def carica(i, barriera):
        utente = accessi[i][0]
        corpo, tipo = _multipart(
            {
                "csrfmiddlewaretoken": utente.csrf(),
                "tipo": Allegato.Tipo.choices[0][0],
                "descrizione": f"Verbale {i}",
                "riferimento": "obiettivo",
            },
            f"verbale-{i}.pdf",
            b"%PDF-1.4\n%%EOF\n",
        )
        barriera.wait()
        return utente.richiesta(url_allegati, corpo, tipo)[0]

    caricamenti = _in_parallelo(carica)
    assert caricamenti == [302] * N, (caricamenti, _errori_del_server(tmp_path))
    assert not _errori_del_server(tmp_path)
