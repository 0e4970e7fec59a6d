"""Users for the comune's persone and their invitation by e-mail.

A person given a ruolo gets a user with no password and an e-mail with a link to choose
one: Django's password-reset machinery with a token of its own, which lasts
``INVITO_VALIDITA_GIORNI`` days (an invitation is read days later; a «password
dimenticata» link keeps its short life). The token is spent once the password is set,
like the reset's, because it signs the password's hash and the last login.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.core.exceptions import ValidationError
from django.template import loader
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode
from django.utils.text import slugify

from .. import posta


class GeneratoreInviti(PasswordResetTokenGenerator):
    key_salt = "peg.anagrafica.inviti.GeneratoreInviti"

    def check_token(self, user, token):
        """Django's check with the invitation's validity instead of the reset's."""
        if not (user and token) or token.count("-") != 1:
            return False
        try:
            istante = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        if self._num_seconds(self._now()) - istante > validita_secondi():
            return False
        return any(
            constant_time_compare(self._make_token_with_timestamp(user, istante, segreto), token)
            for segreto in [self.secret, *self.secret_fallbacks]
        )


generatore = GeneratoreInviti()


def validita_secondi() -> int:
    return settings.INVITO_VALIDITA_GIORNI * 24 * 3600


def nome_utente_libero(nome: str) -> str:
    """«Maria Rossi» → «maria.rossi» (then «maria.rossi2», … if taken)."""
    User = get_user_model()
    base = slugify(nome).replace("-", ".")[:140] or "utente"
    candidato, n = base, 1
    while User.objects.filter(username__iexact=candidato).exists():
        n += 1
        candidato = f"{base}{n}"
    return candidato


def utente_per(persona):
    """The persona's user, created (no password, the persona's e-mail) if she has none."""
    if persona.utente_id:
        return persona.utente
    if not persona.email:
        raise ValidationError(
            f"Per dare un ruolo a {persona.nome} serve la sua e-mail: l'invito ad accedere "
            "arriva lì.",
            code="senza_email",
        )
    utente = get_user_model()(
        username=nome_utente_libero(persona.nome), first_name=persona.nome, email=persona.email
    )
    utente.set_unusable_password()
    utente.save()
    persona.utente = utente
    persona.save(update_fields=["utente"])
    return utente


def suo(utente) -> bool:
    """An ordinary account the anagrafica may change (never staff or a superuser)."""
    return not (utente.is_staff or utente.is_superuser)


def cambia_indirizzo(utente, email: str) -> None:
    """The new address of a user who has not chosen a password yet: the links already
    sent stop working (the token signs the address)."""
    utente.email = email
    utente.save(update_fields=["email"])


def ritira(utente) -> None:
    """No ruolo left before the password was chosen: a new unusable password, so the
    links already sent stop working (the token signs the password's hash)."""
    utente.set_unusable_password()
    utente.save(update_fields=["password"])


def in_attesa(utente) -> bool:
    """Invited and never in: no password chosen yet."""
    return not utente.has_usable_password() and utente.last_login is None


def invita(persona, comune, *, da=None) -> None:
    """Queue the invitation to the persona's user (peg.posta): who invites, to which
    comune, the user name and the link to choose the password."""
    utente = utente_per(persona)
    indirizzo = utente.email or persona.email
    if not indirizzo:
        raise ValidationError(f"{persona.nome} non ha un'e-mail a cui mandare l'invito.")
    contesto = {
        "persona": persona,
        "utente": utente,
        "comune": comune,
        "da": (da.get_full_name() or da.get_username()) if da else "",
        "link": posta.link(
            "invito", urlsafe_base64_encode(force_bytes(utente.pk)), generatore.make_token(utente)
        ),
        "accesso": posta.link("login"),
        "giorni": settings.INVITO_VALIDITA_GIORNI,
    }
    corpo = loader.render_to_string("peg/anagrafica/invito_email.txt", contesto)
    oggetto = f"Invito a PEG - Piano degli obiettivi: {comune}"
    posta.invia([mail.EmailMessage(oggetto, corpo, None, [indirizzo])])
