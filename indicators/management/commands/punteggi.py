from django.core.management.base import BaseCommand, CommandError

from indicators.caricamento import carica_punteggi
from indicators.engine.scoring import FINALE, INTERMEDIO
from objectives.piano_anno import piano_per_comando
from peg.models import Comune


class Command(BaseCommand):
    help = "Stampa i punteggi di ente, settori e obiettivi di un comune per un anno."

    def add_arguments(self, parser):
        parser.add_argument("--comune", required=True, help="Slug del comune, es. chiavari.")
        parser.add_argument("--anno", required=True, type=int)
        parser.add_argument(
            "--intermedio", action="store_true", help="Punteggi della rilevazione intermedia."
        )
        parser.add_argument("--mancanti", action="store_true", help="Elenca i valori non rilevati.")
        parser.add_argument(
            "--piano",
            dest="piano_id",
            type=int,
            help="Id del piano, se più piani comprendono l'anno.",
        )

    def handle(self, *args, comune, anno, intermedio, mancanti, piano_id, **options):
        ente = Comune.objects.filter(slug=comune).first()
        if ente is None:
            raise CommandError(f"Comune sconosciuto: {comune}.")
        # The one rule of objectives.piano_anno: several piani with the year → --piano.
        piano = piano_per_comando(ente, [anno], piano_id)
        momento = INTERMEDIO if intermedio else FINALE
        punteggi = carica_punteggi(piano, anno, momento)
        self.stdout.write(f"{ente} · {piano.titolo} · anno {anno} · valori {momento}")
        righe = [("ENTE", "", str(ente), punteggi.ente)]
        for settore, esito in punteggi.settori.items():
            righe.append(("SETTORE", settore.codice, settore.nome, esito))
            for obiettivo, esito_obiettivo in punteggi.per_settore[settore]:
                righe.append(
                    ("obiettivo", obiettivo.codice, obiettivo.denominazione, esito_obiettivo)
                )
        self.stdout.write(f"{'livello':<10} {'codice':<22} {'denominazione':<60} punteggio")
        for livello, codice, nome, esito in righe:
            self.stdout.write(
                f"{livello:<10} {codice[:22]:<22} {nome[:60]:<60} {esito.testo_pieno}"
            )
        if mancanti and punteggi.ente.mancanti:
            self.stdout.write("Non rilevati:")
            for voce in punteggi.ente.mancanti:
                self.stdout.write(f"  {voce}")
        self.stdout.write("")
