"""The README's «Da provare con i dati demo», as each demo user, with what a user meets.

On the demo of ``make run`` (``carica_demo``: the four comuni, the demo users and
campagne) segreteria, meschi, conti, chiozzi and oiv log in with Chromium and open the
pages the README's steps go through (home, piano, scheda, pianificazione, campagne,
rendicontazione, validazione, cruscotto, relazione, Excel import, password); from there
every link within the user's comuni is followed, two levels deep, GET only. Each page
must answer without a server error and never with an English or demo error page; each
HTML page is in the product's layout (templates/base.html) and every link the product
shows opens (a link that ends in 403/404/405 is a dead end); in Chromium the console
shows no error (a missing file, a script error, a refused resource).

Bounded: at most ``PER_ROTTA`` addresses of the same route (by ``resolve().url_name``,
per comune) per user, and each route opened in Chromium once (the others by HTTP in
the same session). Downloads (PDF, Excel, allegati, stemma) are left to
tests/test_pdf.py, tests/test_excel.py and tests/test_matrice_accessi.py, where they
are checked without WeasyPrint's seconds per file.
"""

import io
import re
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import Resolver404, resolve

from objectives.models import Obiettivo
from objectives.modifiche import esegui
from peg.models import Comune

from .test_scheda_browser import _login, browser_page  # noqa: F401 (fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

UTENTI = ("segreteria", "meschi", "conti", "chiozzi", "oiv")
# From the home: piano (1), its pages (2: scheda, campagne, cruscotto, relazione, Excel),
# theirs (3: rendicontazione, pianificazione, validazione, settore, andamento).
PROFONDITA = 3
PER_ROTTA = 1
# Files, not pages: checked elsewhere (see the module's docstring).
SCARICAMENTI = {
    "pdf_scheda",
    "pdf_rendicontazione",
    "pdf_settore",
    "pdf_relazione",
    "excel_esporta",
    "excel_modello",
    "scarica_stampa",
    "allegato",
    "comune_logo",
    "favicon",
    "piao_documento",  # tests/test_piao.py
    "modello_organigramma",  # tests/test_organigramma.py
    "trasparenza_logo",  # tests/test_trasparenza*.py
    "trasparenza_piano_pdf",
    "trasparenza_relazione_pdf",
    "trasparenza_catalogo",
    "trasparenza_dati_csv",
    "trasparenza_dati_json",
    "robots_txt",
}
# Outside any comune but part of the walk: the home, the password, the login.
FUORI_COMUNE = {"", "password", "accesso"}
# Django's and the theme's texts: a page showing one is not the product's.
INGLESE = re.compile(
    r"Forbidden|Not Found|Server Error|Bad Request|Method Not Allowed|CSRF verification"
    r"|Lorem|Page or Resource|Nome Ente|Traceback"
)
LAYOUT = '<main id="contenuto"'


class _Link(HTMLParser):
    def __init__(self):
        super().__init__()
        self.href: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a" and (href := dict(attrs).get("href")):
            self.href.append(href)


def _link(html: str) -> list[str]:
    parser = _Link()
    parser.feed(html)
    return parser.href


@pytest.fixture
def demo_make_run():
    """The demo of ``make run``, with the two moves the README asks before its steps 1
    and 4: a Chiavari scheda back in bozza (segreteria: Riporta in bozza…) and one in
    monitoraggio (Avvia il monitoraggio). The comuni and, per user, the schede to start
    from besides the home."""
    # DB work here, before Playwright's event loop starts (see test_scheda_browser).
    call_command("carica_demo", stdout=io.StringIO())
    segreteria = get_user_model().objects.get(username="segreteria")
    chiavari = Obiettivo.objects.filter(piano__comune__slug="chiavari", anno=2019)
    monitoraggio, bozza = chiavari.get(codice="VI - 1"), chiavari.get(codice="VI - 2")
    esegui(monitoraggio, segreteria, "avvia_monitoraggio")
    esegui(bozza, segreteria, "riapri_bozza", motivazione="Da rivedere gli indicatori.")
    schede = [f"/chiavari/obiettivi/{o.pk}/" for o in (monitoraggio, bozza)]
    return {c.slug for c in Comune.objects.all()}, {"segreteria": schede, "meschi": schede}


