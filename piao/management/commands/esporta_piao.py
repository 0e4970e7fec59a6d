"""python manage.py esporta_piao --comune chiavari --anno 2019 -o piao.pdf [--formato pdf|json|csv] [--piano ID]"""

import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from objectives.piano_anno import piano_per_comando
from peg.models import Comune
from piao import documento, formati


class Command(BaseCommand):
    help = (
        "Esporta la sezione 2 del PIAO (2.1 Valore pubblico, 2.2 Performance) di un anno, "
        "o il Piano della performance / PDO per gli enti con meno di 50 dipendenti."
    )

    def add_arguments(self, parser):
        parser.add_argument("--comune", required=True, help="slug del comune")
        parser.add_argument("--anno", required=True, type=int)
        parser.add_argument(
            "--piano", type=int, help="id del piano, se più piani contengono l'anno"
        )
        parser.add_argument(
            "--formato",
            choices=sorted(formati.FORMATI),
            help="pdf, json o csv (predefinito: dall'estensione del file, altrimenti pdf)",
        )
        parser.add_argument("-o", "--output", required=True, help="file da scrivere")

    def handle(self, *args, **opts):
        comune = Comune.objects.filter(slug=opts["comune"]).first()
        if comune is None:
            raise CommandError(f"Comune «{opts['comune']}» sconosciuto.", returncode=2)
        # One rule for every year-based command: several piani cover the year → --piano.
        piano = piano_per_comando(comune, {opts["anno"]}, opts.get("piano"))
        destinazione = Path(opts["output"])
        formato = opts.get("formato") or _dall_estensione(destinazione)
        doc = documento.costruisci(piano, opts["anno"])
        _scrivi(formati.scrivi(doc, formato), destinazione)
        self.stdout.write(
            f"Scritto «{doc.titolo}» ({formato.upper()}, {doc.n_schede} schede"
            f"{f', {doc.esclusi} non approvate escluse' if doc.esclusi else ''}) "
            f"in {destinazione}."
        )


def _dall_estensione(destinazione: Path) -> str:
    estensione = destinazione.suffix.lower().lstrip(".")
    return estensione if estensione in formati.FORMATI else "pdf"


def _scrivi(contenuto: bytes, destinazione: Path) -> None:
    """Into a temporary file beside ``destinazione``, renamed when whole."""
    temporaneo = None
    try:
        with tempfile.NamedTemporaryFile(
            dir=destinazione.parent, prefix=".piao-", delete=False
        ) as file:
            temporaneo = Path(file.name)
            file.write(contenuto)
        os.replace(temporaneo, destinazione)
    except OSError as exc:
        if temporaneo is not None:
            temporaneo.unlink(missing_ok=True)
        raise CommandError(
            f"Non riesco a scrivere «{destinazione}»: {exc.strerror or exc}.", returncode=2
        ) from exc
