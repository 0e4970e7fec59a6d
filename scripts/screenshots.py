"""Screenshots of the main pages for docs/screenshots/, from the demo data.

    .venv/bin/python scripts/screenshots.py [name…]

Runs on a scratch database (never var/peg.sqlite3): migrate, carica_demo, a few
workflow steps, then the real server driven by Debian's Chromium.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--lang=it-IT"]

# Chiavari VI - 1 (2019) back to draft so meschi can plan it; VI - 2 in monitoring.
PREPARA = """
from django.contrib.auth import get_user_model
from objectives.models import Obiettivo
from objectives.modifiche import esegui
segreteria = get_user_model().objects.get(username="segreteria")
vi1 = Obiettivo.objects.get(piano__comune__slug="chiavari", codice="VI - 1", anno=2019)
esegui(vi1, segreteria, "riapri_bozza", motivazione="Revisione degli indicatori")
vi2 = Obiettivo.objects.get(piano__comune__slug="chiavari", codice="VI - 2", anno=2019)
esegui(vi2, segreteria, "avvia_monitoraggio")
print(vi1.pk, vi2.pk)
"""


def _manage(env, *args, **kwargs):
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, **kwargs)


def _porta() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _login(page, url, username):
    page.goto(f"{url}/accesso/")
    page.get_by_label("Nome utente").fill(username)
    page.get_by_label("Password").fill("demo")
    page.get_by_role("button", name="Accedi").click()
    page.wait_for_url(f"{url}/")


def _esci(page):
    page.get_by_role("button", name="Esci").click()


def scatta(page, url, vi1, vi2, solo):
    def foto(nome, **kwargs):
        if not solo or nome in solo:
            page.screenshot(path=str(OUT / f"{nome}.png"), **kwargs)
            print("scritto", OUT / f"{nome}.png")

    _login(page, url, "meschi")
    page.goto(f"{url}/chiavari/obiettivi/{vi1}/modifica/")
    page.locator("#id_indicatori-0-peso").fill("25")
    page.locator("#pesi-indicatori").get_by_text("mancano 5,00%").wait_for()
    page.locator("#id_indicatori-1-graduazione").fill("entro il 30/11 = 100%; dopo = 50")
    page.wait_for_timeout(800)
    if not solo or "pianificazione-chiavari-VI-1" in solo:
        sezione = page.locator("section[aria-labelledby=titolo-indicatori]")
        sezione.screenshot(path=str(OUT / "pianificazione-chiavari-VI-1.png"))
    _esci(page)

    _login(page, url, "segreteria")
    page.goto(f"{url}/chiavari/obiettivi/{vi2}/modifica/")
    page.get_by_label("Motivazione della variazione").fill(
        "Delibera di giunta n. 201 del 12/09/2019: spostata la scadenza del primo indicatore"
    )
    page.locator("#id_indicatori-0-data_attesa").fill("2019-10-31")
    page.get_by_role("button", name="Registra la variazione").click()
    page.get_by_text("variazione registrata").wait_for()
    page.locator("#variazioni").scroll_into_view_if_needed()
    foto("variazione-chiavari-VI-2")
    piano = page.get_by_role(
        "link", name="Piano dettagliato degli obiettivi 2019-2021 - Settore VI"
    )
    piano.first.click()
    page.get_by_text("Approva il piano (delibera di giunta)…").click()
    foto("piano-approvazione-chiavari")
    _esci(page)

    _login(page, url, "meschi")
    page.goto(f"{url}/chiavari/obiettivi/{vi2}/rendicontazione/")
    page.get_by_label("Rilevazione finale: data effettiva").first.fill("2019-11-08")
    page.locator("#conseguimento h2").get_by_text("%").or_(
        page.locator("#conseguimento h2").get_by_text("incompleto")
    ).wait_for()
    page.wait_for_timeout(800)
    foto("rendicontazione-anteprima-chiavari-VI-2", full_page=True)
    _esci(page)
    valutazione(page, url, foto)


def valutazione(page, url, foto):
    """The OIV reviews Cinisello: one score set with a motivazione, one as computed;
    then the dashboards, the Gantt, the trend and the relazione show it."""
    _login(page, url, "oiv")
    page.goto(f"{url}/cinisello-balsamo/valutazione/")
    foto("coda-oiv-cinisello", full_page=True)
    page.get_by_role("link", name="Esamina 2019_S08_15 (2019)").click()
    page.get_by_label("Punteggio validato dell'obiettivo (%)").fill("90")
    page.get_by_label("Motivazione del punteggio dell'obiettivo").fill(
        "Il progetto individuale non avviato dipende dal rinvio dell'ATS, documentato "
        "nel verbale del tavolo di ambito: il settore ha svolto la sua parte."
    )
    page.get_by_role("button", name="Valida").click()
    page.locator("#bloccato").wait_for()
    foto("revisione-oiv-cinisello-S08_15", full_page=True)
    page.goto(f"{url}/cinisello-balsamo/valutazione/")
    page.get_by_role("link", name="Esamina 2019_S08_07 (2019)").click()
    page.get_by_role("button", name="Valida").click()
    page.locator("#bloccato").wait_for()
    page.get_by_role("link", name="andamento").first.click()
    page.wait_for_load_state()
    foto("andamento-cinisello-S08_07", full_page=True)
    page.goto(f"{url}/cinisello-balsamo/")
    page.locator("a[href*='/piani/']").first.click()
    page.get_by_role("link", name="Cruscotto e grafici").click()
    foto("cruscotto-cinisello", full_page=True)
    page.locator("#per-settore ~ * a, section a[href*='/settori/']").first.click()
    page.wait_for_load_state()
    foto("settore-cinisello-gantt", full_page=True)
    page.go_back()
    page.go_back()
    page.get_by_role("link", name="Relazione sulla performance").click()
    foto("relazione-cinisello", full_page=True)
    _esci(page)


def main(solo):
    with tempfile.TemporaryDirectory(prefix="peg-shots-") as var:
        env = {**os.environ, "PEG_VAR_DIR": var, "DEBUG": "0"}
        env.pop("DATABASE_URL", None)
        _manage(env, "migrate", "--noinput", "-v0")
        _manage(env, "carica_demo", stdout=subprocess.DEVNULL)
        _manage(env, "collectstatic", "--noinput", "-v0")
        pks = _manage(env, "shell", "-c", PREPARA, capture_output=True, text=True).stdout
        vi1, vi2 = pks.split()[-2:]
        porta = _porta()
        server = subprocess.Popen(
            [PYTHON, "manage.py", "runserver", f"127.0.0.1:{porta}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            time.sleep(3)
            with sync_playwright() as p:
                browser = p.chromium.launch(
                    executable_path="/usr/bin/chromium",
                    args=ARGS,
                    env={**os.environ, "LANG": "it_IT.UTF-8", "LANGUAGE": "it"},
                )
                page = browser.new_page(viewport={"width": 1366, "height": 1000}, locale="it-IT")
                scatta(page, f"http://127.0.0.1:{porta}", vi1, vi2, solo)
                browser.close()
        finally:
            server.terminate()


if __name__ == "__main__":
    main(set(sys.argv[1:]))
