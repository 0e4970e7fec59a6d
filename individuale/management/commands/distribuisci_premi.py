"""python manage.py distribuisci_premi --comune <slug> --anno <anno> [--categoria <nome o id>]
[--fondo <euro>] [--dry-run] [--utente <username>]

One line per person, fields separated by two spaces (docs/premi.md):
``Mario Conti  87,50  fascia ≥ 90 (100%)  € 1.234,56``, then
``Residuo non distribuito € 0,03`` and, last, ``Totale distribuito € 9.999,97 su fondo
€ 10.000,00``. Warnings go to stderr; errors exit with code 2."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from indicators.engine.formatting import euro
from individuale import premi
from individuale.models import Smvp
from peg.models import Comune


class Command(BaseCommand):
    help = (
        "Distribuisce i premi di un anno dai punteggi finali delle schede di valutazione "
        "individuale e dalle fasce del sistema di valutazione (con --dry-run: simula)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--comune", required=True, help="slug del comune")
        parser.add_argument("--anno", required=True, type=int)
        parser.add_argument("--categoria", help="nome o id di una categoria (fondi per categoria)")
        parser.add_argument("--fondo", help="importo in euro: 10.000,00 o 10000.00")
        parser.add_argument("--dry-run", action="store_true", help="simula senza salvare")
        parser.add_argument("--utente", help="chi esegue la distribuzione (username)")

    def handle(self, *args, **opts):
        try:
            self._esegui(opts)
        except premi.PremiNonDistribuibili as exc:
            raise CommandError(str(exc), returncode=2) from exc

    def _esegui(self, opts):
        comune = Comune.objects.filter(slug=opts["comune"]).first()
        if comune is None:
            raise premi.PremiNonDistribuibili(f"Comune «{opts['comune']}» sconosciuto.")
        smvp = Smvp.objects.filter(comune=comune, anno=opts["anno"]).first()
        if smvp is None:
            raise premi.PremiNonDistribuibili(
                f"{comune.nome} non ha un sistema di valutazione per il {opts['anno']}."
            )
        utente = None
        if opts.get("utente"):
            utente = get_user_model().objects.filter(username=opts["utente"]).first()
            if utente is None:
                raise premi.PremiNonDistribuibili(f"Utente «{opts['utente']}» sconosciuto.")
        categoria = premi.categoria_di(smvp, opts["categoria"]) if opts.get("categoria") else None
        importo = premi.leggi_euro(opts["fondo"]) if opts.get("fondo") is not None else None
        if opts["dry_run"]:
            calcoli, avvisi = premi.calcola(smvp, categoria=categoria, importo=importo)
            self.stdout.write("SIMULAZIONE: nulla è stato salvato.")
        else:
            _, calcoli, avvisi = premi.distribuisci(
                smvp, categoria=categoria, importo=importo, utente=utente
            )
        for avviso in avvisi:
            self.stderr.write(f"Attenzione: {avviso}")
        self._stampa(calcoli)

    def _stampa(self, calcoli):
        for c in calcoli:
            if len(calcoli) > 1 or c.fondo.categoria is not None:
                self.stdout.write(f"{c.fondo.nome}: fondo {euro(c.esito.fondo)}")
            for riga in c.righe:
                self.stdout.write(riga.testo())
        distribuito = sum(c.esito.distribuito for c in calcoli)
        fondo = sum(c.esito.fondo for c in calcoli)
        # The total is the last line (what the payroll reads first from the bottom).
        self.stdout.write(f"Residuo non distribuito {euro(fondo - distribuito)}")
        self.stdout.write(f"Totale distribuito {euro(distribuito)} su fondo {euro(fondo)}")
