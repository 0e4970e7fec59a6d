"""Daily e-mails of the campagne di rilevazione (run it from cron or a systemd timer)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from objectives.campagne import avvisi_del_giorno


def _data(testo: str) -> date:
    try:
        return date.fromisoformat(testo)
    except ValueError as exc:
        raise CommandError(f"--oggi {testo!r}: serve una data AAAA-MM-GG.") from exc


class Command(BaseCommand):
    help = (
        "Apre le campagne di rilevazione arrivate alla data di apertura (schede approvate in "
        "monitoraggio, e-mail ai responsabili) e invia una volta l'avviso di scadenza "
        "CAMPAGNE_PREAVVISO_GIORNI giorni prima. Si può rieseguire: nulla parte due volte."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--oggi", type=_data, help="Data da considerare come oggi (AAAA-MM-GG), per prove."
        )

    def handle(self, *args, oggi=None, **options):
        oggi = oggi or timezone.localdate()
        fatti = avvisi_del_giorno(oggi)
        for campagna, tipo, invio in fatti:
            self.stdout.write(
                f"{campagna.piano.comune.nome} · {campagna}: avviso di {tipo}: {invio.riepilogo()}"
            )
        if not fatti:
            self.stdout.write(f"{oggi:%d/%m/%Y}: nessun avviso da inviare.")
