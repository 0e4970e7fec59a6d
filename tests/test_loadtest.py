"""The load test's mix (benchmarks/loadtest) keeps working: 2 users for a few seconds
on gunicorn, every kind of request answered as expected. Never timed: the
figures are `make loadtest`'s."""

import os
import re
import subprocess
import sys
from pathlib import Path

from benchmarks.loadtest.cliente import TIPI, campi_del_form

ESEGUI = Path(__file__).resolve().parent.parent / "benchmarks" / "loadtest" / "esegui.py"


def test_the_mix_runs_without_errors_on_gunicorn(tmp_path):
    """The runner end to end on a throwaway SQLite file: gunicorn with its settings,
    2 users, every kind of request, no errors (exit 0)."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"PEG_VAR_DIR": str(tmp_path), "DB_CONN_MAX_AGE": "0", "WEB_CONCURRENCY": "1"}
    fatto = subprocess.run(
        [sys.executable, str(ESEGUI), "--utenti", "2", "--obiettivi", "1", "--indicatori", "2"]
        + ["--fasi", "1", "--durata", "4", "--durata-soffitto", "1", "--paralleli", "2"]
        + ["--pausa", "0.05-0.1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert fatto.returncode == 0, fatto.stdout + fatto.stderr
    carico = fatto.stdout.split("Soffitto dell'applicazione")[0]
    for tipo in TIPI:
        riga = re.search(rf"^  {tipo} +(\d+) +(\d+)", carico, re.M)
        assert riga and int(riga[1]) > 0 and riga[2] == "0", (tipo, fatto.stdout)
    # What a request costs the server apart from waiting: gunicorn's CPU over the phase.
    cpu = re.search(r"CPU per richiesta: server (\d+\.\d) ms, client (\d+\.\d) ms", carico)
    assert cpu and float(cpu[1]) > 0, fatto.stdout


def test_the_form_is_read_as_a_browser_posts_it():
    html = """<form method="post" id="rendicontazione-form">
    <input type="hidden" name="csrfmiddlewaretoken" value="tok">
    <input type="text" name="ind-1-finale_valore" value="3,5">
    <input type="checkbox" name="fase-1-raggiunto">
    <input type="checkbox" name="fase-2-raggiunto" checked>
    <textarea name="obi-stato_attuazione" rows="4">
Fatto &amp; rifatto</textarea>
    <select name="s"><option value="a">A</option><option value="b" selected>B</option></select>
    <button type="submit" name="azione">Salva</button></form>
    <form id="altro"><input name="fuori" value="x"></form>"""
    assert campi_del_form(html) == {
        "csrfmiddlewaretoken": "tok",
        "ind-1-finale_valore": "3,5",
        "fase-2-raggiunto": "on",
        "obi-stato_attuazione": "Fatto & rifatto",
        "s": "b",
    }
    assert campi_del_form("<p>niente</p>") is None
