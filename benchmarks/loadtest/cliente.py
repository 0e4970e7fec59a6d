"""The load test's users: what a responsabile's browser sends, timed (standard library only).

One thread per user, each with its own keep-alive connection and cookies. A user logs in
through the login page, then repeats the realistic mix on one of his schede, with a think
time between requests:

    home → scheda → rendicontazione → live preview (htmx) ×2 → save (→ the page again)

The forms are posted as the browser would (every field of the page's form, the CSRF token,
the scheda's ``versione``), with one value changed. Every answer is checked (status, and
for a save the redirect that means «saved»): anything else is an error of its kind.

No third-party client: nothing to install, nothing that breaks offline (benchmarks/loadtest/
esegui.py starts the server and prints the figures; tests/test_loadtest.py runs the mix).
"""

from __future__ import annotations

import contextlib
import http.client
import random
import re
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import urlencode, urlsplit

TIPI = ("home", "scheda", "rendicontazione", "anteprima", "salva")
_FORM = re.compile(r'<form[^>]*id="rendicontazione-form".*?</form>', re.S)
_CAMPO = re.compile(
    r"<(input)\b([^>]*)>()|<(textarea|select)\b([^>]*)>(.*?)</(?:textarea|select)>", re.S | re.I
)
_ATTR = re.compile(r'([\w-]+)(?:="([^"]*)")?')
_OPZIONE = re.compile(r"<option\b([^>]*)>", re.I)
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def campi_del_form(html: str) -> dict[str, str] | None:
    """The rendicontazione form's fields as a browser posts them (None: no form)."""
    trovato = _FORM.search(html)
    if trovato is None:
        return None
    campi = {}
    for trovati in _CAMPO.findall(trovato.group(0)):
        tag, attributi, dentro = trovati[:3] if trovati[0] else trovati[3:]
        a = {k.lower(): unescape(v) for k, v in _ATTR.findall(attributi)}
        nome, tipo = a.get("name"), a.get("type", "text")
        if not nome or tipo in ("submit", "button"):
            continue
        if tag.lower() == "input":
            if tipo in ("checkbox", "radio") and "checked" not in a:
                continue
            campi[nome] = a.get("value", "on" if tipo == "checkbox" else "")
        elif tag.lower() == "textarea":
            campi[nome] = unescape(dentro.removeprefix("\n"))
        else:
            opzioni = [dict(_ATTR.findall(o)) for o in _OPZIONE.findall(dentro or "")]
            scelta = [o for o in opzioni if "selected" in o] or opzioni[:1]
            campi[nome] = unescape(scelta[0].get("value", "")) if scelta else ""
    return campi


def posta_come_il_browser(client, url: str, dati: dict, **extra):
    """A Django test client's POST with the body a browser (and htmx) sends for a form
    without files: urlencoded. The test client's default is multipart, whose parsing
    alone would be half the time of a live preview."""
    corpo = urlencode(dati, doseq=True)
    return client.post(url, corpo, content_type="application/x-www-form-urlencoded", **extra)


def con_un_valore_nuovo(campi: dict[str, str], rng: random.Random) -> dict[str, str]:
    """The form with one achieved value changed, as a responsabile types it."""
    nuovi = dict(campi)
    modificabili = sorted(k for k in campi if k.endswith("finale_valore"))
    if modificabili:
        nuovi[rng.choice(modificabili)] = str(rng.randint(1, 140))
    return nuovi


@dataclass
class Misure:
    """Latencies (ms) and errors per request kind, shared by the users' threads."""

    tempi: dict = field(default_factory=lambda: defaultdict(list))
    errori: dict = field(default_factory=lambda: defaultdict(int))
    esempi: dict = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def registra(self, tipo: str, ms: float, errore: str | None = None) -> None:
        with self._lock:
            self.tempi[tipo].append(ms)
            if errore:
                self.errori[tipo] += 1
                self.esempi.setdefault(tipo, errore)

    def richieste(self) -> int:
        return sum(len(v) for v in self.tempi.values())

    def totale_errori(self) -> int:
        return sum(self.errori.values())


