"""Load test: 100 responsabili on gunicorn, the realistic mix for 60 s (``make loadtest``).

On the database of the environment (DATABASE_URL: ``make loadtest`` runs it under
scripts/with-postgres.sh, then on a throwaway SQLite file): migrates, generates a comune
with one settore per user (``genera_dati --utenti``, schede in monitoraggio), starts
gunicorn on 127.0.0.1 on a free port with scripts/gunicorn.conf.py, then measures

1. the trivial page's ceiling: the login page asked with no pause by many clients
   (a Django view through every middleware, one small template);
2. the app's ceiling: every user logs in, a few of them repeat the mix with no think
   time;
3. the load: every user repeats home → scheda → rendicontazione → live preview ×2 →
   save (benchmarks/loadtest/cliente.py), think time 0.5-1.5 s.

Prints p50/p95/p99, requests and errors per request kind, both ceilings and their ratio.
Exits 1 if a request failed (an error is a defect, not slowness); the times are printed,
never asserted (a shared machine is noisy). The client runs on the same machine, on one
core at most (the GIL): its share is part of what is measured.

    python benchmarks/loadtest/esegui.py [--utenti 100] [--durata 60] [--obiettivi 5]
"""

import argparse
import io
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peg.settings")
os.environ.setdefault("PEG_VAR_DIR", tempfile.mkdtemp(prefix="peg-carico-"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.urls import reverse  # noqa: E402

from benchmarks.loadtest.cliente import (  # noqa: E402
    TIPI,
    ErroreRisposta,
    Scheda,
    Utente,
    accedi_tutti,
    martella,
    percentile,
    simula,
)
from objectives.models import Obiettivo  # noqa: E402
from peg.models import Ruolo  # noqa: E402

COMUNE = "carico"
PASSWORD = "Carico-di-prova-2026"


def prepara(utenti: int, obiettivi: int, indicatori: int, fasi: int) -> list:
    """Migrate, generate the comune and its users: [(username, password, [Scheda])]."""
    call_command("migrate", verbosity=0)
    call_command(
        "genera_dati",
        "--comune",
        COMUNE,
        "--settori",
        str(utenti),
        "--obiettivi",
        str(obiettivi),
        "--indicatori",
        str(indicatori),
        "--fasi",
        str(fasi),
        "--stato",
        Obiettivo.Stato.IN_MONITORAGGIO,
        "--utenti",
        PASSWORD,
        "--sostituisci",
        stdout=io.StringIO(),
    )
    return utenti_e_schede(COMUNE, PASSWORD)


def utenti_e_schede(slug: str, password: str) -> list:
    """Every responsabile of the comune with the addresses of his settori's schede."""
    per_settore: dict[int, list[Scheda]] = {}
    for pk, settore_id in Obiettivo.objects.filter(piano__comune__slug=slug).values_list(
        "pk", "settore_id"
    ):
        per_settore.setdefault(settore_id, []).append(
            Scheda(
                reverse("obiettivo", args=[slug, pk]),
                reverse("rendicontazione", args=[slug, pk]),
                reverse("anteprima_rendicontazione", args=[slug, pk]),
            )
        )
    ruoli = (
        Ruolo.objects.filter(comune__slug=slug, tipo=Ruolo.Tipo.RESPONSABILE)
        .order_by("utente__username")
        .values_list("utente__username", "settori")
    )
    return [(username, password, per_settore[settore]) for username, settore in ruoli]


def porta_libera() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def avvia_gunicorn(porta: int, conf: Path) -> subprocess.Popen:
    connections.close_all()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            str(conf),
            "--bind",
            f"127.0.0.1:{porta}",
            "peg.wsgi:application",
        ],
        cwd=ROOT,
        env={**os.environ, "LOG_LEVEL": "WARNING"},
    )
    base = f"http://127.0.0.1:{porta}"
    for _ in range(600):
        try:
            Utente(base, None, timeout=2).richiesta(None, "GET", reverse("login"))
            return server
        except ErroreRisposta:
            if server.poll() is not None:
                raise SystemExit("gunicorn non è partito.") from None
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("gunicorn non risponde dopo 60 secondi.")


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _tempi_proc(pid: int) -> tuple[int, list[int]]:
    """(ppid, [utime, stime, cutime, cstime]) in clock ticks, from /proc/<pid>/stat."""
    with open(f"/proc/{pid}/stat") as f:
        campi = f.read().rsplit(")", 1)[1].split()
    return int(campi[1]), [int(x) for x in campi[11:15]]


def cpu_server(pid: int) -> float:
    """CPU seconds used so far by gunicorn: the master with the workers it has reaped,
    plus the live workers (0 where /proc is missing)."""
    try:
        _, (u, s, cu, cs) = _tempi_proc(pid)
    except OSError:
        return 0.0
    totale = u + s + cu + cs
    for voce in os.listdir("/proc"):
        if voce.isdigit() and int(voce) != pid:
            try:
                ppid, (u, s, _, _) = _tempi_proc(int(voce))
            except (OSError, IndexError, ValueError):
                continue
            if ppid == pid:
                totale += u + s
    return totale / _TICK


def cpu_database() -> float:
    """CPU seconds used so far by the PostgreSQL server's processes on this machine (0 on
    SQLite, which runs inside gunicorn): the database's share of a request."""
    if connections["default"].vendor != "postgresql":
        return 0.0
    totale = 0
    for voce in os.listdir("/proc"):
        if not voce.isdigit():
            continue
        try:
            with open(f"/proc/{voce}/comm") as f:
                if f.read().strip() != "postgres":
                    continue
            _, (u, s, cu, cs) = _tempi_proc(int(voce))
        except (OSError, IndexError, ValueError):
            continue
        totale += u + s + cu + cs
    return totale / _TICK


