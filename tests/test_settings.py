"""Settings read from the environment fail loudly on bad values."""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _setup(tmp_path, **env):
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment.update(
        {"DJANGO_SETTINGS_MODULE": "peg.settings", "PEG_VAR_DIR": str(tmp_path), **env}
    )
    code = "import django; django.setup(); from django.conf import settings; print(settings.DATABASES['default']['ENGINE'], settings.DEBUG)"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def test_defaults_need_no_configuration(tmp_path):
    result = _setup(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "False"]
    assert (tmp_path / "secret_key").exists()


def test_database_url_selects_postgresql(tmp_path):
    result = _setup(tmp_path, DATABASE_URL="postgres://u:p@localhost:5432/peg")
    assert result.stdout.split()[0] == "django.db.backends.postgresql"


@pytest.mark.parametrize(
    "env, message",
    [
        ({"DEBUG": "forse"}, "DEBUG='forse': valore non valido"),
        ({"DATABASE_URL": "mongo://x"}, "DATABASE_URL non valido"),
        ({"SALUTE_CODA_MINUTI": "0"}, "SALUTE_CODA_MINUTI, POSTA_TENTATIVI e POSTA_ATTESA"),
        ({"POSTA_TENTATIVI": "dieci"}, "POSTA_TENTATIVI='dieci': serve un numero intero"),
    ],
)
def test_bad_values_stop_start_up_with_a_message(tmp_path, env, message):
    result = _setup(tmp_path, **env)
    assert result.returncode == 1  # an uncaught ImproperlyConfigured
    assert message in result.stderr


def _chiavi_in_parallelo(monkeypatch, tmp_path, n=8) -> list:
    """``_secret_key()`` called by n starts at once on an empty var directory, the key
    slow to generate (the others look while the first is still writing it)."""
    from peg import settings as impostazioni

    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setattr(impostazioni, "VAR_DIR", tmp_path)
    genera = impostazioni.secrets.token_urlsafe

    def lenta(nbytes):
        time.sleep(0.2)
        return genera(nbytes)

    monkeypatch.setattr(impostazioni.secrets, "token_urlsafe", lenta)
    barriera = threading.Barrier(n)
    esiti: list = [None] * n

    def avvio(i):
        barriera.wait()
        try:
            esiti[i] = impostazioni._secret_key()
        except Exception as errore:
            esiti[i] = errore

    threads = [threading.Thread(target=avvio, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return esiti


def test_starts_at_the_same_time_agree_on_one_key(tmp_path, monkeypatch):
    """Before: the first start created the file empty and wrote it after; the others
    read it in between and got an empty key."""
    chiavi = _chiavi_in_parallelo(monkeypatch, tmp_path)
    assert all(isinstance(c, str) and len(c) > 40 for c in chiavi), chiavi
    assert len(set(chiavi)) == 1
    file = tmp_path / "secret_key"
    assert file.read_text().strip() == chiavi[0]
    assert file.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["secret_key"]  # no leftovers


def test_an_empty_key_file_stops_start_up_with_a_message(tmp_path):
    (tmp_path / "secret_key").write_text("")
    result = _setup(tmp_path)
    assert result.returncode == 1
    assert "secret_key è vuoto" in result.stderr


def test_sqlite_is_set_for_a_web_server(tmp_path):
    """WAL, a busy timeout and IMMEDIATE transactions (tests/test_concorrenza.py shows
    why): the settings of the file database ``make run`` uses."""
    code = (
        "import django; django.setup(); from django.db import connection; "
        "c = connection.cursor(); "
        "print(c.execute('PRAGMA journal_mode').fetchone()[0], "
        "c.execute('PRAGMA busy_timeout').fetchone()[0], "
        "c.execute('PRAGMA synchronous').fetchone()[0], "
        "connection.transaction_mode)"
    )
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment.update({"DJANGO_SETTINGS_MODULE": "peg.settings", "PEG_VAR_DIR": str(tmp_path)})
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    # synchronous 1 = NORMAL
    assert result.stdout.split() == ["wal", "30000", "1", "IMMEDIATE"]


@pytest.mark.parametrize(
    "env, atteso",
    [({}, ["60", "True"]), ({"DB_CONN_MAX_AGE": "0"}, ["0", "False"])],
)
def test_connections_are_kept_between_requests_and_checked(tmp_path, env, atteso):
    """Persistent connections on SQLite too (no connect and PRAGMAs per request),
    checked before reuse; DB_CONN_MAX_AGE=0 goes back to one per request."""
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "d = settings.DATABASES['default']; print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    )
    environment = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DB_CONN_MAX_AGE")
    }
    environment.update(
        {"DJANGO_SETTINGS_MODULE": "peg.settings", "PEG_VAR_DIR": str(tmp_path), **env}
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == atteso
