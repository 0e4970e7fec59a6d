"""python manage.py importa_organigramma --comune chiavari organigramma.xlsx [--dry-run]
[--senza-inviti]

Imports the organigramma as the comune's page does (peg.anagrafica.organigramma):
exit 0 when imported (or, with --dry-run, valid) with what was created, changed and
who was invited; exit 2 with the file's errors, or when the comune or the file does
not exist.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from indicators.engine.formatting import quanti
from peg.anagrafica.organigramma import importa
from peg.models import Comune

INVARIATI = "I settori e le persone che non sono nel file restano come sono."


class Command(BaseCommand):
    help = "Importa l'organigramma del comune (settori, persone, ruoli) da Excel o CSV."

    def add_arguments(self, parser):
        parser.add_argument("file", help="il modello compilato (.xlsx) o il foglio Persone (.csv)")
        parser.add_argument("--comune", required=True, help="slug del comune")
        parser.add_argument("--dry-run", action="store_true", help="solo verifica: non salva nulla")
        parser.add_argument(
            "--senza-inviti",
            action="store_true",
            help="crea gli utenti di chi riceve un ruolo senza mandare l'invito per e-mail",
        )

    def handle(self, *args, **opts):
        comune = Comune.objects.filter(slug=opts["comune"]).first()
        if comune is None:
            raise CommandError(f"Comune «{opts['comune']}» sconosciuto.", returncode=2)
        percorso = Path(opts["file"])
        if not percorso.is_file():
            raise CommandError(f"Il file {percorso} non esiste.", returncode=2)
        esito = importa(
            comune,
            percorso.read_bytes(),
            percorso.name,
            solo_verifica=opts["dry_run"],
            invita=not opts["senza_inviti"],
        )
        if not esito.ok:
            errori = esito.errori
            self.stderr.write(
                f"Il file contiene {quanti(len(errori), 'errore,errori')}: non è stato salvato nulla."
            )
            for errore in errori:
                self.stderr.write(f"- {errore}")
            sys.exit(2)
        if esito.salvato:
            self.stdout.write(f"Organigramma di {comune} importato.")
        else:
            self.stdout.write("Verifica superata (nulla salvato): l'importazione farebbe questo.")
        gruppi = (
            ("settore nuovo,settori nuovi", esito.settori_creati),
            ("settore aggiornato,settori aggiornati", esito.settori_aggiornati),
            ("persona nuova,persone nuove", esito.persone_create),
            ("persona aggiornata,persone aggiornate", esito.persone_aggiornate),
            ("cambio di ruoli,cambi di ruoli", esito.ruoli_cambiati),
            ("persona invitata,persone invitate", esito.invitati),
        )
        for forme, nomi in gruppi:
            self.stdout.write(f"{quanti(len(nomi), forme).capitalize()}" + (":" if nomi else "."))
            for nome in nomi:
                self.stdout.write(f"  - {nome}")
        if opts["senza_inviti"]:
            self.stdout.write(
                "Nessun invito inviato (--senza-inviti): la segreteria lo invia dalla pagina "
                "della persona (Organigramma › la persona › Invia l'invito)."
            )
        self.stdout.write(INVARIATI)
