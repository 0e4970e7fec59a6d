"""python manage.py importa_excel --comune chiavari piano.xlsx [--dry-run]

Exit 0 when imported (or, with --dry-run, valid); exit 2 with the list of errors.
"""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from objectives.piano_anno import piano_per_comando
from peg.models import Comune
from reporting.excel_import import Errore, Importatore, anni_del_file, importa


class Command(BaseCommand):
    help = "Importa da Excel le schede nel piano del comune che comprende l'anno del file."

    def add_arguments(self, parser):
        parser.add_argument("file", help="file .xlsx")
        parser.add_argument("--comune", required=True, help="slug del comune")
        parser.add_argument(
            "--piano", type=int, help="id del piano, se più piani contengono l'anno"
        )
        parser.add_argument("--dry-run", action="store_true", help="solo verifica: non salva nulla")
        parser.add_argument(
            "--motivazione",
            default="",
            help="motivazione della variazione, per cambiare schede già approvate",
        )
        parser.add_argument("--utente", help="chi registra la variazione (nome utente)")

    def handle(self, *args, **opts):
        comune = Comune.objects.filter(slug=opts["comune"]).first()
        if comune is None:
            raise CommandError(f"Comune «{opts['comune']}» sconosciuto.", returncode=2)
        percorso = Path(opts["file"])
        if not percorso.is_file():
            raise CommandError(f"Il file {percorso} non esiste.", returncode=2)
        dati = percorso.read_bytes()
        anni = anni_del_file(dati)
        if not anni and not opts.get("piano"):
            return self._fallisci([Errore(_errore_file(dati))])
        piano = piano_per_comando(comune, anni, opts.get("piano"))
        utente = None
        if opts["utente"]:
            utente = get_user_model().objects.filter(username=opts["utente"]).first()
            if utente is None:
                raise CommandError(f"Utente «{opts['utente']}» sconosciuto.", returncode=2)
        elif opts["motivazione"]:
            raise CommandError(
                "Con --motivazione serve --utente (chi registra la variazione).", returncode=2
            )
        esito = importa(
            piano,
            dati,
            solo_verifica=opts["dry_run"],
            motivazione=opts["motivazione"],
            utente=utente,
        )
        if not esito.ok:
            return self._fallisci(esito.errori)
        verbo = "Importate" if esito.salvato else "Verifica superata (nulla salvato)"
        self.stdout.write(
            f"{verbo}: {len(esito.creati)} schede nuove, {len(esito.aggiornati)} aggiornate, "
            f"{len(esito.invariati)} invariate."
        )
        for scheda, righe in esito.cambi.items():
            self.stdout.write(f"{scheda}:")
            for riga in righe:
                self.stdout.write(f"  - {riga}")

    def _fallisci(self, errori):
        self.stderr.write(f"Il file contiene {len(errori)} errori: non è stato salvato nulla.")
        for errore in errori:
            self.stderr.write(f"- {errore}")
        sys.exit(2)


def _errore_file(dati: bytes) -> str:
    importatore = Importatore(None)
    if importatore.leggi(dati) is None and importatore.esito.errori:
        return "; ".join(str(e) for e in importatore.esito.errori)
    return "Nel foglio Obiettivi non ci sono anni leggibili: impossibile scegliere il piano."