class Giro:
    """One user's walk: the queue of addresses, what was seen, what is wrong."""

    def __init__(self, page, base: str, utente: str, comuni: set[str], aperte: set[str]):
        self.page, self.base, self.utente, self.comuni = page, base, utente, comuni
        self.aperte = aperte  # routes already opened in Chromium (by any user)
        self.visti: set[str] = set()
        self.per_rotta: Counter = Counter()
        self.coda: deque = deque()
        self.problemi: list[str] = []

    def rotta(self, url: str) -> str | None:
        """The route name of an address to follow; None for one to leave alone (another
        site, the admin, static files, the logout)."""
        parti = urlsplit(url)
        primo = parti.path.strip("/").split("/")[0]
        if primo not in self.comuni and primo not in FUORI_COMUNE:
            return None
        try:
            nome = resolve(parti.path).url_name
        except Resolver404:
            return "?"  # a link to nowhere: followed, it must say so in the layout
        return None if nome in SCARICAMENTI else nome

    def accoda(self, url: str, profondita: int, da: str, passo: bool = False) -> None:
        """Queues an address not seen yet, within ``PER_ROTTA`` unless it is a README
        step's own page (``passo``)."""
        url = urldefrag(urljoin(self.base + da if da.startswith("/") else self.base, url)).url
        if not url.startswith(self.base + "/"):
            return
        url = url[len(self.base) :]
        if url in self.visti:
            return
        nome = self.rotta(url)
        if nome is None:
            return
        comune = urlsplit(url).path.strip("/").split("/")[0]
        if self.per_rotta[nome, comune] >= PER_ROTTA and not passo:
            return
        self.per_rotta[nome, comune] += 1
        self.visti.add(url)
        self.coda.append((url, profondita, nome, da))

    def apri(self, url: str, nome: str, da: str) -> list[str]:
        """Opens a page (in Chromium the first time of its route); its links."""
        if nome not in self.aperte:
            self.aperte.add(nome)
            risposta = self.page.goto(self.base + url)
            stato, tipo = risposta.status, risposta.headers.get("content-type", "")
            html = self.page.content() if "html" in tipo else ""
        else:
            risposta = self.page.request.get(self.base + url, max_redirects=0)
            stato, tipo = risposta.status, risposta.headers.get("content-type", "")
            html = risposta.text() if "html" in tipo else ""
        dove = f"{self.utente} {url} (da {da})"
        if stato in (301, 302):
            self.accoda(risposta.headers["location"], PROFONDITA, url)
            return []
        if stato != 200:
            self.problemi.append(f"{dove}: {stato}")
        if "html" not in tipo:
            return []
        if LAYOUT not in html:
            self.problemi.append(f"{dove}: {stato} senza la grafica del prodotto")
        if trovato := INGLESE.search(html):
            self.problemi.append(f"{dove}: {stato} con «{trovato.group(0)}»")
        return _link(html)

    def cammina(self, passi: list[str], partenze: list[str]) -> None:
        for url in passi:
            self.accoda(url, 1, "README", passo=True)
        for url in partenze:
            self.accoda(url, 0, "README")
        while self.coda:
            url, profondita, nome, da = self.coda.popleft()
            for link in self.apri(url, nome, da):
                if profondita < PROFONDITA:
                    self.accoda(link, profondita + 1, url)


def _partenze(page, base: str) -> list[str]:
    """The README's starting point, the home (its comuni, piani, the OIV's queue), and
    the password page of the header."""
    page.goto(base + "/")
    return ["/", *_link(page.content()), "/password/"]


def test_il_giro_del_readme_senza_errori(live_server, demo_make_run, browser_page):  # noqa: F811
    page, base = browser_page, live_server.url
    aperte: set[str] = set()
    problemi, console, visitate = [], [], 0
    page.on(
        "console",
        lambda m: console.append(f"{page.url}: {m.text}") if m.type == "error" else None,
    )
    page.on("pageerror", lambda errore: console.append(f"{page.url}: {errore}"))
    comuni, schede = demo_make_run
    for utente in UTENTI:
        _login(page, base, utente)
        giro = Giro(page, base, utente, comuni, aperte)
        giro.cammina(schede.get(utente, []), _partenze(page, base))
        problemi += giro.problemi
        visitate += len(giro.visti)
        page.goto(base + "/")  # the walk may end on a public page, without «Esci»
        page.get_by_role("button", name="Esci").click()
        page.get_by_role("heading", name="Accesso").wait_for()
    print(f"{visitate} indirizzi; rotte aperte in Chromium: {sorted(aperte)}")
    assert visitate > 80, visitate
    assert not problemi and not console, "\n".join(
        [f"{len(problemi)} problemi:", *problemi, "errori nella console:", *console]
    )
