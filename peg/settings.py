"""Settings read from the environment.

With no configuration at all the app runs on a SQLite file in ``var/``; set
``DATABASE_URL`` (e.g. ``postgres://user:pass@host:5432/peg``) for PostgreSQL.
A wrong value stops start-up with a message saying which variable is wrong.
"""

import contextlib
import os
import secrets
import tempfile
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PEG_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "si", "sì", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r}: valore non valido, usare 1/0, true/false, yes/no."
    )


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in var/.

    Processes starting together (server, worker) agree on one key: each writes its
    own candidate to a private temporary file and links it to ``secret_key``; the link
    either appears whole or fails because another process's key is already there, and
    everyone reads the file back, so no one ever reads it half-written."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    key_file = VAR_DIR / "secret_key"
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    if not key_file.exists():
        # Readable by the owner only (mkstemp: 0o600), complete before it is linked.
        fd, candidate = tempfile.mkstemp(dir=VAR_DIR, prefix=".secret_key.")
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(50))
                handle.flush()
                os.fsync(handle.fileno())
            with contextlib.suppress(FileExistsError):
                os.link(candidate, key_file)
        finally:
            os.unlink(candidate)
    if key := key_file.read_text().strip():
        return key
    raise ImproperlyConfigured(
        f"{key_file} è vuoto: cancellarlo (se ne genera uno nuovo) o impostare SECRET_KEY."
    )


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "bootstrap_italia_template",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "template_partials",
    "simple_history",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "peg",
    "objectives",
    "indicators",
    "reporting",
    "valutazione",
    "piao",
    "trasparenza",
    "individuale",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Records who made each change in the audit trail.
    "simple_history.middleware.HistoryRequestMiddleware",
    # A scheda saved meanwhile by someone else: 409 with what changed (objectives.http).
    "objectives.http.ErroriModifica",
    # Login hardening (peg.sicurezza, see the "Accesso e sicurezza" block below).
    "csp.middleware.CSPMiddleware",
    "peg.sicurezza.SessioneInattiva",
    "peg.sicurezza.NessunaCacheSeAutenticato",
    "axes.middleware.AxesMiddleware",
]

# -- Error pages (peg.errori, peg.views) ---------------------------------------------
# A 405 with an empty body (require_POST, require_safe) gets the page in the layout; a
# form posted without a valid CSRF token gets the Italian page, not Django's English one.
MIDDLEWARE.append("peg.errori.MetodoNonAmmesso")
CSRF_FAILURE_VIEW = "peg.views.csrf_negato"
# -- end error pages -------------------------------------------------------------------

ROOT_URLCONF = "peg.urls"
WSGI_APPLICATION = "peg.wsgi.application"
ASGI_APPLICATION = "peg.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
            ],
            "builtins": ["peg.templatetags.formato"],
        },
    }
]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    try:
        return int(value) if value else default
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={value!r}: serve un numero intero.") from exc


try:
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'peg.sqlite3'}",
            conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        )
    }
except (ValueError, KeyError) as exc:
    raise ImproperlyConfigured(f"DATABASE_URL non valido: {exc}") from exc
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
# -- Per-request cost (docs/prestazioni.md, "Prova di carico") --------------------------
# Persistent connections (DB_CONN_MAX_AGE seconds, 0 = one per request), on SQLite too:
# no connect and no PRAGMAs on every request. Checked before reuse in each request, so a
# restarted database server costs a reconnect, not an error page.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = DATABASES["default"]["CONN_MAX_AGE"] != 0

# -- SQLite as a web server's database (docs/deploy.md) --------------------------------
# Several requests write at once (logins, sessions, saves, uploads). WAL lets readers go
# on while one writes; a writer waits for the lock up to SQLITE_TIMEOUT seconds instead
# of failing at once (``timeout``: SQLite's busy timeout); IMMEDIATE takes the write lock
# when a transaction begins, so a transaction that read first never fails to upgrade
# («database is locked», tests/test_concorrenza.py).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_TIMEOUT", 30),
        # WAL is kept in the file; NORMAL is WAL's safe and quick syncing.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        **DATABASES["default"].get("OPTIONS", {}),
    }
