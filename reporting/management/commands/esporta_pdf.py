"""python manage.py esporta_pdf --comune chiavari --anno 2019 [--settore X | --obiettivo "VI - 1"]
[--rendicontazione] [--pubblicabile] [--processi N] [--piano ID] -o f.pdf"""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from objectives.models import Obiettivo
from objectives.piano_anno import piano_per_comando
from peg.models import Comune, Settore
from peg.parametri import intero
from reporting import libri
from reporting.modelli.scelta import fissa_versioni
from reporting.processi import ProcessoInterrotto


class Command(BaseCommand):
    help = (
        "Esporta in PDF il piano di un comune per un anno, il libro di un settore "
        "o una scheda obiettivo."
    )

    def add_arguments(self, parser):
        parser.add_argument("--comune", required=True, help="Slug del comune, es. chiavari.")
        parser.add_argument("--anno", required=True, type=int, help="Anno delle schede.")
        gruppo = parser.add_mutually_exclusive_group()
        gruppo.add_argument("--settore", help="Denominazione, codice o id del settore.")
        gruppo.add_argument("--obiettivo", help='Codice dell\'obiettivo, es. "VI - 1".')
        parser.add_argument(
            "--rendicontazione",
            action="store_true",
            help="Stampa le schede come schede di rendicontazione.",
        )
        parser.add_argument(
            "--pubblicabile",
            action="store_true",
            help="Variante pubblicabile dei modelli di stampa: senza dati personali "
            "(nomi del personale, matricole, categorie).",
        )
        parser.add_argument(
            "--processi",
            type=int,
            help="Processi che impaginano il piano intero in parallelo (predefinito: "
            "PEG_PROCESSI_STAMPA, cioè i core della macchina; 1: nel processo del comando).",
        )
        parser.add_argument(
            "--piano", type=int, help="Id del piano, se più piani comprendono l'anno."
        )
        parser.add_argument("-o", "--output", required=True, help="File PDF da scrivere.")

    def handle(self, *args, **opzioni):
        comune = Comune.objects.filter(slug=opzioni["comune"]).first()
        if comune is None:
            raise CommandError(f"Comune «{opzioni['comune']}» inesistente.")
        anno = opzioni["anno"]
        # The one rule of objectives.piano_anno: several piani with the year → --piano.
        piano = piano_per_comando(comune, [anno], opzioni["piano"])
        rendicontazione = True if opzioni["rendicontazione"] else None
        if opzioni["processi"] is not None and opzioni["processi"] < 1:
            raise CommandError("--processi: serve almeno 1 processo.")
        fissa_versioni(piano)  # an approved piano keeps the version it printed with
        modelli = libri.modelli_stampa(piano, pubblicabile=opzioni["pubblicabile"])
        inizio = time.monotonic()
        if opzioni["obiettivo"]:
            schede = Obiettivo.objects.filter(
                piano=piano, anno=anno, codice=opzioni["obiettivo"].strip()
            )
            if not schede.exists():
                raise CommandError(
                    f"{comune}: nessuna scheda con codice «{opzioni['obiettivo']}» per il {anno}."
                )
            contenuto = libri.pdf_schede(schede, rendicontazione=rendicontazione, modelli=modelli)
        elif opzioni["settore"]:
            settore = self._settore(comune, opzioni["settore"])
            contenuto = libri.pdf_settore(
                piano, settore, anno, rendicontazione=rendicontazione, modelli=modelli
            )
        else:
            contenuto = None
        destinazione = Path(opzioni["output"])
        try:
            if contenuto is None:
                # The whole piano goes straight to the file: never all of it in memory.
                libri.scrivi_piano(
                    piano,
                    anno,
                    destinazione,
                    rendicontazione=rendicontazione,
                    modelli=modelli,
                    processi=opzioni["processi"],
                )
            else:
                destinazione.write_bytes(contenuto)
        except OSError as exc:
            raise CommandError(f"Impossibile scrivere {destinazione}: {exc}") from exc
        except ProcessoInterrotto as exc:
            raise CommandError(f"La stampa non è riuscita: {exc}.") from exc
        durata = time.monotonic() - inizio
        self.stdout.write(
            f"Scritto {destinazione} ({destinazione.stat().st_size // 1024} kB) in {durata:.1f} s."
        )

    def _settore(self, comune, testo: str) -> Settore:
        testo = testo.strip()
        settori = Settore.objects.filter(comune=comune)
        if intero(testo) is not None:
            trovato = settori.filter(pk=intero(testo)).first()
            if trovato:
                return trovato
        esatti = list(settori.filter(Q(nome__iexact=testo) | Q(codice__iexact=testo)))
        if len(esatti) == 1:
            return esatti[0]
        simili = esatti or list(settori.filter(nome__icontains=testo))
        if not simili:
            raise CommandError(f"{comune}: nessun settore corrisponde a «{testo}».")
        if len(simili) > 1:
            elenco = "; ".join(str(s) for s in simili)
            raise CommandError(
                f"{comune}: «{testo}» indica più settori ({elenco}): "
                "usare la denominazione completa o l'id."
            )
        return simili[0]
