"""Backup and restore of a whole installation: the database and the files (loghi in
MEDIA_ROOT, allegati, stampe) in one ``.tar.gz`` with a manifest.

PostgreSQL is dumped with ``pg_dump -Fc`` and restored with ``pg_restore --clean
--if-exists --no-owner``, in one transaction; SQLite is copied with the online backup
API (``sqlite3.Connection.backup``), safe while the server writes. The manifest says
which release made the archive, the migrations applied, the engine and the date: an
archive is restored only into the same engine, and only by a release that knows all its
migrations (an older archive into a newer release: restore, then ``migrate``).

Used by ``manage.py backup`` and ``manage.py ripristina``; errors speak Italian
(``ErroreBackup``).
"""

from __future__ import annotations

import importlib.metadata
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMATO = 1
MANIFESTO = "manifesto.json"
DATABASE = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
NOMI_MOTORI = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}


class ErroreBackup(Exception):
    """A backup or restore that cannot be done; the message says why, in Italian."""


def cartelle() -> dict[str, Path]:
    """The directories of files the archive carries, by their name in it."""
    return {
        "media": Path(settings.MEDIA_ROOT),  # the comuni's loghi
        "allegati": Path(settings.ALLEGATI_ROOT),
        "stampe": Path(settings.STAMPE_ROOT),
    }


def versione_prodotto() -> str:
    try:
        return importlib.metadata.version("peg-comuni")
    except importlib.metadata.PackageNotFoundError:
        return "sconosciuta"


def motore() -> str:
    if connection.vendor not in DATABASE:
        raise ErroreBackup(f"Database {connection.vendor} non gestito: solo PostgreSQL e SQLite.")
    return connection.vendor


# -- backup ---------------------------------------------------------------------------


def crea(destinazione: Path) -> tuple[Path, dict]:
    """Write the archive; ``destinazione`` an existing directory (a dated file is made
    in it) or a file name. Returns the file and its manifest."""
    adesso = timezone.localtime()
    if destinazione.is_dir():
        destinazione = destinazione / f"peg-backup-{adesso:%Y%m%d-%H%M%S}.tar.gz"
    if not destinazione.parent.is_dir():
        raise ErroreBackup(f"La cartella {destinazione.parent} non esiste.")
    tipo = motore()
    manifesto = {
        "formato": FORMATO,
        "prodotto": "peg-comuni",
        "versione": versione_prodotto(),
        "creato_il": adesso.isoformat(timespec="seconds"),
        "motore": tipo,
        "migrazioni": _migrazioni_applicate(),
        "cartelle": sorted(cartelle()),
    }
    fd, temporaneo = tempfile.mkstemp(dir=destinazione.parent, suffix=".part")
    os.close(fd)
    try:
        with tempfile.TemporaryDirectory() as lavoro:
            copia = Path(lavoro) / DATABASE[tipo]
            (_copia_postgresql if tipo == "postgresql" else _copia_sqlite)(copia)
            with tarfile.open(temporaneo, "w:gz") as archivio:
                _aggiungi_testo(archivio, MANIFESTO, json.dumps(manifesto, indent=2))
                archivio.add(copia, DATABASE[tipo])
                for nome, cartella in cartelle().items():
                    if cartella.is_dir():
                        archivio.add(cartella, f"file/{nome}")
        os.replace(temporaneo, destinazione)
    except BaseException:
        Path(temporaneo).unlink(missing_ok=True)
        raise
    return destinazione, manifesto


def _migrazioni_applicate() -> dict[str, list[str]]:
    applicate: dict[str, list[str]] = {}
    for app, nome in sorted(MigrationRecorder(connection).applied_migrations()):
        applicate.setdefault(app, []).append(nome)
    return applicate


def _aggiungi_testo(archivio: tarfile.TarFile, nome: str, testo: str) -> None:
    dati = testo.encode()
    info = tarfile.TarInfo(nome)
    info.size, info.mtime, info.mode = len(dati), int(timezone.now().timestamp()), 0o600
    archivio.addfile(info, io.BytesIO(dati))


def _copia_sqlite(copia: Path) -> None:
    """The online backup API: a consistent copy even while others write."""
    connection.ensure_connection()
    with sqlite3.connect(copia) as destinazione:
        connection.connection.backup(destinazione)
        destinazione.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    destinazione.close()