# -- end SQLite --------------------------------------------------------------------------

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Django's own rule with its message in Italian (its catalogue misses this one).
    {"NAME": "peg.password_validation.LunghezzaMinima"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "it"
LANGUAGES = [("it", "Italiano")]
TIME_ZONE = "Europe/Rome"
USE_I18N = True
# Our wording of some of Django's admin texts (locale/it/LC_MESSAGES/django.po).
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True
# Numbers are shown the Italian way (23.000,00 · 100,00% · € 23.000,00) by the
# filters of peg.templatetags.formato; Django's own grouping stays off because it
# would also group years and codes ("2.019").
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Not the manifest storage: the theme's base template names files it does not ship
    # (owl carousel, inside an HTML comment) and the manifest would fail on them.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Uploaded files are never served from a public URL: views check access first.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Evidence (allegati) is private: kept outside MEDIA_ROOT, served only by a checked view.
ALLEGATI_ROOT = Path(os.environ.get("ALLEGATI_ROOT", VAR_DIR / "allegati"))
ALLEGATI_MAX_MB = env_int("ALLEGATI_MAX_MB", 20)
EXCEL_IMPORT_MAX_MB = env_int("EXCEL_IMPORT_MAX_MB", 10)
# The same file once uncompressed (an .xlsx is a zip): a zip bomb is refused unread.
EXCEL_IMPORT_MAX_MB_DECOMPRESSO = env_int("EXCEL_IMPORT_MAX_MB_DECOMPRESSO", 50)
# Generated books (whole-piano PDF), private like the allegati.
STAMPE_ROOT = Path(os.environ.get("STAMPE_ROOT", VAR_DIR / "stampe"))
# Processes that lay out a whole-piano book side by side (reporting.processi): by
# default one per core; 1 lays it out in the worker's own process.
PROCESSI_STAMPA = env_int("PEG_PROCESSI_STAMPA", os.cpu_count() or 1)

# Background jobs (the whole-piano PDF): queued in the database, run by
# ``manage.py db_worker`` (``make run`` starts one).
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
# Request bodies: form fields (not files) stay within Django's 2.5 MB; files above
# FILE_UPLOAD_MAX_MEMORY_SIZE go to a temporary file, and an allegato past
# ALLEGATI_MAX_MB stops being kept (valutazione.allegati.LimiteAllegati). The proxy
# in front should still cap the whole body a little above ALLEGATI_MAX_MB.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 10

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
DJANGO_BOOTSTRAP_ITALIA_USE_CDN = False

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# SMTP, used when EMAIL_BACKEND is django.core.mail.backends.smtp.EmailBackend.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS e EMAIL_USE_SSL si escludono: impostarne uno solo.")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "PEG <peg@localhost>")
# Links in e-mails are absolute: the address users open the application at.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# Campagne di rilevazione: the deadline e-mail goes this many days before the scadenza.
CAMPAGNE_PREAVVISO_GIORNI = env_int("CAMPAGNE_PREAVVISO_GIORNI", 3)

# ---------------------------------------------------------------- accesso e sicurezza
# Login throttling, idle sessions, no caching of private pages, CSP, HTTPS. Every value
# from the environment; README ("Configurazione") and docs/deploy.md list them.

# django-axes: AXES_FAILURE_LIMIT failed logins for one username, each within
# AXES_FAILURE_WINDOW_MINUTES of the previous one, lock that username for
# AXES_COOLOFF_MINUTES (peg.sicurezza.durata_tentativi picks the window or the lock).
# The segreteria unlocks its comune's users from /<comune>/accessi-bloccati/.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_FAILURE_WINDOW_MINUTES = env_int("AXES_FAILURE_WINDOW_MINUTES", 15)
AXES_COOLOFF_MINUTES = env_int("AXES_COOLOFF_MINUTES", 30)
if AXES_FAILURE_LIMIT < 1 or AXES_FAILURE_WINDOW_MINUTES < 1 or AXES_COOLOFF_MINUTES < 1:
    raise ImproperlyConfigured(
        "AXES_FAILURE_LIMIT, AXES_FAILURE_WINDOW_MINUTES e AXES_COOLOFF_MINUTES devono essere almeno 1."
    )
AXES_COOLOFF_TIME = "peg.sicurezza.durata_tentativi"
AXES_USE_ATTEMPT_EXPIRATION = True
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 asks to lock by IP address too: a comune's offices reach the server from one
# address (NAT, proxy), so one wrong password typed there would lock out every colleague.
# The username's failures are summed whatever the address or browser: no bypass.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# A failure while locked does not lengthen the lock: it ends AXES_COOLOFF_MINUTES after
# it started, whatever someone keeps trying meanwhile.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "peg.sicurezza.risposta_blocco"
# Only the failures are kept (AccessAttempt): no row per successful login.
AXES_DISABLE_ACCESS_LOG = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False

# "Password dimenticata?": the link in the e-mail stays valid this long.
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT_MINUTES", 60) * 60
# How long the link of an invitation to a new user lasts (peg.anagrafica.inviti).
INVITO_VALIDITA_GIORNI = env_int("INVITO_VALIDITA_GIORNI", 7)

# Sessions end after SESSION_COOKIE_AGE seconds without a request (peg.sicurezza.
# SessioneInattiva renews them, at most once a minute, instead of SESSION_SAVE_EVERY_REQUEST
# writing the session row on every htmx preview).
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60)
if SESSION_COOKIE_AGE < 120:
    raise ImproperlyConfigured("SESSION_COOKIE_AGE: almeno 120 secondi.")
