import hashlib
import io
import os
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.test import override_settings

from objectives.demo_loader import DEMO_DIR, carica_file
from peg.models import Comune

from .utenti import ente  # noqa: F401 (the shared scenario of users and roles)

# Settings that name directories tests may write into (read ``peg/settings.py``: all
# derive from PEG_VAR_DIR unless set one by one).
_CARTELLE = ("MEDIA_ROOT", "ALLEGATI_ROOT", "STAMPE_ROOT", "STATIC_ROOT")


@pytest.fixture(scope="session", autouse=True)
def _cartelle_per_worker():
    """Under pytest-xdist each worker writes in its own subdirectory (``…/allegati/gw0``):
    two workers have two databases, so the same ids and file names, and must not see,
    overwrite or delete each other's files. pytest-django already gives each worker its
    own test database; ``tmp_path`` is per worker too."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        yield
        return
    with override_settings(**{nome: Path(getattr(settings, nome)) / worker for nome in _CARTELLE}):
        yield


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Real hashers cost ~0.3 s a user by design; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _lavori_subito(settings):
    # Background tasks run at once, inside the request: e-mail (peg.posta) reaches
    # mail.outbox as it did when it was sent directly. Tests of the queue itself set
    # TASKS to the database backend (tests/test_posta.py, test_stampe.py, test_salute.py).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Tests render templates without running collectstatic first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


# -- Demo comuni, loaded once per worker ----------------------------------------------
# Loading a demo comune validates every object it saves (full_clean): 1-3 s each, and
# ~150 tests load one (half of the suite's time). So the first load of the same comuni on
# the same database content is real; the rows it added are kept and, for each later test
# that starts from exactly that content (every row of every table), inserted again as
# they were (same ids, same values) instead of being loaded again. Each copy is checked
# against its real load when taken. Per process: each xdist worker has its own.
# demo_all (the carica_demo command) and the loader's own tests always load for real.
# PEG_TEST_DEMO_CACHE=0: every load real.
_DEMO_CACHE: dict[tuple, tuple[list, list[bool]] | None] = {}


def _tabelle() -> list[type[models.Model]]:
    return apps.get_models(include_auto_created=True)


def _righe(tabelle) -> dict:
    """Every row of every table, by id: the state a load starts from."""
    return {
        modello: {r[modello._meta.pk.attname]: r for r in modello._base_manager.values()}
        for modello in tabelle
    }


def _impronta(righe: dict) -> str:
    """A digest of the rows: the same before two loads means the same start."""
    testo = repr(
        [(m._meta.label, sorted(rs.items(), key=lambda kv: str(kv[0]))) for m, rs in righe.items()]
    )
    return hashlib.sha256(testo.encode()).hexdigest()


def _confrontabili(righe: dict) -> dict:
    """The rows without the fields a save stamps with the current time (auto_now)."""
    ora = {
        modello: {
            f.attname
            for f in modello._meta.concrete_fields
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        }
        for modello in righe
    }
    return {
        modello: {pk: {k: v for k, v in r.items() if k not in ora[modello]} for pk, r in rs.items()}
        for modello, rs in righe.items()
    }


def _aggiunte(prima: dict, dopo: dict) -> list | None:
    """The rows the load added, table by table; None if it also changed or removed rows
    that were there, or added some that a later insert could not put back as they are."""
    aggiunte = []
    for modello, vecchie in prima.items():
        nuove = dopo[modello]
        if any(nuove.get(pk) != riga for pk, riga in vecchie.items()):
            return None
        righe = [riga for pk, riga in nuove.items() if pk not in vecchie]
        if not righe:
            continue
        if not isinstance(modello._meta.pk, models.AutoField | models.BigAutoField):
            return None
        if vecchie and min(nuove.keys() - vecchie.keys()) <= max(vecchie):
            return None
        aggiunte.append((modello, righe))
    return aggiunte


def _reinserisci(aggiunte: list) -> None:
    for modello, righe in aggiunte:
        modello._base_manager.bulk_create([modello(**riga) for riga in righe])
    # PostgreSQL: sequences past the ids put back (SQLite's AUTOINCREMENT follows by itself).
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [m for m, _ in aggiunte]):
            cursor.execute(sql)


def _comuni(slugs, caricati: list[bool]) -> list:
    """What carica_file returns: the Comune, or None where it was there already."""
    return [Comune.objects.get(slug=s) if c else None for s, c in zip(slugs, caricati, strict=True)]


def _carica_demo(slugs: tuple[str, ...]) -> list:
    if os.environ.get("PEG_TEST_DEMO_CACHE", "1") == "0":
        return [carica_file(DEMO_DIR / f"{slug}.json") for slug in slugs]
    tabelle = _tabelle()
    prima = _righe(tabelle)
    chiave = (slugs, _impronta(prima))
    copia = _DEMO_CACHE.get(chiave, False)
    if copia is None:  # a load that cannot be put back as rows: always real
        return [carica_file(DEMO_DIR / f"{slug}.json") for slug in slugs]
    if copia:
        aggiunte, caricati = copia
        _reinserisci(aggiunte)
        return _comuni(slugs, caricati)
    with transaction.atomic():
        with transaction.atomic():
            comuni = [carica_file(DEMO_DIR / f"{slug}.json") for slug in slugs]
            dopo = _righe(tabelle)
            aggiunte = _aggiunte(prima, dopo)
            if aggiunte is None:
                _DEMO_CACHE[chiave] = None
                return comuni
            transaction.set_rollback(True)  # undo the real load, put back the copy ...
        _reinserisci(aggiunte)
        # ... and check that the copy is the load: the same rows with the same values.
        if _confrontabili(_righe(tabelle)) != _confrontabili(dopo):
            raise AssertionError(f"demo {slugs}: le righe reinserite non sono quelle caricate")
    caricati = [c is not None for c in comuni]
    _DEMO_CACHE[chiave] = (aggiunte, caricati)
    return _comuni(slugs, caricati)


@pytest.fixture
def demo(db):
    """Load demo comuni on demand: ``demo("chiavari")`` returns the Comune."""

    def load(*slugs):
        comuni = _carica_demo(slugs)
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
