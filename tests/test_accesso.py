"""Login hardening: lock after repeated failures and the segreteria's unlock, password
reset by e-mail, idle sessions, no caching of private answers, the Content-Security-
Policy and the production settings (``check --deploy``)."""

import datetime
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessAttemptExpiration
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from peg.models import Ruolo, Sblocco
from reporting import pdf

from .factories import PDF
from .utenti import utente

pytestmark = pytest.mark.django_db

RADICE = Path(__file__).resolve().parent.parent
LOGIN = "/accesso/"


def _prova(client, username, password="sbagliata"):
    return client.post(reverse("login"), {"username": username, "password": password})


def _sbaglia(client, username, volte):
    return [_prova(client, username).status_code for _ in range(volte)]


def _indietro(username, minuti):
    """Move the username's recorded failures ``minuti`` into the past."""
    delta = datetime.timedelta(minutes=minuti)
    for tentativo in AccessAttempt.objects.filter(username=username):
        tentativo.attempt_time -= delta
        tentativo.save(update_fields=["attempt_time"])
    for scadenza in AccessAttemptExpiration.objects.filter(access_attempt__username=username):
        scadenza.expires_at -= delta
        scadenza.save(update_fields=["expires_at"])


def _entra(username, password="demo"):
    """A fresh client that tries to log in: (status, logged in?)."""
    client = Client()
    risposta = _prova(client, username, password)
    return risposta.status_code, "_auth_user_id" in client.session


# ---------------------------------------------------------------- lock


def test_cinque_errori_bloccano_l_utente_con_un_messaggio_nella_pagina(client, ente):
    username = ente.responsabile_a.username
    assert _sbaglia(client, username, 4) == [200] * 4
    risposta = _prova(client, username)
    assert risposta.status_code == 429
    pagina = risposta.content.decode()
    assert "base.html" in [t.name for t in risposta.templates]
    assert "Accesso bloccato" in pagina
    assert f"Dopo 5 tentativi non riusciti l'utente «{username}» non può entrare per 30 minuti" in (
        re.sub(r"\s+", " ", pagina)
    )
    assert "Password dimenticata?" in pagina
    # The right password no longer opens, for him only.
    assert _entra(username) == (429, False)
    assert _entra(ente.responsabile_b.username) == (302, True)


def test_gli_errori_contano_per_15_minuti_il_blocco_dura_30(ente):
    username = ente.responsabile_a.username
    _sbaglia(Client(), username, 4)
    _indietro(username, 16)  # the 4 failures are older than the window
    assert _sbaglia(Client(), username, 1) == [200]
    assert _entra(username) == (302, True)  # a success clears the failures

    assert _sbaglia(Client(), username, 5)[-1] == 429
    _indietro(username, 20)  # past the window, still inside the lock
    assert _entra(username) == (429, False)
    _indietro(username, 11)  # 31 minutes after the lock
    assert _entra(username) == (302, True)


def test_limiti_dall_ambiente(tmp_path):
    ambiente = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    ambiente |= {
        "DJANGO_SETTINGS_MODULE": "peg.settings",
        "PEG_VAR_DIR": str(tmp_path),
        "AXES_FAILURE_LIMIT": "3",
        "AXES_FAILURE_WINDOW_MINUTES": "10",
        "AXES_COOLOFF_MINUTES": "60",
        "SESSION_COOKIE_AGE": "900",
    }
    codice = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.AXES_FAILURE_LIMIT, s.AXES_FAILURE_WINDOW_MINUTES, s.AXES_COOLOFF_MINUTES, "
        "s.SESSION_COOKIE_AGE)"
    )
    esito = subprocess.run(
        [sys.executable, "-c", codice], cwd=RADICE, env=ambiente, capture_output=True, text=True
    )
    assert esito.returncode == 0, esito.stderr
    assert esito.stdout.split() == ["3", "10", "60", "900"]


# ---------------------------------------------------------------- unlock


def test_la_segreteria_vede_e_sblocca_un_utente_del_comune(client, ente):
    username = ente.responsabile_a.username
    _sbaglia(Client(), username, 5)
    _sbaglia(Client(), ente.oiv.username, 2)  # failures, not locked
    client.force_login(ente.segreteria)
    pagina = client.get(reverse("accessi_bloccati", args=[ente.comune.slug])).content.decode()
    assert f"Sblocca {username}" in pagina and "bloccato fino alle" in pagina
    assert f"Sblocca {ente.oiv.username}" not in pagina and "non bloccato" in pagina

    risposta = client.post(
        reverse("sblocca_accesso", args=[ente.comune.slug]), {"username": username}, follow=True
    )
    assert f"({username}) sbloccato: può di nuovo entrare" in risposta.content.decode()
    sblocco = Sblocco.objects.get()
    assert (sblocco.comune, sblocco.utente, sblocco.sbloccato_da, sblocco.tentativi) == (
        ente.comune,
        ente.responsabile_a,
        ente.segreteria,
        5,
    )
    pagina = risposta.content.decode()
    assert "Sblocchi registrati" in pagina and "Nessuno sblocco registrato" not in pagina
    assert f"Sblocca {username}" not in pagina
    assert _entra(username) == (302, True)