SESSION_COOKIE_HTTPONLY = True
# Django's database sessions, read without the ORM on every request (peg.sessioni).
SESSION_ENGINE = "peg.sessioni"

# Content-Security-Policy (django-csp 4): scripts only from our own static files (or with
# the request's nonce), no CDN; inline styles allowed (the theme's font loader and htmx
# inject them). templates/base.html carries the theme's layout without its inline
# scripts (static/js/peg.js does their work).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# HTTPS: all off by default (local use on http://127.0.0.1), on in production
# (docs/deploy.md: `manage.py check --deploy` is clean with its environment).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", False)
# Only behind a proxy that sets X-Forwarded-Proto itself: otherwise clients could fake https.
if env_bool("BEHIND_HTTPS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# ---------------------------------------------------------------- fine accesso e sicurezza

# ---------------------------------------------------------------- esercizio
# Operations (docs/deploy.md): the load balancer's health check, e-mail through the
# task queue with retries, backups.
# /salute/ (peg.salute) answers from the first middleware: before the HTTPS redirect
# and the ALLOWED_HOSTS check, so the balancer may call http://10.x.y.z/salute/.
MIDDLEWARE.insert(0, "peg.salute.Salute")
# The worker is unhealthy when a task ready to run has waited this many minutes.
SALUTE_CODA_MINUTI = env_int("SALUTE_CODA_MINUTI", 10)
# E-mail (peg.posta): a failed send is tried again POSTA_TENTATIVI times in all, waiting
# POSTA_ATTESA_MINUTI, then twice as long each time (2, 4, 8, 16... minutes).
POSTA_TENTATIVI = env_int("POSTA_TENTATIVI", 6)
POSTA_ATTESA_MINUTI = env_int("POSTA_ATTESA_MINUTI", 2)
if SALUTE_CODA_MINUTI < 1 or POSTA_TENTATIVI < 1 or POSTA_ATTESA_MINUTI < 1:
    raise ImproperlyConfigured(
        "SALUTE_CODA_MINUTI, POSTA_TENTATIVI e POSTA_ATTESA_MINUTI devono essere almeno 1."
    )
# ---------------------------------------------------------------- fine esercizio

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint's font subsetting (fontTools) reports every table of every font it
    # embeds at INFO: some forty lines per PDF in the worker's and the commands' output.
    "loggers": {"fontTools": {"level": "WARNING"}},
}

# Up to how many schede the piano's page lists in full (beyond: settore sections loaded
# on demand) and how many the OIV's queue shows per page (objectives/pagina_piano.py).
PIANO_SCHEDE_IN_PAGINA = env_int("PIANO_SCHEDE_IN_PAGINA", 100)
