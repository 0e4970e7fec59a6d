from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from objectives.demo_accounts import crea_campagne_demo, crea_utenti_demo
from objectives.demo_loader import (
    DEMO_DIR,
    DEMO_SLUGS,
    DemoDataError,
    carica_file,
    demo_caricata,
)
from objectives.models import Obiettivo
from peg.models import Comune


class Command(BaseCommand):
    help = "Carica i quattro piani reali di esempio (Chiavari, Soresina, Seregno, Cinisello Balsamo) e gli utenti demo."

    def add_arguments(self, parser):
        parser.add_argument(
            "slug", nargs="*", help=f"Comuni da caricare (default: {', '.join(DEMO_SLUGS)})."
        )
        parser.add_argument(
            "--se-vuoto",
            action="store_true",
            help="Non fa nulla se il database contiene già un comune.",
        )
        parser.add_argument(
            "--sostituisci", action="store_true", help="Ricarica i comuni demo già presenti."
        )

    # All or nothing: a demo half-loaded would be skipped by the next --se-vuoto for good.
    @transaction.atomic
    def handle(self, *args, slug, se_vuoto, sostituisci, **options):
        if se_vuoto and Comune.objects.exists():
            self.stdout.write("Il database contiene già dei dati: dati demo non caricati.")
            return
        slugs = slug or list(DEMO_SLUGS)
        for name in slugs:
            path = DEMO_DIR / f"{name}.json"
            if not path.exists():
                raise CommandError(f"Comune demo sconosciuto: {name} (manca {path.name}).")
            try:
                comune = carica_file(path, sostituisci=sostituisci)
            except DemoDataError as exc:
                raise CommandError(str(exc)) from exc
            if comune is None:
                self.stdout.write(
                    f"{name}: già presente, lasciato com'è (--sostituisci per ricaricarlo)."
                )
            else:
                n = Obiettivo.objects.filter(piano__comune=comune).count()
                self.stdout.write(self.style.SUCCESS(f"{comune}: caricato ({n} schede obiettivo)."))
        utenti = crea_utenti_demo(slugs)
        self.stdout.write(f"Utenti demo (password «demo»): {', '.join(utenti)}.")
        if crea_campagne_demo(slugs):
            self.stdout.write(
                "Campagne di rilevazione finali 2019 (chiuse) di Seregno e Cinisello."
            )
        for _, messaggio in demo_caricata.send(sender=Comune, slugs=slugs):
            if messaggio:
                self.stdout.write(messaggio)
