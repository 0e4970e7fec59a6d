import io

import pytest
from django.core.management import call_command

from objectives.demo_loader import DEMO_DIR, carica_file

from .utenti import ente  # noqa: F401 (the shared scenario of users and roles)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Real hashers cost ~0.3 s a user by design; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Tests render templates without running collectstatic first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def demo(db):
    """Load demo comuni on demand: ``demo("chiavari")`` returns the Comune."""

    def load(*slugs):
        comuni = [carica_file(DEMO_DIR / f"{slug}.json") for slug in slugs]
        return comuni[0] if len(comuni) == 1 else comuni

    return load


@pytest.fixture
def demo_all(db):
    call_command("carica_demo", stdout=io.StringIO())


@pytest.fixture
def archivio(settings, tmp_path):
    """ALLEGATI_ROOT and MEDIA_ROOT in tmp_path (the storage reads the setting at each use):
    what ``AllegatoFactory`` and uploads write stays out of the var directory."""
    settings.ALLEGATI_ROOT = tmp_path / "allegati"
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.ALLEGATI_ROOT


@pytest.fixture
def stampe_root(settings, tmp_path):
    """STAMPE_ROOT and MEDIA_ROOT in tmp_path: where ``StampaFactory(pronta=True)`` and the
    background task write the books."""
    settings.STAMPE_ROOT = tmp_path / "stampe"
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.STAMPE_ROOT
