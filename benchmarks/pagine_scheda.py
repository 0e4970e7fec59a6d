"""Benchmark: the pages of one scheda against an empty page of the same site.

Prints, for schede of growing size (``genera_dati``: indicatori × fasi) and for the
richest demo scheda, the time (best of 3), the SQL queries and the HTML size of the
scheda page, the planning page, the rendicontazione page and their live previews,
requested as the settore's responsabile through Django's test client (no network),
beside the time of an empty page for the same logged-in user (a template that only
extends base.html) and the ratio to it (goal: ≤ 3×). Exits 1 if the queries grow with
the scheda; times are reported, never asserted. With ``--piccolo`` (``make test``): two
small schede and no demo, in seconds.

    python benchmarks/pagine_scheda.py [--piccolo]
"""

import argparse
import gc
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peg.settings")
os.environ.setdefault("PEG_VAR_DIR", tempfile.mkdtemp(prefix="peg-bench-"))
os.environ["ALLOWED_HOSTS"] = "testserver"

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.decorators import login_required  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.template import engines  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import include, path, reverse  # noqa: E402
from html_form import campi  # noqa: E402

from benchmarks.loadtest.cliente import posta_come_il_browser  # noqa: E402
from objectives.models import Obiettivo  # noqa: E402
from peg.models import Ruolo  # noqa: E402

# indicatori × fasi of the genera_dati schede; the growth check compares the first two.
SCHEDE = {"piccola": (2, 1), "media": (6, 4), "grande": (30, 12)}
SCHEDE_PICCOLO = {"piccola": (2, 1), "media": (6, 4)}
OBIETTIVO = Obiettivo.Stato


@login_required
def _vuota(request):
    """The reference: a logged-in page with nothing but the site's layout."""
    return HttpResponse(VUOTA.render({}, request))


VUOTA = engines["django"].from_string(
    '{% extends "base.html" %}{% block content %}<h1>Vuota</h1>{% endblock %}'
)


urlpatterns = [path("vuota/", _vuota, name="vuota"), path("", include("peg.urls"))]


def _cronometra(client, url, data=None):
    """Best of 3 after one request to warm up (templates compiled, caches filled); the
    garbage of the previous request collected first, for every page alike. Forms are
    posted as the browser posts them (urlencoded)."""

    def chiedi():
        return posta_come_il_browser(client, url, data) if data else client.get(url)

    chiedi()
    tempi = []
    for _ in range(3):
        gc.collect()
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            risposta = chiedi()
            tempi.append(time.perf_counter() - start)
        assert risposta.status_code == 200, (url, risposta.status_code)
    return min(tempi), len(queries), len(risposta.content)


def _responsabile(obiettivo):
    utente, _ = get_user_model().objects.get_or_create(username=f"bench-resp-{obiettivo.pk}")
    ruolo, _ = Ruolo.objects.get_or_create(
        utente=utente, comune=obiettivo.piano.comune, tipo=Ruolo.Tipo.RESPONSABILE
    )
    ruolo.settori.add(obiettivo.settore)
    client = Client()
    client.force_login(utente)
    return client


def misura(obiettivo) -> dict[str, tuple[float, int, int]]:
    """Page → (seconds, queries, bytes) for one scheda; "vuota" is the empty page."""
    client = _responsabile(obiettivo)
    slug, pk = obiettivo.piano.comune.slug, obiettivo.pk
    risultati = {"vuota": _cronometra(client, reverse("vuota"))}
    Obiettivo.objects.filter(pk=pk).update(stato=OBIETTIVO.BOZZA)
    risultati["scheda"] = _cronometra(client, reverse("obiettivo", args=[slug, pk]))
    url = reverse("modifica_obiettivo", args=[slug, pk])
    risultati["pianificazione"] = _cronometra(client, url)
    dati = campi(client.get(url).content.decode(), "scheda-form")
    anteprima = reverse("anteprima_modifica", args=[slug, pk])
    risultati["anteprima pian."] = _cronometra(client, anteprima, dati)
    Obiettivo.objects.filter(pk=pk).update(stato=OBIETTIVO.IN_MONITORAGGIO)
    url = reverse("rendicontazione", args=[slug, pk])
    risultati["rendicontazione"] = _cronometra(client, url)
    dati = campi(client.get(url).content.decode(), "rendicontazione-form")
    anteprima = reverse("anteprima_rendicontazione", args=[slug, pk])
    risultati["anteprima rend."] = _cronometra(client, anteprima, dati)
    return risultati


def _genera(slug, indicatori, fasi) -> Obiettivo:
    call_command(
        "genera_dati",
        *("--comune", slug, "--settori", "1", "--obiettivi", "1"),
        *("--indicatori", str(indicatori), "--fasi", str(fasi), "--sostituisci"),
        stdout=io.StringIO(),
    )
    return Obiettivo.objects.select_related("piano__comune", "settore").get(
        piano__comune__slug=slug
    )


def _piu_ricca() -> Obiettivo:
    """The demo scheda with the most rows (indicatori, fasi, risorse)."""
    call_command("carica_demo", stdout=io.StringIO())
    righe = ("indicatori", "fasi", "risorse_finanziarie", "risorse_umane", "risorse_strumentali")
    conteggi = {r: Count(r, distinct=True) for r in righe}
    demo = Obiettivo.objects.exclude(piano__comune__slug__startswith="bench-")
    return (
        demo.select_related("piano__comune", "settore")
        .annotate(righe=sum(conteggi.values()))
        .order_by("-righe", "pk")
        .first()
    )


def _stampa(nome, risultati) -> None:
    vuota = risultati["vuota"][0]
    print(f"{nome}: pagina vuota {vuota * 1000:.1f} ms")
    for pagina, (secondi, query, byte) in risultati.items():
        if pagina != "vuota":
            print(
                f"  {pagina:16} {secondi * 1000:7.1f} ms  {query:3} query  "
                f"{byte / 1000:6.1f} kB  {secondi / vuota:5.1f}× la pagina vuota"
            )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--piccolo", action="store_true", help="solo due schede piccole")
    piccolo = parser.parse_args().piccolo
    call_command("migrate", verbosity=0)
    schede = SCHEDE_PICCOLO if piccolo else SCHEDE
    query = {}
    with override_settings(ROOT_URLCONF=__name__, DEBUG=False):
        for nome, (indicatori, fasi) in schede.items():
            risultati = misura(_genera(f"bench-scheda-{nome}", indicatori, fasi))
            _stampa(f"scheda {nome} ({indicatori} indicatori × {fasi} fasi)", risultati)
            query[nome] = {p: q for p, (_, q, _) in risultati.items()}
        if not piccolo:
            ricca = _piu_ricca()
            _stampa(f"scheda demo più ricca ({ricca.codice}, {ricca.piano.comune})", misura(ricca))
    crescono = sorted(
        {p for nome in query for p, q in query[nome].items() if q > query["piccola"][p]}
    )
    if crescono:
        print(f"ERRORE: le query crescono con la scheda in: {', '.join(crescono)}.")
        return 1
    print("Query costanti al crescere della scheda.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
