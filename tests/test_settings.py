"""Settings read from the environment fail loudly on bad values."""

import os
import subprocess
import sys
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
    ],
)
def test_bad_values_stop_start_up_with_a_message(tmp_path, env, message):
    result = _setup(tmp_path, **env)
    assert result.returncode == 1  # an uncaught ImproperlyConfigured
    assert message in result.stderr
