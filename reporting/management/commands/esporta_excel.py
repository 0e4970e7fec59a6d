"""python manage.py esporta_excel --comune chiavari --anno 2019 [--settore VI] -o piano.xlsx"""

import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from objectives.models import Obiettivo
from peg.models import Comune, Piano, Settore
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
        piano = scegli_piano(comune, {opts["anno"]}, opts.get("piano"))
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


def scegli_piano(comune, anni: set[int], piano_id: int | None) -> Piano:
    """The comune's piano containing all the years (or the one given by id)."""
    piani = Piano.objects.filter(comune=comune)
    if piano_id is not None:
        piano = piani.filter(pk=piano_id).first()
        if piano is None:
            raise CommandError(f"Il piano {piano_id} non è del {comune}.", returncode=2)
        return piano
    if not anni:
        raise CommandError(
            "Nel file non ci sono anni leggibili nel foglio Obiettivi.", returncode=2
        )
    adatti = [p for p in piani if all(a in p.anni for a in anni)]
    elenco = ", ".join(str(a) for a in sorted(anni))
    if not adatti:
        raise CommandError(
            f"Il {comune} non ha un piano che comprenda l'anno {elenco}.", returncode=2
        )
    if len(adatti) > 1:
        scelte = "; ".join(f"{p.pk}: {p}" for p in adatti)
        raise CommandError(
            f"Più piani comprendono l'anno {elenco}: indica --piano ({scelte}).", returncode=2
        )
    return adatti[0]
