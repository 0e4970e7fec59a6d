"""A synthetic comune of a given size, with varied rules and values, for benchmarks.

``--utenti PASSWORD`` adds its users, for the load test (benchmarks/loadtest.py): one
responsabile per settore (``resp-<comune>-s01``...: a Persona linked to the user, named
among the settore's responsabili, and a Ruolo on that settore) and a segreteria
(``segr-<comune>``), all with that password. ``--stato in_monitoraggio`` makes the
schede open to the rendicontazione.
"""

import random
import re
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from indicators.engine.formatting import chiave_naturale
from indicators.engine.graduation import parse
from indicators.models import Indicatore, Rilevazione
from objectives.demo_accounts import crea_utenti_sintetici
from objectives.models import Fase, Obiettivo
from peg.models import Comune, Piano, Settore

# (graduazione, valore atteso, how to draw the achieved value)
REGOLE = [
    (
        "gg di ritardo +5 =90 % +10gg = 80% +15gg =60%",
        Decimal(0),
        lambda r: r.choice([0, 0, 3, 7, 12, 20]),
    ),
    (
        "4 incontri = 100% dell'obiettivo; 3 incontri = 90%; 2 incontri = 60%",
        Decimal(5),
        lambda r: r.randint(1, 6),
    ),
    ("80% dei questionari = 100%; 70% = 90%; 60% = 75%", Decimal(80), lambda r: r.randint(50, 95)),
    ("proporzionale", Decimal(120), lambda r: r.randint(60, 140)),
    ("(si=1, no=0)", Decimal(1), lambda r: r.choice([1, 1, 1, 0])),
    ("(SI=100)", Decimal(100), lambda r: r.randint(70, 100)),
    ("lineare: 10 = 100%; 5 = 60%", Decimal(10), lambda r: r.randint(3, 12)),
]


def _pesi(n: int) -> list[Decimal]:
    """n weights of two decimals summing to exactly 100."""
    base = (Decimal(100) / n).quantize(Decimal("0.01"))
    return [base] * (n - 1) + [Decimal(100) - base * (n - 1)]