class Cpu:
    """CPU milliseconds per request of the server and of this client (same machine),
    measured over one phase: what a request costs, apart from waiting."""

    def __init__(self, server_pid: int):
        self.pid = server_pid
        self.server, self.client = cpu_server(server_pid), sum(os.times()[:2])
        self.database = cpu_database()

    def riga(self, richieste: int) -> str:
        server = cpu_server(self.pid) - self.server
        client = sum(os.times()[:2]) - self.client
        database = cpu_database() - self.database
        n = max(richieste, 1)
        db = f"database {database / n * 1000:.1f} ms, " if database else ""
        return (
            f"  CPU per richiesta: server {server / n * 1000:.1f} ms, {db}"
            f"client {client / n * 1000:.1f} ms (stessa macchina)"
        )


def riga(nome, tempi, errori, secondi) -> str:
    return (
        f"  {nome:<16}{len(tempi):>8}{errori:>8}{len(tempi) / secondi:>9.1f}"
        f"{percentile(tempi, 50):>9.0f}{percentile(tempi, 95):>9.0f}{percentile(tempi, 99):>9.0f}"
    )


def stampa(titolo, misure, secondi, cpu: str = "") -> None:
    print(f"\n{titolo} ({secondi:.0f} s)")
    print(
        f"  {'richiesta':<16}{'n':>8}{'errori':>8}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99':>9}"
    )
    tutti = []
    for tipo in [t for t in TIPI if t in misure.tempi] + sorted(set(misure.tempi) - set(TIPI)):
        tutti += misure.tempi[tipo]
        print(riga(tipo, misure.tempi[tipo], misure.errori.get(tipo, 0), secondi))
    print(riga("totale", tutti, misure.totale_errori(), secondi))
    if cpu:
        print(cpu)
    for tipo, esempio in misure.esempi.items():
        print(f"  errore {tipo}: {esempio}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--utenti", type=int, default=100, help="Responsabili (uno per settore).")
    parser.add_argument("--durata", type=float, default=60, help="Secondi di carico.")
    parser.add_argument("--durata-soffitto", type=float, default=15, help="Secondi per soffitto.")
    parser.add_argument("--paralleli", type=int, default=16, help="Client senza pause (soffitti).")
    parser.add_argument("--obiettivi", type=int, default=5, help="Schede per settore.")
    parser.add_argument("--indicatori", type=int, default=6)
    parser.add_argument("--fasi", type=int, default=4)
    parser.add_argument(
        "--conf",
        type=Path,
        default=ROOT / "scripts" / "gunicorn.conf.py",
        help="Impostazioni di gunicorn (per confrontarne altre).",
    )
    parser.add_argument(
        "--pausa", default="0.5-1.5", help="Pausa tra le richieste, secondi min-max."
    )
    args = parser.parse_args()
    pensa = tuple(float(x) for x in args.pausa.split("-"))

    db = connections["default"].vendor
    print(
        f"Prova di carico su {db}: {args.utenti} responsabili, {args.obiettivi} schede ciascuno "
        f"({args.indicatori} indicatori, {args.fasi} fasi), {args.durata:.0f} s, pausa {args.pausa} s"
    )
    utenti = prepara(args.utenti, args.obiettivi, args.indicatori, args.fasi)
    porta = porta_libera()
    server = avvia_gunicorn(porta, args.conf)
    base = f"http://127.0.0.1:{porta}"
    try:
        martella(base, reverse("login"), durata=3, paralleli=args.paralleli)  # warm-up
        cpu = Cpu(server.pid)
        banale, s_banale = martella(
            base, reverse("login"), durata=args.durata_soffitto, paralleli=args.paralleli
        )
        cpu_banale = cpu.riga(banale.richieste())
        sessioni = accedi_tutti(base, utenti, reverse("login"))
        # The ceiling before the load: an overloaded server still works off requests
        # whose clients gave up, and would look slower than it is.
        n = min(args.paralleli, len(utenti))
        cpu = Cpu(server.pid)
        soffitto, s_soffitto = simula(
            base,
            utenti[:n],
            durata=args.durata_soffitto,
            pensa=(0, 0),
            sessioni=sessioni[:n],
        )
        cpu_soffitto = cpu.riga(soffitto.richieste())
        cpu = Cpu(server.pid)
        carico, s_carico = simula(base, utenti, durata=args.durata, pensa=pensa, sessioni=sessioni)
        cpu_carico = cpu.riga(carico.richieste())
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)
    stampa(f"Carico: {args.utenti} utenti con pausa", carico, s_carico, cpu_carico)
    stampa(
        f"Soffitto dell'applicazione: {n} utenti senza pausa", soffitto, s_soffitto, cpu_soffitto
    )
    stampa(
        f"Soffitto della pagina banale (accesso): {args.paralleli} client",
        banale,
        s_banale,
        cpu_banale,
    )
    app = soffitto.richieste() / s_soffitto
    triviale = banale.richieste() / s_banale
    print(
        f"\nSoffitto: applicazione {app:.0f} req/s, pagina banale {triviale:.0f} req/s, "
        f"rapporto {app / triviale:.0%} (obiettivo ≥ 50%)"
    )
    tutti = [t for v in carico.tempi.values() for t in v]
    print(
        f"Con {args.utenti} utenti: p95 {percentile(tutti, 95):.0f} ms (obiettivo < 300), "
        f"{carico.totale_errori()} errori (obiettivo 0)"
    )
    return 1 if carico.totale_errori() or soffitto.totale_errori() else 0


if __name__ == "__main__":
    sys.exit(main())
