from datetime import date

from django.core.management.base import BaseCommand, CommandError

from indicators.engine.formatting import numero
from indicators.engine.graduation import DatiMancanti, GraduationSyntaxError, parse, to_decimal


def _data(value: str | None, option: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"{option}: «{value}» non è una data AAAA-MM-GG.", returncode=2) from exc


def _numero(value: str | None, option: str):
    try:
        return to_decimal(value)
    except ValueError as exc:
        raise CommandError(f"{option}: {exc}", returncode=2) from exc


class Command(BaseCommand):
    help = (
        "Calcola la percentuale di conseguimento da un testo di graduazione, mostrando il calcolo."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "testo", help="La graduazione come scritta nella scheda, tra virgolette."
        )
        parser.add_argument("--atteso", help="Valore atteso (0,6 o 0.6).")
        parser.add_argument(
            "--raggiunto", help="Valore raggiunto; per il ritardo, i giorni di ritardo."
        )
        parser.add_argument("--scadenza", help="Scadenza AAAA-MM-GG (regole a ritardo).")
        parser.add_argument(
            "--completato", help="Data di completamento AAAA-MM-GG (regole a ritardo)."
        )
        parser.add_argument(
            "--decrescente", action="store_true", help="Indicatore per cui più basso è meglio."
        )

    def handle(self, *args, testo, atteso, raggiunto, scadenza, completato, decrescente, **options):
        try:
            rule = parse(testo)
        except GraduationSyntaxError as exc:
            raise CommandError(f"Graduazione non leggibile: {exc}", returncode=2) from exc
        if decrescente:
            rule = rule.with_polarita("decrescente")
        try:
            spiegazione = rule.explain(
                _numero(atteso, "--atteso"),
                _numero(raggiunto, "--raggiunto"),
                deadline=_data(scadenza, "--scadenza"),
                completed_on=_data(completato, "--completato"),
            )
        except DatiMancanti as exc:
            raise CommandError(f"Dati insufficienti: {exc}", returncode=2) from exc
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        for passo in spiegazione.passi:
            self.stdout.write(passo)
        self.stdout.write(numero(spiegazione.punteggio))
