import io

import pytest
from django.core.management import call_command

from objectives.demo_loader import DEMO_DIR, carica_file


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