class Command(BaseCommand):
    help = "Crea un comune sintetico di dimensioni date (settori × obiettivi × indicatori × fasi)."

    def add_arguments(self, parser):
        parser.add_argument("--comune", required=True, help="Slug del comune da creare.")
        parser.add_argument("--settori", type=int, default=30)
        parser.add_argument("--obiettivi", type=int, default=50, help="Obiettivi per settore.")
        parser.add_argument("--indicatori", type=int, default=6, help="Indicatori per obiettivo.")
        parser.add_argument("--fasi", type=int, default=4, help="Fasi per obiettivo.")
        parser.add_argument("--anno", type=int, default=2019)
        parser.add_argument(
            "--seme", type=int, default=1, help="Seme casuale: stessi dati a ogni esecuzione."
        )
        parser.add_argument(
            "--non-rilevati",
            type=float,
            default=0.0,
            help="Quota di indicatori senza rilevazione (0-1).",
        )
        parser.add_argument(
            "--sostituisci", action="store_true", help="Ricrea il comune se esiste."
        )
        parser.add_argument(
            "--stato",
            choices=Obiettivo.Stato.values,
            default=Obiettivo.Stato.BOZZA,
            help="Stato delle schede (in_monitoraggio: aperte alla rendicontazione).",
        )
        parser.add_argument(
            "--utenti",
            metavar="PASSWORD",
            help="Crea un responsabile per settore (resp-<comune>-s01...) e una segreteria "
            "(segr-<comune>) con questa password.",
        )

    @transaction.atomic
    def handle(self, *args, **opts):
        for key in ("settori", "obiettivi", "indicatori", "fasi"):
            if opts[key] < 0 or (key != "fasi" and opts[key] == 0):
                raise CommandError(f"--{key} deve essere un numero positivo.")
        slug = opts["comune"]
        existing = Comune.objects.filter(slug=slug).first()
        if existing and not opts["sostituisci"]:
            raise CommandError(f"Il comune {slug} esiste già (--sostituisci per ricrearlo).")
        if existing:
            Obiettivo.objects.filter(piano__comune=existing).delete()
            existing.delete()
            get_user_model().objects.filter(
                username__regex=rf"^(segr-{re.escape(slug)}|resp-{re.escape(slug)}-s\d+)$"
            ).delete()
        if opts["utenti"] is not None:
            if not opts["utenti"]:
                raise CommandError("--utenti: indicare la password.")
            gia = get_user_model().objects.filter(username__in=_nomi_utenti(slug, opts["settori"]))
            if nomi := list(gia.values_list("username", flat=True)[:3]):
                raise CommandError(f"Utenti già presenti: {', '.join(nomi)}.")
        rng = random.Random(opts["seme"])
        anno = opts["anno"]
        comune = Comune.objects.create(
            nome=slug.replace("-", " ").title(), slug=slug, provincia="Prova"
        )
        piano = Piano.objects.create(
            comune=comune,
            tipo=Piano.Tipo.PEG,
            titolo=f"PEG {anno} sintetico",
            anno_inizio=anno,
            anno_fine=anno,
            stato=Piano.Stato.RENDICONTATO,
        )
        settori = Settore.objects.bulk_create(
            Settore(comune=comune, codice=f"S{n:02d}", nome=f"Settore {n:02d}")
            for n in range(1, opts["settori"] + 1)
        )
        obiettivi = Obiettivo.objects.bulk_create(
            Obiettivo(
                piano=piano,
                settore=settore,
                codice=f"{anno}_{settore.codice}_{n:02d}",
                codice_ordinabile=chiave_naturale(f"{anno}_{settore.codice}_{n:02d}"),
                anno=anno,
                anno_inizio=anno,
                anno_fine=anno,
                denominazione=f"Obiettivo sintetico {n} del {settore.nome}",
                peso=peso,
                strategicita=Decimal(rng.choice([30, 50, 60])),
                complessita=Decimal(rng.choice([20, 30, 40])),
                tipologia=Decimal(rng.choice(["0.5", "0.75", "1"])),
                data_inizio_prevista=date(anno, 1, 1),
                data_fine_prevista=date(anno, 12, 31),
                stato=opts["stato"],
            )
            for settore in settori
            for n, peso in enumerate(_pesi(opts["obiettivi"]), start=1)
        )
        regole = [(testo, parse(testo).to_dict(), atteso, draw) for testo, atteso, draw in REGOLE]
        indicatori, valori = [], []
        for obiettivo in obiettivi:
            for n, peso in enumerate(_pesi(opts["indicatori"]), start=1):
                testo, regola, atteso, draw = regole[rng.randrange(len(regole))]
                indicatori.append(
                    Indicatore(
                        obiettivo=obiettivo,
                        numero=n,
                        peso=peso,
                        denominazione=f"Indicatore {n}",
                        graduazione=testo,
                        regola=regola,
                        valore_atteso=atteso,
                        data_attesa=date(anno, 12, 31),
                    )
                )
                valori.append(None if rng.random() < opts["non_rilevati"] else Decimal(draw(rng)))
        indicatori = Indicatore.objects.bulk_create(indicatori, batch_size=2000)
        Rilevazione.objects.bulk_create(
            (
                Rilevazione(
                    indicatore=indicatore,
                    tipo=Rilevazione.Tipo.FINALE,
                    valore=valore,
                    data=date(anno, 12, 31),
                )
                for indicatore, valore in zip(indicatori, valori, strict=True)
                if valore is not None
            ),
            batch_size=2000,
        )
        fasi = []
        if opts["fasi"]:
            for obiettivo in obiettivi:
                inizio = date(anno, 1, 1)
                for n, peso in enumerate(_pesi(opts["fasi"]), start=1):
                    fine = inizio + timedelta(days=rng.randint(20, 80))
                    fasi.append(
                        Fase(
                            obiettivo=obiettivo,
                            numero=n,
                            peso=peso,
                            descrizione=f"Fase {n}",
                            data_inizio_prevista=inizio,
                            data_fine_prevista=fine,
                            data_inizio_effettiva=inizio,
                            data_fine_effettiva=fine + timedelta(days=rng.choice([0, 0, 5, 12])),
                            avanzamento=Decimal(rng.choice([100, 100, 80, 60])),
                        )
                    )
                    inizio = fine
        Fase.objects.bulk_create(fasi, batch_size=2000)
        self.stdout.write(
            f"{comune}: {len(settori)} settori, {len(obiettivi)} obiettivi, {len(indicatori)} indicatori, "
            f"{len(fasi)} fasi, piano {anno}."
        )
        if opts["utenti"]:
            segreteria, responsabili = crea_utenti_sintetici(
                comune, settori, _nomi_utenti(slug, len(settori)), opts["utenti"]
            )
            self.stdout.write(
                f"Utenti (password {opts['utenti']!r}): segreteria {segreteria}; "
                f"responsabili {responsabili[0]} ... {responsabili[-1]} (uno per settore)."
            )


def _nomi_utenti(slug: str, n_settori: int) -> list[str]:
    """The segreteria's username, then one responsabile's per settore, in settore order."""
    return [f"segr-{slug}"] + [f"resp-{slug}-s{n:02d}" for n in range(1, n_settori + 1)]
