"""python manage.py prepara_anno --comune <slug> --da <anno> [--escludi CODICE ...]
[--piano ID] [--piano-destinazione ID] [--dry-run]

Creates the schede of the next year from those of ``--da`` (docs/anno.md) and prints
what was created. Exit 0 when done (also when there was nothing to create), 2 with the
reason in Italian otherwise.
"""

from django.core.management.base import BaseCommand, CommandError

from objectives.anno_successivo import PreparazioneImpossibile, prepara, prepara_anno
from objectives.piano_anno import PianoAmbiguo, SceltaPiano
from peg.models import Comune
from peg.parametri import intero


class Command(BaseCommand):
    help = "Prepara le schede dell'anno successivo da quelle di un anno del piano del comune."

    def add_arguments(self, parser):
        parser.add_argument("--comune", required=True, help="slug del comune")
        # Read as text: «--da abc» gets the command's own message, not argparse's.
        parser.add_argument("--da", required=True, help="anno delle schede da riprendere")
        parser.add_argument(
            "--escludi",
            nargs="+",
            default=[],
            metavar="CODICE",
            help="codici delle schede dell'anno da non copiare",
        )
        parser.add_argument("--piano", help="id del piano dell'anno, se più piani lo comprendono")
        parser.add_argument(
            "--piano-destinazione",
            help="id del piano dell'anno successivo, se più piani lo comprendono",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="mostra cosa farebbe senza salvare nulla"
        )

    def handle(self, *args, **opts):
        comune = Comune.objects.filter(slug=opts["comune"]).first()
        if comune is None:
            raise CommandError(f"Comune «{opts['comune']}» sconosciuto.", returncode=2)
        da_anno = _intero(opts["da"], "--da", "un anno, es. 2019")
        scelta = {
            "piano_id": _intero(opts["piano"], "--piano", "l'id di un piano"),
            "destinazione_id": _intero(
                opts["piano_destinazione"], "--piano-destinazione", "l'id di un piano"
            ),
        }
        try:
            prep = prepara(comune, da_anno, **scelta)
            escludi = _da_escludere(prep, opts["escludi"])
            if opts["dry_run"]:
                return self._anteprima(prep, escludi)
            esito = prepara_anno(comune, da_anno, escludi=escludi, utente=None, **scelta)
        except PianoAmbiguo as exc:
            opzione = "--piano" if exc.anni == [da_anno] else "--piano-destinazione"
            raise CommandError(f"{exc} Indica quale con {opzione} ID.", returncode=2) from exc
        except (SceltaPiano, PreparazioneImpossibile) as exc:
            raise CommandError(str(exc), returncode=2) from exc
        self._esito(esito)

    def _anteprima(self, prep, escludi):
        self.stdout.write(
            f"Verifica (nulla salvato): {prep.comune}, dal {prep.da_anno} al {prep.anno}, "
            f"nel piano «{prep.titolo_destinazione}»"
            + (" (da creare)." if prep.destinazione is None else ".")
        )
        for voce in prep.voci:
            nota = " — esclusa" if voce.origine.pk in escludi else ""
            self.stdout.write(f"  {voce.origine.codice}: {voce.spiegazione}{nota}")

    def _esito(self, esito):
        prep = esito.preparazione
        if esito.piano_creato:
            self.stdout.write(
                f"Creato il piano «{esito.piano.titolo}» (id {esito.piano.pk}) in bozza."
            )
        n = len(esito.create)
        dove = f" nel piano «{esito.piano.titolo}»" if esito.piano is not None else ""
        self.stdout.write(
            f"{prep.comune}: {n} {'scheda creata' if n == 1 else 'schede create'} "
            f"in bozza per il {prep.anno}{dove}."
        )
        for vecchia, nuova in esito.create:
            self.stdout.write(
                f"  + {nuova.codice} ({nuova.anno}) da {vecchia.codice} ({vecchia.anno}): "
                f"{nuova.denominazione[:70]}"
            )
        for voce in esito.escluse:
            self.stdout.write(f"  - {voce.origine.codice}: esclusa, non copiata")
        for voce in prep.restano:
            self.stdout.write(f"  = {voce.origine.codice}: {voce.spiegazione}")
        if esito.senza_storico:
            self.stdout.write(
                "Senza valore finale (nessun valore storico del "
                f"{prep.da_anno}): " + "; ".join(esito.senza_storico)
            )


def _intero(testo, opzione: str, atteso: str) -> int | None:
    if testo is None:
        return None
    valore = intero(testo)
    if valore is None or valore <= 0:
        raise CommandError(f"{opzione}: «{testo}» non è {atteso}.", returncode=2)
    return valore


def _da_escludere(prep, codici: list[str]) -> set[int]:
    """The ids of the year's schede named by ``--escludi`` (unknown codici: refused)."""
    per_codice = {v.origine.codice: v.origine.pk for v in prep.voci}
    ignoti = [c for c in codici if c.strip() not in per_codice]
    if ignoti:
        elenco = ", ".join(f"«{c}»" for c in ignoti)
        raise PreparazioneImpossibile(
            f"--escludi: nessuna scheda del {prep.da_anno} con codice {elenco} nel piano "
            f"«{prep.origine.titolo}»."
        )
    return {per_codice[c.strip()] for c in codici}