def _copia_postgresql(copia: Path) -> None:
    _esegui(["pg_dump", "-Fc", "--no-owner", "--file", str(copia)], "pg_dump")


# -- restore --------------------------------------------------------------------------


@dataclass
class Archivio:
    percorso: Path
    manifesto: dict

    @property
    def descrizione(self) -> str:
        m = self.manifesto
        return (
            f"archivio del {m.get('creato_il', '?')}, versione {m.get('versione', '?')}, "
            f"database {NOMI_MOTORI.get(m.get('motore'), m.get('motore'))}"
        )


def leggi(percorso: Path) -> Archivio:
    """Open the archive and check it can be restored here; nothing is changed."""
    try:
        with tarfile.open(percorso, "r:gz") as archivio:
            manifesto = json.load(archivio.extractfile(MANIFESTO))
            nomi = set(archivio.getnames())
    except FileNotFoundError as exc:
        raise ErroreBackup(f"Il file {percorso} non esiste.") from exc
    except (tarfile.TarError, EOFError, KeyError, OSError, ValueError, TypeError) as exc:
        raise ErroreBackup(
            f"{percorso} non è un archivio di «manage.py backup» leggibile ({exc})."
        ) from exc
    letto = Archivio(percorso, manifesto)
    tipo = manifesto.get("motore")
    if manifesto.get("formato") != FORMATO or tipo not in DATABASE:
        raise ErroreBackup(f"{percorso}: formato dell'archivio non riconosciuto.")
    if tipo != motore():
        raise ErroreBackup(
            f"L'archivio è di un database {NOMI_MOTORI[tipo]}, questa installazione usa "
            f"{NOMI_MOTORI[motore()]}: si ripristina solo sullo stesso tipo di database "
            f"(controllare DATABASE_URL)."
        )
    sconosciute = _migrazioni_sconosciute(manifesto.get("migrazioni", {}))
    if sconosciute:
        raise ErroreBackup(
            f"L'archivio viene da una versione più recente ({manifesto.get('versione')}): "
            f"questa non conosce le migrazioni {', '.join(sconosciute[:5])}"
            + (f" e altre {len(sconosciute) - 5}" if len(sconosciute) > 5 else "")
            + ". Aggiornare prima l'applicazione."
        )
    if DATABASE[tipo] not in nomi:
        raise ErroreBackup(f"{percorso}: nell'archivio manca il database ({DATABASE[tipo]}).")
    return letto


def _migrazioni_sconosciute(migrazioni: dict) -> list[str]:
    note = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return [
        f"{app}.{nome}"
        for app, nomi in migrazioni.items()
        for nome in nomi
        if (app, nome) not in note
    ]


def ripristina(archivio: Archivio) -> None:
    """Replace the database and the directories with the archive's. The files are
    unpacked beside their directories first (a damaged archive stops here, nothing
    changed); the database is restored in one transaction; then each directory is
    swapped for its copy."""
    try:
        _ripristina(archivio)
    except (tarfile.TarError, EOFError, zlib.error, KeyError) as exc:
        # KeyError: a hard link to a member the archive does not have.
        raise ErroreBackup(f"{archivio.percorso}: archivio danneggiato ({exc}).") from exc


def _ripristina(archivio: Archivio) -> None:
    with tempfile.TemporaryDirectory() as lavoro, tarfile.open(archivio.percorso, "r:gz") as tar:
        tipo = archivio.manifesto["motore"]
        tar.extract(DATABASE[tipo], lavoro, filter="data")
        nuove = _estrai_cartelle(tar)
        try:
            copia = Path(lavoro) / DATABASE[tipo]
            (_ripristina_postgresql if tipo == "postgresql" else _ripristina_sqlite)(copia)
        except BaseException:
            for nuova in nuove.values():
                shutil.rmtree(nuova, ignore_errors=True)
            raise
    for nome, nuova in nuove.items():
        _scambia(cartelle()[nome], nuova)


