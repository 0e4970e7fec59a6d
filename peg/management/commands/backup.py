"""``manage.py backup [-o CARTELLA|FILE]``: database and files in one .tar.gz (peg.backup)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from peg import backup


class Command(BaseCommand):
    help = (
        "Salva in un archivio .tar.gz il database (PostgreSQL con pg_dump, SQLite con il "
        "backup in linea) e i file: loghi, allegati, stampe. Si esegue a server acceso. "
        "Si ripristina con «manage.py ripristina ARCHIVIO»."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "-o",
            "--output",
            default=".",
            help="Cartella (vi si crea peg-backup-AAAAMMGG-HHMMSS.tar.gz) o nome del file; "
            "default: la cartella corrente.",
        )

    def handle(self, *args, output, **options):
        try:
            file, manifesto = backup.crea(Path(output))
        except backup.ErroreBackup as exc:
            raise CommandError(str(exc)) from exc
        migrazioni = sum(len(nomi) for nomi in manifesto["migrazioni"].values())
        self.stdout.write(
            f"Backup scritto in {file} ({file.stat().st_size / 1_048_576:.1f} MB): database "
            f"{backup.NOMI_MOTORI[manifesto['motore']]}, versione {manifesto['versione']}, "
            f"{migrazioni} migrazioni, cartelle {', '.join(manifesto['cartelle'])}."
        )
