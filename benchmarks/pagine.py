"""Benchmark: the plan-wide pages on a piano of 30 settori × 50 obiettivi × 6 indicatori × 4 fasi.

Prints, per page (piano, a settore of the piano, OIV queue, relazione, cruscotto of the
ente and of a settore, home of the segreteria and of a responsabile), requested through
Django's test client (no network): the time (best of 3), the SQL queries, the size of
the HTML, the time of a raw fetch of the rows the page reads (``values_list`` of the
same schede, indicatori, fasi and rilevazioni, best of 3, in the same run) and the
ratio of the two (goal: ≤ 3). Exits 1 if the queries grow with the plan, or a page
passes 15 queries; times are reported, never asserted. With ``--piccolo``
(``make bench-ci``) the large plan is 4 × 6 × 6 × 4.

    python benchmarks/pagine.py [--piccolo]
"""

import io
import logging
import sys

from comune import dimensioni, migliore
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import Indicatore, Rilevazione
from objectives.models import Fase, Obiettivo
from peg.memoria import congela
from peg.models import Piano, Ruolo

MASSIMO_QUERY = 15
logging.getLogger("axes").setLevel(logging.WARNING)


def grezzo(**filtro):
    """A raw fetch of the rows a plan-wide page reads: the schede (with the columns the
    pages show) and, of them, indicatori, fasi and rilevazioni."""

    def leggi():
        schede = Obiettivo.objects.filter(**filtro)
        list(
            schede.values_list(
                "id", "codice", "anno", "denominazione", "stato", "peso", "settore_id"
            )
        )
        ids = schede.values("pk")
        list(
            Indicatore.objects.filter(obiettivo__in=ids).values_list(
                "id",
                "obiettivo_id",
                "numero",
                "peso",
                "polarita",
                "regola",
                "valore_atteso",
                "data_attesa",
            )
        )
        list(
            Fase.objects.filter(obiettivo__in=ids).values_list(
                "id", "obiettivo_id", "numero", "peso", "regola", "raggiunto", "data_fine_prevista"
            )
        )
        list(
            Rilevazione.objects.filter(indicatore__obiettivo__in=ids).values_list(
                "id", "indicatore_id", "tipo", "valore", "data"
            )
        )

    return leggi


def pagine(piano, utenti) -> dict:
    """{name: (user, url, raw fetch)}."""
    comune = piano.comune
    slug, settore = comune.slug, comune.settori.order_by("codice").first()
    args = [slug, piano.pk]
    tutto = grezzo(piano=piano)
    del_settore = grezzo(piano=piano, settore=settore)
    return {
        "piano": (utenti["segreteria"], reverse("piano", args=args), tutto),
        "piano/settore": (
            utenti["segreteria"],
            reverse("piano_settore", args=[*args, settore.pk]),
            del_settore,
        ),
        "coda": (utenti["oiv"], reverse("coda_valutazione", args=[slug]), tutto),
        "relazione": (utenti["oiv"], reverse("relazione", args=args), tutto),
        "cruscotto": (utenti["oiv"], reverse("cruscotto", args=args), tutto),
        "settore": (
            utenti["oiv"],
            reverse("cruscotto_settore", args=[*args, settore.pk]),
            del_settore,
        ),
        "home/segr.": (utenti["segreteria"], reverse("home"), grezzo(piano__comune=comune)),
        "home/resp.": (
            utenti["responsabile"],
            reverse("home"),
            grezzo(piano__comune=comune, settore=settore),
        ),
    }


def utenti_del(piano) -> dict:
    comune = piano.comune
    User = get_user_model()
    utenti = {}
    for tipo in ("segreteria", "oiv", "responsabile"):
        utente, _ = User.objects.get_or_create(username=f"{tipo}-{comune.slug}")
        ruolo, _ = Ruolo.objects.get_or_create(utente=utente, comune=comune, tipo=tipo)
        if tipo == "responsabile":
            ruolo.settori.set([comune.settori.order_by("codice").first()])
        utenti[tipo] = utente
    return utenti


def misura(slug, size) -> dict:
    settori, obiettivi, indicatori, fasi = (str(n) for n in size)
    call_command(
        "genera_dati",
        *("--comune", slug, "--settori", settori, "--obiettivi", obiettivi),
        *("--indicatori", indicatori, "--fasi", fasi, "--sostituisci"),
        stdout=io.StringIO(),
    )
    piano = Piano.objects.get(comune__slug=slug)
    Obiettivo.objects.filter(piano=piano).update(stato=Obiettivo.Stato.RENDICONTATO)
    # The pages measured in the state of a server's process (peg/wsgi.py): what this
    # process made to generate the plan collected, the rest frozen as start-up is.
    congela()
    risultati = {}
    for nome, (utente, url, raw) in pagine(piano, utenti_del(piano)).items():
        client = Client()
        client.force_login(utente)
        client.get(url)  # warm: templates, sessions
        with CaptureQueriesContext(connection) as queries:
            risposta = client.get(url)
        n = len(queries)  # now: the next requests empty the log it reads
        assert risposta.status_code == 200, (url, risposta.status_code)
        secondi = migliore(lambda c=client, u=url: c.get(u))
        risultati[nome] = (secondi, n, len(risposta.content), migliore(raw))
    return risultati


def main() -> int:
    sizes = dimensioni(__doc__)
    query = {}
    print(f"{'pagina':14} {'piano':8} {'tempo':>8} {'query':>5} {'HTML':>9} {'grezzo':>8} rapporto")
    for nome, size in sizes.items():
        for pagina, (secondi, n, byte, raw) in misura(f"bench-pagine-{nome}", size).items():
            query[(nome, pagina)] = n
            print(
                f"{pagina:14} {nome:8} {secondi:7.3f}s {n:5d} {byte / 1000:7.1f}kB "
                f"{raw:7.3f}s {secondi / raw:6.1f}×"
            )
        print(f"  ({nome}: {' × '.join(str(s) for s in size)})")
    crescono = [
        p for (n, p) in query if n == "grande" and query[("grande", p)] > query[("piccolo", p)]
    ]
    troppe = [p for (n, p), q in query.items() if n == "grande" and q > MASSIMO_QUERY]
    if crescono:
        print(f"ERRORE: le query crescono con il piano in: {', '.join(crescono)}.")
    if troppe:
        print(f"ERRORE: più di {MASSIMO_QUERY} query in: {', '.join(troppe)}.")
    if crescono or troppe:
        return 1
    print(f"Query costanti al crescere del piano e al massimo {MASSIMO_QUERY} per pagina.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
