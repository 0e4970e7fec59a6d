"""python manage.py esporta_excel --comune chiavari --anno 2019 [--settore VI] -o piano.xlsx"""

import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from objectives.models import Obiettivo
from objectives.piano_anno import piano_per_comando
from peg.models import Comune, Settore
from peg.parametri import intero
from reporting import excel


class Command(BaseCommand):
    help = "Esporta in Excel le schede di un anno (o di un settore) del piano del comune."

    def add_arguments(self, parser):
        parser.add_argument("--comune", required=True, help="slug del comune")
        parser.add_argument("--anno", required=True, type=int)
        parser.add_argument("--settore", help="denominazione, codice o id del settore")
        parser.add_argument(
            "--piano", type=int, help="id del piano, se più piani contengono l'anno"
        )
        parser.add_argument("-o", "--output", required=True, help="file .xlsx da scrivere")

    def handle(self, *args, **opts):
        comune = Comune.objects.filter(slug=opts["comune"]).first()
        if comune is None:
            raise CommandError(f"Comune «{opts['comune']}» sconosciuto.", returncode=2)
        piano = piano_per_comando(comune, {opts["anno"]}, opts.get("piano"))
        settore = None
        if opts.get("settore"):
            testo = opts["settore"].strip()
            filtro = Q(nome__iexact=testo) | Q(codice__iexact=testo)
            if intero(testo) is not None:
                filtro |= Q(pk=intero(testo))
            trovati = list(Settore.objects.filter(filtro, comune=comune))
            if len(trovati) != 1:
                motivo = "sconosciuto" if not trovati else "ambiguo"
                raise CommandError(f"Settore «{testo}» {motivo} nel {comune}.", returncode=2)
            settore = trovati[0]
        obiettivi = excel.obiettivi_da_esportare(
            Obiettivo.objects.all(), piano, opts["anno"], settore
        )
        scrivi(obiettivi, Path(opts["output"]))
        self.stdout.write(f"Esportate {obiettivi.count()} schede in {opts['output']}.")


def scrivi(obiettivi, destinazione: Path) -> None:
    """The workbook streamed into a temporary file beside ``destinazione``, renamed when
    whole: an error leaves no half-written file."""
    temporaneo = None
    try:
        with tempfile.NamedTemporaryFile(
            dir=destinazione.parent, prefix=".esporta-", suffix=".xlsx", delete=False
        ) as file:
            temporaneo = Path(file.name)
            excel.scrivi(obiettivi, file)
        os.replace(temporaneo, destinazione)
    except BaseException as exc:
        if temporaneo is not None:
            temporaneo.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            motivo = exc.strerror or exc
            raise CommandError(
                f"Non riesco a scrivere «{destinazione}»: {motivo}.", returncode=2
            ) from exc
        raise