def test_sbloccare_chi_non_e_bloccato_non_registra_nulla(client, ente):
    client.force_login(ente.segreteria)
    risposta = client.post(
        reverse("sblocca_accesso", args=[ente.comune.slug]),
        {"username": ente.oiv.username},
        follow=True,
    )
    assert "non è bloccato: nulla da sbloccare" in risposta.content.decode()
    assert not Sblocco.objects.exists()


@pytest.mark.parametrize("profilo", ["responsabile_a", "responsabile_b", "oiv", "lettore"])
def test_gli_altri_ruoli_non_vedono_ne_sbloccano(client, ente, profilo):
    # Not one of the profiles: their force_login would clear his failures (a success).
    username = utente(ente.comune, Ruolo.Tipo.LETTORE).username
    _sbaglia(Client(), username, 5)
    client.force_login(ente.profilo(profilo))
    pagina = client.get(reverse("accessi_bloccati", args=[ente.comune.slug]))
    assert pagina.status_code == 403
    assert "solo la segreteria del comune" in pagina.content.decode()
    sblocco = client.post(
        reverse("sblocca_accesso", args=[ente.comune.slug]), {"username": username}
    )
    assert sblocco.status_code == 403
    assert _entra(username) == (429, False)


def test_la_segreteria_di_un_altro_comune_non_sblocca_gli_utenti_di_questo(client, ente):
    username = ente.responsabile_a.username
    _sbaglia(Client(), username, 5)
    client.force_login(ente.estraneo)  # segreteria of altro_comune
    suo = ente.altro_comune.slug
    assert client.get(reverse("accessi_bloccati", args=[ente.comune.slug])).status_code == 404
    pagina = client.get(reverse("accessi_bloccati", args=[suo])).content.decode()
    assert username not in pagina
    for slug in (ente.comune.slug, suo):
        risposta = client.post(reverse("sblocca_accesso", args=[slug]), {"username": username})
        assert risposta.status_code == 404
    assert not Sblocco.objects.exists()
    assert _entra(username) == (429, False)


# ---------------------------------------------------------------- password reset


def test_password_dimenticata_dall_e_mail_al_nuovo_accesso(client, ente, settings):
    settings.SITE_URL = "http://testserver"
    utente = ente.responsabile_a
    pagina = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("password_reset")}">Password dimenticata?</a>' in pagina

    risposta = client.post(reverse("password_reset"), {"email": utente.email}, follow=True)
    assert "Controlla la posta" in risposta.content.decode()
    (messaggio,) = mail.outbox
    assert messaggio.to == [utente.email]
    assert messaggio.subject == f"PEG - nuova password per {utente.username}"
    assert "è stata chiesta una nuova password per il tuo utente" in messaggio.body
    assert "scade dopo 60 minuti" in messaggio.body
    (link,) = re.findall(r"http://testserver(/password/nuova/\S+/)", messaggio.body)

    modulo = client.get(link, follow=True)
    assert "Scegli la nuova password" in modulo.content.decode()
    nuova = "Obiettivi-2019-verdi"
    (indirizzo, _), *_ = modulo.redirect_chain  # Django hides the token from the page's URL
    fatto = client.post(indirizzo, {"new_password1": nuova, "new_password2": nuova}, follow=True)
    assert "La nuova password è salvata" in fatto.content.decode()
    assert _entra(utente.username, nuova) == (302, True)
    # The link works once.
    assert "Il collegamento non è valido" in client.get(link, follow=True).content.decode()


def test_la_nuova_password_toglie_il_blocco(client, ente, settings):
    settings.SITE_URL = "http://testserver"
    utente = ente.responsabile_a
    _sbaglia(Client(), utente.username, 5)
    client.post(reverse("password_reset"), {"email": utente.email})
    (link,) = re.findall(r"http://testserver(/password/nuova/\S+/)", mail.outbox[0].body)
    modulo = client.get(link)
    nuova = "Obiettivi-2019-verdi"
    client.post(modulo["Location"], {"new_password1": nuova, "new_password2": nuova})
    assert _entra(utente.username, nuova) == (302, True)


def test_password_dimenticata_con_un_indirizzo_sconosciuto_non_invia_nulla(client, ente):
    risposta = client.post(reverse("password_reset"), {"email": "nessuno@example.org"})
    assert risposta.status_code == 302
    assert mail.outbox == []


# ---------------------------------------------------------------- sessions


