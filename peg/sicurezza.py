"""Login hardening around Django and django-axes (settings: "accesso e sicurezza").

- ``durata_tentativi``: AXES_COOLOFF_TIME. Axes has one duration for both how long
  failures count and how long a lock lasts; here a username's failures count for
  AXES_FAILURE_WINDOW_MINUTES after the last one, and once they reach
  AXES_FAILURE_LIMIT the lock lasts AXES_COOLOFF_MINUTES.
- ``risposta_blocco``: AXES_LOCKOUT_CALLABLE, the login page with an Italian message.
- ``SessioneInattiva``: a session ends after SESSION_COOKIE_AGE without requests.
- ``NessunaCacheSeAutenticato``: ``Cache-Control: private, no-store`` on every answer
  to a logged-in user (pages, PDF, Excel), so no shared or browser cache keeps them.
"""

from __future__ import annotations

import time
from datetime import timedelta

from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control


def finestra() -> timedelta:
    return timedelta(minutes=settings.AXES_FAILURE_WINDOW_MINUTES)


def blocco() -> timedelta:
    return timedelta(minutes=settings.AXES_COOLOFF_MINUTES)


def tentativi_in_corso(username: str):
    """The username's failures still counting (not expired): how many, and until when."""
    return AccessAttempt.objects.filter(
        username=username, expiration__expires_at__gt=timezone.now()
    ).aggregate(tentativi=Sum("failures_since_start"), fino=Max("expiration__expires_at"))


def durata_tentativi(request=None) -> timedelta:
    """The lock for a username that reached the limit, else the window of its failures.

    Axes asks when it records a failure (the failure's expiry), when it counts them
    (those since now minus this) and when it reports a lock."""
    username = get_client_username(request) if request is not None else None
    if not username:
        return finestra()
    tentativi = tentativi_in_corso(username)["tentativi"] or 0
    return blocco() if tentativi >= settings.AXES_FAILURE_LIMIT else finestra()


def risposta_blocco(request, original_response=None, credentials=None):
    """The login page, with why the login is refused and until when (status 429)."""
    username = get_client_username(request, credentials) or ""
    fino = tentativi_in_corso(username)["fino"] if username else None
    contesto = {
        "form": AuthenticationForm(request, initial={"username": username}),
        "next": request.POST.get("next", ""),
        "blocco": {
            "username": username,
            "tentativi": settings.AXES_FAILURE_LIMIT,
            "minuti": settings.AXES_COOLOFF_MINUTES,
            "fino": timezone.localtime(fino) if fino else None,
        },
    }
    return render(request, "accesso.html", contesto, status=settings.AXES_HTTP_RESPONSE_CODE)


class SessioneInattiva:
    """Renews a logged-in user's session at most once a minute: the session (cookie and
    row) expires SESSION_COOKIE_AGE seconds after the last renewal, so after that long
    without requests the user must log in again. Cheaper than SESSION_SAVE_EVERY_REQUEST,
    which writes the session row on every request (every live preview)."""

    CHIAVE = "_peg_visto"
    OGNI = 60  # seconds

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            adesso = int(time.time())
            if adesso - request.session.get(self.CHIAVE, 0) >= self.OGNI:
                request.session[self.CHIAVE] = adesso
        return self.get_response(request)


def sessione_aperta(sender, request, user, **kwargs):
    """At login the session is new (saved anyway): its first minute needs no renewal."""
    if request is not None and hasattr(request, "session"):
        request.session[SessioneInattiva.CHIAVE] = int(time.time())


class NessunaCacheSeAutenticato:
    """``Cache-Control: private, no-store`` on every answer to a logged-in user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        risposta = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(risposta, private=True, no_store=True)
        return risposta
