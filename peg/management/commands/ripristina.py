"""``manage.py ripristina ARCHIVIO [--yes]``: put back an archive of ``manage.py backup``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from peg import backup


class Command(BaseCommand):
    help = (
        "Sostituisce il database e i file (loghi, allegati, stampe) con quelli di un archivio "
        "di «manage.py backup». Fermare prima il server e il worker; dopo, eseguire "
        "«manage.py migrate»."
    )

    def add_arguments(self, parser):
        parser.add_argument("archivio", help="Il file .tar.gz scritto da «manage.py backup».")
        parser.add_argument(
            "--yes", action="store_true", help="Non chiedere conferma (per gli script)."
        )

    def handle(self, *args, archivio, yes, **options):
        try:
            letto = backup.leggi(Path(archivio))
        except backup.ErroreBackup as exc:
            raise CommandError(str(exc)) from exc
        cartelle = ", ".join(str(c) for c in backup.cartelle().values())
        self.stdout.write(
            f"Ripristino di {letto.percorso} ({letto.descrizione}).\n"
            f"Tutti i dati attuali del database e delle cartelle {cartelle} saranno "
            "sostituiti da quelli dell'archivio: ciò che è stato fatto dopo il backup va perso."
        )
        if not yes and not _conferma():
            raise CommandError("Ripristino annullato: nulla è stato cambiato.")
        try:
            backup.ripristina(letto)
        except backup.ErroreBackup as exc:
            raise CommandError(f"{exc}\nIl database non è stato cambiato.") from exc
        self.stdout.write(
            self.style.SUCCESS("Ripristino completato.")
            + " Ora eseguire «python manage.py migrate» (porta il database alla versione "
            "installata, se l'archivio viene da una precedente), poi riavviare server e worker."
        )


def _conferma() -> bool:
    try:
        risposta = input("Procedere? Scrivere «si» per confermare: ")
    except EOFError:  # no terminal (a script without --yes)
        return False
    return risposta.strip().lower() in {"si", "sì"}
