"""manage.py backup / ripristina: a round trip of the database and the files, on the
engine the suite runs on (SQLite, or PostgreSQL when DATABASE_URL says so), and the
refusals: another engine, a newer release, no confirmation."""

import io
import json
import shutil
import tarfile

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from peg.models import Comune
from tests.factories import ComuneFactory

# The restore replaces the whole database: no test transaction around it
# (serialized_rollback: the rows of the data migrations are back for the next test).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _client_postgresql():
    if connection.vendor == "postgresql" and not shutil.which("pg_dump"):
        pytest.skip("pg_dump non installato")


@pytest.fixture
def cartelle(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "var" / "media"
    settings.ALLEGATI_ROOT = tmp_path / "var" / "allegati"
    settings.STAMPE_ROOT = tmp_path / "var" / "stampe"
    (settings.MEDIA_ROOT / "loghi").mkdir(parents=True)
    (settings.MEDIA_ROOT / "loghi" / "stemma.png").write_bytes(b"\x89PNG logo")
    (settings.ALLEGATI_ROOT / "chiavari" / "2019").mkdir(parents=True)
    (settings.ALLEGATI_ROOT / "chiavari" / "2019" / "verbale.pdf").write_bytes(b"%PDF allegato")
    settings.STAMPE_ROOT.mkdir()
    (settings.STAMPE_ROOT / "piano.pdf").write_bytes(b"%PDF stampa")
    return settings


def _backup(destinazione) -> str:
    out = io.StringIO()
    call_command("backup", "-o", str(destinazione), stdout=out)
    return out.getvalue()


def _ripristina(archivio, *opzioni) -> str:
    out = io.StringIO()
    call_command("ripristina", str(archivio), *opzioni, stdout=out)
    return out.getvalue()


def _file(settings) -> dict:
    return {
        str(p.relative_to(radice.parent)): p.read_bytes()
        for radice in (settings.MEDIA_ROOT, settings.ALLEGATI_ROOT, settings.STAMPE_ROOT)
        for p in sorted(radice.rglob("*"))
        if p.is_file()
    }


def test_round_trip_database_and_files(cartelle, tmp_path):
    ComuneFactory(nome="Chiavari", slug="chiavari")
    prima_db = list(Comune.objects.order_by("slug").values_list("slug", "nome"))
    prima_file = _file(cartelle)

    out = _backup(tmp_path)
    (archivio,) = tmp_path.glob("peg-backup-*.tar.gz")
    assert f"Backup scritto in {archivio}" in out
    with tarfile.open(archivio) as tar:
        nomi = set(tar.getnames())
        manifesto = json.load(tar.extractfile("manifesto.json"))
    assert {"file/media/loghi/stemma.png", "file/allegati/chiavari/2019/verbale.pdf"} <= nomi
    assert "file/stampe/piano.pdf" in nomi
    assert manifesto["motore"] == connection.vendor and manifesto["versione"]
    assert "0001_initial" in manifesto["migrazioni"]["peg"] and manifesto["creato_il"]

    # Life goes on after the backup: data and files change.
    Comune.objects.filter(slug="chiavari").update(nome="Cambiato")
    ComuneFactory(nome="Nuovo", slug="nuovo")
    (cartelle.MEDIA_ROOT / "loghi" / "stemma.png").unlink()
    (cartelle.ALLEGATI_ROOT / "dopo.pdf").write_bytes(b"arrivato dopo")

    out = _ripristina(archivio, "--yes")
    assert "Ripristino completato" in out and "manage.py migrate" in out
    assert list(Comune.objects.order_by("slug").values_list("slug", "nome")) == prima_db
    assert _file(cartelle) == prima_file
    # The restored database is whole: migrate finds nothing to do.
    migrate = io.StringIO()
    call_command("migrate", "--check", stdout=migrate)


def test_restore_then_migrate_into_a_newer_release(cartelle, tmp_path):
    """The tables a newer release made after the backup go; ``migrate`` makes them again."""
    _backup(tmp_path / "copia.tar.gz")
    with connection.cursor() as cursore:
        cursore.execute("CREATE TABLE peg_tabella_nuova (id integer PRIMARY KEY)")
    _ripristina(tmp_path / "copia.tar.gz", "--yes")
    assert "peg_tabella_nuova" not in connection.introspection.table_names()
    call_command("migrate", "--check", stdout=io.StringIO())


def test_output_file_name_and_missing_folder(cartelle, tmp_path):
    _backup(tmp_path / "copia.tar.gz")
    assert (tmp_path / "copia.tar.gz").is_file()
    with pytest.raises(CommandError, match="La cartella .* non esiste"):
        _backup(tmp_path / "manca" / "copia.tar.gz")


def test_restore_asks_and_a_no_changes_nothing(cartelle, tmp_path, monkeypatch):
    ComuneFactory(slug="primo")
    _backup(tmp_path / "copia.tar.gz")
    ComuneFactory(slug="secondo")
    monkeypatch.setattr("builtins.input", lambda domanda: "no")
    with pytest.raises(CommandError, match="Ripristino annullato: nulla è stato cambiato"):
        _ripristina(tmp_path / "copia.tar.gz")
    assert Comune.objects.filter(slug="secondo").exists()
    monkeypatch.setattr("builtins.input", lambda domanda: "sì")
    _ripristina(tmp_path / "copia.tar.gz")
    assert not Comune.objects.filter(slug="secondo").exists()


def _falso(tmp_path, **manifesto) -> str:
    percorso = tmp_path / "falso.tar.gz"
    dati = json.dumps({"formato": 1, "motore": connection.vendor, "migrazioni": {}, **manifesto})
    with tarfile.open(percorso, "w:gz") as tar:
        info = tarfile.TarInfo("manifesto.json")
        info.size = len(dati.encode())
        tar.addfile(info, io.BytesIO(dati.encode()))
    return percorso


def test_an_archive_of_the_other_engine_is_refused(cartelle, tmp_path):
    altro = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    archivio = _falso(tmp_path, motore=altro, versione="0.1.0")
    with pytest.raises(CommandError, match="L'archivio è di un database .*si ripristina solo"):
        _ripristina(archivio, "--yes")


def test_an_archive_of_a_newer_release_is_refused(cartelle, tmp_path):
    archivio = _falso(tmp_path, versione="9.0", migrazioni={"peg": ["9999_futura"]})
    with pytest.raises(CommandError, match="versione più recente .*peg.9999_futura"):
        _ripristina(archivio, "--yes")


def test_an_archive_without_its_database_or_damaged_is_refused(cartelle, tmp_path):
    with pytest.raises(CommandError, match="nell'archivio manca il database"):
        _ripristina(_falso(tmp_path, versione="0.1.0"), "--yes")
    _backup(tmp_path / "copia.tar.gz")
    dati = (tmp_path / "copia.tar.gz").read_bytes()
    (tmp_path / "tronca.tar.gz").write_bytes(dati[: len(dati) // 2])
    ComuneFactory(slug="resta")
    with pytest.raises(CommandError, match="non è un archivio .* leggibile"):
        _ripristina(tmp_path / "tronca.tar.gz", "--yes")
    assert Comune.objects.filter(slug="resta").exists()


def test_not_an_archive(cartelle, tmp_path):
    (tmp_path / "x.tar.gz").write_bytes(b"non un archivio")
    with pytest.raises(CommandError, match="non è un archivio"):
        _ripristina(tmp_path / "x.tar.gz", "--yes")
    with pytest.raises(CommandError, match="non esiste"):
        _ripristina(tmp_path / "manca.tar.gz", "--yes")


def test_restored_folders_keep_the_mode_of_those_they_replace(cartelle, tmp_path):
    """A restored folder was made by mkdtemp (0700): the application's user could no longer
    read logos and allegati. It takes the old folder's mode (and owner, when root)."""
    for cartella in (cartelle.MEDIA_ROOT, cartelle.ALLEGATI_ROOT, cartelle.STAMPE_ROOT):
        cartella.chmod(0o750)
    _backup(tmp_path / "copia.tar.gz")
    _ripristina(tmp_path / "copia.tar.gz", "--yes")
    for cartella in (cartelle.MEDIA_ROOT, cartelle.ALLEGATI_ROOT, cartelle.STAMPE_ROOT):
        assert cartella.stat().st_mode & 0o7777 == 0o750, cartella


def test_a_refused_member_leaves_nothing_half_unpacked(cartelle, tmp_path):
    """A link out of the folders (refused by tarfile's data filter) stops the restore
    before the database, with no half-unpacked copies left beside the folders."""
    _backup(tmp_path / "copia.tar.gz")
    cattivo = tmp_path / "cattivo.tar.gz"
    with tarfile.open(tmp_path / "copia.tar.gz") as sorgente, tarfile.open(cattivo, "w:gz") as tar:
        for membro in sorgente.getmembers():
            tar.addfile(membro, sorgente.extractfile(membro) if membro.isfile() else None)
        link = tarfile.TarInfo("file/stampe/fuori")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        tar.addfile(link)
    ComuneFactory(slug="resta")
    with pytest.raises(CommandError, match="danneggiato"):
        _ripristina(cattivo, "--yes")
    assert Comune.objects.filter(slug="resta").exists()
    assert not list(cartelle.MEDIA_ROOT.parent.glob(".*.ripristino.*"))