def _sessione(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_la_sessione_scade_dopo_un_ora_senza_richieste(client, ente):
    assert settings.SESSION_COOKIE_AGE == 3600
    client.force_login(ente.segreteria)
    assert client.get(reverse("home")).status_code == 200
    sessione = _sessione(client)
    sessione.expire_date = timezone.now() - datetime.timedelta(seconds=1)
    sessione.save()
    risposta = client.get(reverse("home"))
    assert risposta.status_code == 302 and risposta["Location"].startswith(LOGIN)


def test_ogni_richiesta_rinnova_la_sessione(client, ente):
    client.force_login(ente.segreteria)
    client.get(reverse("home"))
    # Two minutes of inactivity later (the renewal is at most once a minute)...
    dati = client.session
    dati["_peg_visto"] -= 120
    dati.save()
    sessione = _sessione(client)
    sessione.expire_date = timezone.now() + datetime.timedelta(minutes=58)
    sessione.save()
    risposta = client.get(reverse("home"))
    scadenza = _sessione(client).expire_date - timezone.now()
    assert datetime.timedelta(minutes=59) < scadenza <= datetime.timedelta(minutes=60)
    assert risposta.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 3600


# ---------------------------------------------------------------- Cache-Control


@pytest.fixture
def pdf_finto(monkeypatch):
    monkeypatch.setattr(pdf, "html_to_pdf", lambda html: PDF)


@pytest.mark.parametrize("rotta", ["obiettivo", "pdf_scheda", "excel_esporta", "home"])
def test_nessuna_cache_per_le_risposte_a_chi_e_entrato(client, ente, pdf_finto, rotta):
    scheda = ente.scheda("in_monitoraggio", "con_rilevazioni")
    argomenti = {
        "obiettivo": [ente.comune.slug, scheda.pk],
        "pdf_scheda": [ente.comune.slug, scheda.pk],
        "excel_esporta": [ente.comune.slug, ente.piano.pk],
        "home": [],
    }[rotta]
    client.force_login(ente.segreteria)
    risposta = client.get(reverse(rotta, args=argomenti))
    assert risposta.status_code == 200
    direttive = {d.strip() for d in risposta["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= direttive and "public" not in direttive


# ---------------------------------------------------------------- Content-Security-Policy


def test_csp_solo_script_propri(client, ente):
    client.force_login(ente.segreteria)
    risposta = client.get(reverse("home"))
    politica = dict(
        (parte.split(" ", 1) + [""])[:2]
        for parte in risposta["Content-Security-Policy"].split("; ")
    )
    assert politica["script-src"].split()[0] == "'self'"
    assert "'unsafe-inline'" not in politica["script-src"]
    assert "'unsafe-eval'" not in politica["script-src"]
    assert politica["default-src"] == "'self'" and politica["object-src"] == "'none'"
    assert "http" not in risposta["Content-Security-Policy"]  # no CDN


SCRIPT_INLINE = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE)
ATTRIBUTO_ON = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)


@pytest.mark.parametrize("rotta", ["login", "home", "password_reset"])
def test_le_pagine_non_hanno_script_inline(client, ente, rotta):
    if rotta == "home":
        client.force_login(ente.segreteria)
    pagina = client.get(reverse(rotta)).content.decode()
    assert SCRIPT_INLINE.findall(pagina) == []
    assert ATTRIBUTO_ON.findall(pagina) == []
    assert "__PUBLIC_PATH__" not in pagina and "loadFonts" not in pagina


def test_i_nostri_template_non_hanno_script_inline():
    """The browser test (tests/browser/test_csp.py) loads the main pages; this covers
    every template of ours, also the ones it does not open."""
    trovati = []
    for percorso in sorted((RADICE / "templates").rglob("*.html")):
        if "pdf" in percorso.relative_to(RADICE / "templates").parts:
            continue  # read by WeasyPrint, never by a browser
        testo = percorso.read_text()
        for regola in (SCRIPT_INLINE, ATTRIBUTO_ON):
            trovati += [f"{percorso.relative_to(RADICE)}: {m}" for m in regola.findall(testo)]
    assert trovati == []


# ---------------------------------------------------------------- production settings


def ambiente_di_produzione(cartella: Path) -> dict[str, str]:
    """The variables of /etc/peg.env as docs/deploy.md writes them, with a real key
    (the document says to generate it) and a temporary PEG_VAR_DIR."""
    documento = (RADICE / "docs" / "deploy.md").read_text()
    blocco = re.search(r"cat > /etc/peg.env <<'ENV'\n(.*?)\nENV\n", documento, re.DOTALL)
    assert blocco, "docs/deploy.md: manca il blocco di /etc/peg.env"
    variabili = dict(
        riga.split("=", 1) for riga in blocco.group(1).splitlines() if riga and riga[0] != "#"
    )
    variabili |= {"SECRET_KEY": secrets.token_urlsafe(50), "PEG_VAR_DIR": str(cartella)}
    return variabili


def test_check_deploy_pulito_con_l_ambiente_documentato(tmp_path):
    produzione = ambiente_di_produzione(tmp_path)
    assert produzione["SECURE_SSL_REDIRECT"] == "1"
    assert int(produzione["SECURE_HSTS_SECONDS"]) >= 31536000
    ambiente = {
        k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "DJANGO_"))
    }
    esito = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=RADICE,
        env=ambiente | produzione,
        capture_output=True,
        text=True,
    )
    assert esito.returncode == 0, esito.stdout + esito.stderr
    assert "System check identified no issues" in esito.stdout