def percentile(valori: list[float], p: float) -> float:
    """The nearest-rank percentile (0 for no values)."""
    if not valori:
        return 0.0
    ordinati = sorted(valori)
    return ordinati[min(len(ordinati) - 1, max(0, round(p / 100 * len(ordinati) + 0.5) - 1))]


class ErroreRisposta(Exception):
    pass


class Utente:
    """One browser: a keep-alive connection, its cookies, timed requests."""

    def __init__(self, base_url: str, misure: Misure, timeout: float = 30):
        parti = urlsplit(base_url)
        self.host, self.port = parti.hostname, parti.port or 80
        self.timeout = timeout
        self.misure = misure
        self.cookie: dict[str, str] = {}
        self.conn = None

    def _connessione(self):
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        return self.conn

    def richiesta(self, tipo, metodo, path, dati=None, intestazioni=None, atteso=(200,)):
        """(status, headers, body); timed under ``tipo`` (None: not timed). An unexpected
        status or a broken connection is an error of that kind, raised after recording."""
        corpo = urlencode(dati).encode() if dati is not None else None
        h = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookie.items())}
        if corpo is not None:
            h["Content-Type"] = "application/x-www-form-urlencoded"
            h["X-CSRFToken"] = self.cookie.get("csrftoken", "")
            h["Referer"] = f"http://{self.host}:{self.port}{path}"
        h.update(intestazioni or {})
        inizio = time.perf_counter()
        try:
            try:
                r, testo = self._invia(metodo, path, corpo, h)
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed the idle kept-alive connection as we sent: a browser
                # sends again on a new connection.
                self.chiudi()
                r, testo = self._invia(metodo, path, corpo, h)
        except (OSError, http.client.HTTPException) as exc:
            self.chiudi()
            if tipo:
                self.misure.registra(tipo, (time.perf_counter() - inizio) * 1000, repr(exc))
            raise ErroreRisposta(f"{metodo} {path}: {exc!r}") from exc
        ms = (time.perf_counter() - inizio) * 1000
        for valore in r.headers.get_all("Set-Cookie") or ():
            nome, _, resto = valore.partition("=")
            self.cookie[nome.strip()] = resto.split(";", 1)[0]
        errore = None if r.status in atteso else f"{metodo} {path}: HTTP {r.status}"
        if tipo:
            self.misure.registra(tipo, ms, errore)
        if errore:
            raise ErroreRisposta(errore)
        return r.status, r.headers, testo.decode("utf-8", "replace")

    def _invia(self, metodo, path, corpo, h):
        conn = self._connessione()
        conn.request(metodo, path, body=corpo, headers=h)
        r = conn.getresponse()
        testo = r.read()
        if r.getheader("Connection", "").lower() == "close":
            self.chiudi()
        return r, testo

    def chiudi(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def accedi(self, login_path: str, username: str, password: str) -> None:
        _, _, pagina = self.richiesta(None, "GET", login_path)
        token = _CSRF.search(pagina)
        dati = {
            "csrfmiddlewaretoken": token.group(1) if token else "",
            "username": username,
            "password": password,
        }
        self.richiesta(None, "POST", login_path, dati, atteso=(302,))


@dataclass
class Scheda:
    """The addresses of one scheda of the user's."""

    pagina: str
    rendicontazione: str
    anteprima: str


def giro(utente: Utente, home: str, scheda: Scheda, rng, pausa) -> None:
    """One pass of the mix on one scheda; ``pausa()`` is the think time after each step."""
    utente.richiesta("home", "GET", home)
    pausa()
    utente.richiesta("scheda", "GET", scheda.pagina)
    pausa()
    _, _, pagina = utente.richiesta("rendicontazione", "GET", scheda.rendicontazione)
    campi = campi_del_form(pagina)
    if campi is None:
        utente.misure.registra("rendicontazione", 0, "pagina senza il modulo")
        return
    pausa()
    for _ in range(2):
        utente.richiesta(
            "anteprima",
            "POST",
            scheda.anteprima,
            con_un_valore_nuovo(campi, rng),
            {"HX-Request": "true", "HX-Current-URL": scheda.rendicontazione},
        )
        pausa()
    # Saved: 302 to the page again, which the browser loads (a «rendicontazione» request).
    _, intestazioni, _ = utente.richiesta(
        "salva", "POST", scheda.rendicontazione, con_un_valore_nuovo(campi, rng), atteso=(302,)
    )
    utente.richiesta("rendicontazione", "GET", urlsplit(intestazioni["Location"]).path or "/")
    pausa()


def simula(
    base_url: str,
    utenti: list[tuple[str, str, list[Scheda]]],
    *,
    durata: float,
    pensa: tuple[float, float] = (0.5, 1.5),
    home: str = "/",
    login: str = "/accesso/",
    seme: int = 1,
    sessioni: list[Utente] | None = None,
) -> tuple[Misure, float]:
    """Every user (logged in first, unless ``sessioni`` are given) repeats the mix for
    ``durata`` seconds; (measures, seconds actually run). A step that fails ends that
    pass: the user starts the next one, as a person reloads."""
    misure = Misure()
    if sessioni is None:
        sessioni = accedi_tutti(base_url, utenti, login)
    for s in sessioni:
        s.misure = misure
    fine = time.monotonic() + durata
    stop = threading.Event()

    def utente(n: int, sessione: Utente, schede: list[Scheda]) -> None:
        rng = random.Random(seme * 1000 + n)

        def pausa():
            if pensa[1] > 0:
                stop.wait(rng.uniform(*pensa))
            if time.monotonic() >= fine:
                raise TimeoutError

        try:
            stop.wait(rng.uniform(0, pensa[1]))  # not all at the same instant
            while time.monotonic() < fine:
                try:
                    giro(sessione, home, rng.choice(schede), rng, pausa)
                except ErroreRisposta:
                    pausa()
        except TimeoutError:
            pass

    inizio = time.monotonic()
    fili = [
        threading.Thread(target=utente, args=(n, s, schede), daemon=True)
        for n, (s, (_, _, schede)) in enumerate(zip(sessioni, utenti, strict=True))
    ]
    for f in fili:
        f.start()
    for f in fili:
        f.join(durata + 60)
    stop.set()
    return misure, time.monotonic() - inizio


def accedi_tutti(base_url, utenti, login="/accesso/", paralleli=4, timeout=30) -> list[Utente]:
    """Log every user in (a few at a time: a login hashes the password on purpose slowly)."""
    sessioni = [Utente(base_url, Misure(), timeout) for _ in utenti]
    coda = list(zip(sessioni, utenti, strict=True))
    lock = threading.Lock()

    def lavora():
        while True:
            with lock:
                if not coda:
                    return
                sessione, (username, password, _) = coda.pop()
            sessione.timeout = 120  # a login hashes: slow on a busy machine, not an error
            for _tentativo in range(2):
                try:
                    sessione.accedi(login, username, password)
                    break
                except ErroreRisposta:
                    sessione.chiudi()
            sessione.chiudi()
            sessione.timeout = timeout

    fili = [threading.Thread(target=lavora) for _ in range(min(paralleli, len(utenti)))]
    for f in fili:
        f.start()
    for f in fili:
        f.join()
    mancanti = [
        u for s, (u, _, _) in zip(sessioni, utenti, strict=True) if "sessionid" not in s.cookie
    ]
    if mancanti:
        raise ErroreRisposta(f"accesso non riuscito: {', '.join(mancanti[:5])}")
    return sessioni


def martella(base_url: str, path: str, *, durata: float, paralleli: int) -> tuple[Misure, float]:
    """The ceiling of one page: ``paralleli`` clients asking it again and again."""
    misure = Misure()
    fine = time.monotonic() + durata

    def cliente():
        u = Utente(base_url, misure)
        while time.monotonic() < fine:
            with contextlib.suppress(ErroreRisposta):
                u.richiesta("banale", "GET", path)
        u.chiudi()

    inizio = time.monotonic()
    fili = [threading.Thread(target=cliente) for _ in range(paralleli)]
    for f in fili:
        f.start()
    for f in fili:
        f.join()
    return misure, time.monotonic() - inizio