def _estrai_cartelle(tar: tarfile.TarFile) -> dict[str, Path]:
    """Each directory of the archive unpacked into a new directory beside its target
    (same disk: the swap is a rename). A directory absent from the archive is emptied."""
    nuove = {}
    try:
        for nome, cartella in cartelle().items():
            cartella.parent.mkdir(parents=True, exist_ok=True)
            nuova = Path(
                tempfile.mkdtemp(dir=cartella.parent, prefix=f".{cartella.name}.ripristino.")
            )
            nuove[nome] = nuova
            prefisso = f"file/{nome}/"
            for membro in tar.getmembers():
                if membro.name.startswith(prefisso):
                    membro = membro.replace(name=membro.name.removeprefix(prefisso), deep=False)
                    tar.extract(membro, nuova, filter="data")
    except BaseException:
        # A refused or damaged member, a full disk: no half-unpacked copies left behind.
        for nuova in nuove.values():
            shutil.rmtree(nuova, ignore_errors=True)
        raise
    return nuove


def _scambia(cartella: Path, nuova: Path) -> None:
    """The restored folder takes the place of the old one, with the old one's mode and
    owner: made by mkdtemp it would be 0700 and owned by whoever runs ``ripristina``
    (often root), unreadable by the application's user."""
    if cartella.exists():
        stato = cartella.stat()
        os.chmod(nuova, stato.st_mode & 0o7777)
        if hasattr(os, "chown") and os.geteuid() == 0:
            os.chown(nuova, stato.st_uid, stato.st_gid)
    else:
        os.chmod(nuova, 0o755)
    vecchia = cartella.with_name(f".{cartella.name}.vecchia")
    shutil.rmtree(vecchia, ignore_errors=True)
    if cartella.exists():
        os.replace(cartella, vecchia)
    os.replace(nuova, cartella)
    shutil.rmtree(vecchia, ignore_errors=True)


def _ripristina_sqlite(copia: Path) -> None:
    """The backup API the other way: every page of the live database replaced at once
    (tables a newer release added go too: ``migrate`` makes them again)."""
    connection.ensure_connection()
    with sqlite3.connect(copia) as sorgente:
        sorgente.backup(connection.connection)
    sorgente.close()


def _ripristina_postgresql(copia: Path) -> None:
    """pg_restore writes the SQL (--clean --if-exists --no-owner); psql runs it in one
    transaction after dropping the tables the archive does not have (made by a newer
    release: ``migrate`` makes them again): all of it or nothing."""
    copione = _esegui(
        ["pg_restore", "--clean", "--if-exists", "--no-owner", "--file", "-", str(copia)],
        "pg_restore",
        database=False,
    )
    elenco = _esegui(
        ["pg_restore", "--list", "--file", "-", str(copia)], "pg_restore", database=False
    )
    nell_archivio = {
        riga.split()[-2]
        for riga in elenco.decode().splitlines()
        if not riga.startswith(";") and " TABLE public " in riga
    }
    with connection.cursor() as cursore:
        attuali = connection.introspection.table_names(cursore)
    extra = [t for t in attuali if t not in nell_archivio]
    prima = "".join(
        f"DROP TABLE IF EXISTS {connection.ops.quote_name(t)} CASCADE;\n" for t in extra
    )
    connection.close()
    _esegui(
        ["psql", "--quiet", "--single-transaction", "-v", "ON_ERROR_STOP=1", "--no-psqlrc"],
        "psql",
        entrata=prima.encode() + copione,
    )


def _esegui(
    comando: list[str], nome: str, *, database: bool = True, entrata: bytes | None = None
) -> bytes:
    """Run a PostgreSQL client with the connection of DATABASES["default"]."""
    if shutil.which(comando[0]) is None:
        raise ErroreBackup(
            f"{nome} non trovato: installare il client di PostgreSQL (apt-get install "
            "postgresql-client) della stessa versione del server o più recente."
        )
    impostazioni = connection.settings_dict
    ambiente = {**os.environ}
    argomenti = list(comando)
    if database:
        for opzione, chiave in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
            if impostazioni.get(chiave):
                argomenti += [opzione, str(impostazioni[chiave])]
        argomenti += ["--dbname", impostazioni["NAME"]]
        if impostazioni.get("PASSWORD"):
            ambiente["PGPASSWORD"] = impostazioni["PASSWORD"]
        if sslmode := impostazioni.get("OPTIONS", {}).get("sslmode"):
            ambiente["PGSSLMODE"] = sslmode
    esito = subprocess.run(argomenti, input=entrata, capture_output=True, env=ambiente, check=False)
    if esito.returncode != 0:
        dettaglio = esito.stderr.decode(errors="replace").strip()[-2000:]
        raise ErroreBackup(f"{nome} non riuscito (codice {esito.returncode}): {dettaglio}")
    return esito.stdout
