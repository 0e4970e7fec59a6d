"""Form fields the Italian way, one convention for every page.

Numbers: 23.000,00 · 12,5 · 0,6 (and 0.6 from a pasted figure), shown and typed in a text
input with ``inputmode="decimal"`` (a ``type="number"`` input drops "50,00" and posts
nothing). Texts: a browser posts a textarea's line breaks as CRLF; they are read as
"\\n", so an unchanged text is unchanged. Hidden technical fields (versione, loaded at)
never make a form look changed (``SenzaCampiTecnici``).
"""

import re

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.core import mail
from django.db import models
from django.template import loader

from . import posta

# "1.500" or "23.000.000" without a comma: Italian thousands, not a decimal point.
MIGLIAIA = re.compile(r"^-?[1-9]\d{0,2}(\.\d{3})+$")


def normalizza_numero(testo: str) -> str:
    testo = testo.strip().replace(" ", "").replace("\u00a0", "").removeprefix("€")
    if "," in testo:
        return testo.replace(".", "").replace(",", ".")
    if MIGLIAIA.match(testo):
        return testo.replace(".", "")
    return testo


def normalizza_testo(testo: str) -> str:
    """CRLF and CR as posted by a browser → "\\n"."""
    return testo.replace("\r\n", "\n").replace("\r", "\n")


class DecimaleItaliano(forms.DecimalField):
    """A decimal in a text input with the numeric keyboard, read the Italian way."""

    widget = forms.TextInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("localize", True)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = normalizza_numero(value)
        return super().to_python(value)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("step", None)
        attrs["inputmode"] = "decimal"
        return attrs


class InteroItaliano(forms.IntegerField):
    """A whole number that may be typed with the Italian thousands: 1.250."""

    def to_python(self, value):
        if isinstance(value, str) and MIGLIAIA.match(value.strip()):
            value = value.strip().replace(".", "")
        return super().to_python(value)


class TestoItaliano(forms.CharField):
    """Text whose line breaks are the same however the browser posts them."""

    def to_python(self, value):
        if isinstance(value, str):
            value = normalizza_testo(value)
        return super().to_python(value)

    def has_changed(self, initial, data):
        if self.disabled:
            return False
        initial = self.to_python(initial or "")
        if not isinstance(self.widget, forms.Textarea):
            # A one-line input drops the line breaks of its value (HTML): a stored
            # text with one is posted without it, unchanged by the user.
            initial = initial.replace("\n", "")
        return initial != self.to_python(data or "")


def intero() -> forms.TextInput:
    """The input of a whole number (a year, a N°): text with the numeric keyboard."""
    return forms.TextInput(attrs={"inputmode": "numeric", "size": 6})


def campo_italiano(db_field: models.Field, **kwargs):
    """formfield_callback for ModelForms: decimals read the Italian way, whole numbers
    in the same kind of input, texts with their line breaks normalised."""
    if isinstance(db_field, models.DecimalField):
        return db_field.formfield(form_class=DecimaleItaliano, **kwargs)
    if isinstance(db_field, models.IntegerField) and not db_field.choices:
        kwargs.setdefault("widget", intero())
        return db_field.formfield(form_class=InteroItaliano, **kwargs)
    if isinstance(db_field, models.URLField):
        # Django 6 assumes https for an address typed without its scheme: so do we.
        return db_field.formfield(assume_scheme="https", **kwargs)
    if type(db_field) in (models.CharField, models.TextField):
        # Not their subclasses: an e-mail, a URL or a slug keeps its own form field
        # and its check.
        return db_field.formfield(form_class=TestoItaliano, **kwargs)
    return db_field.formfield(**kwargs)


# Hidden fields that say how the form was loaded, never what the user changed.
TECNICI = frozenset({"versione", "caricato_il", "motivazione"})


class SenzaCampiTecnici:
    """Form mixin: ``changed_data`` (and so ``has_changed()``) leave out ``TECNICI``."""

    tecnici = TECNICI

    @property
    def changed_data(self):
        return [
            nome
            for nome, campo in self._bound_items()
            if nome not in self.tecnici and campo._has_changed()
        ]


class RecuperoPasswordForm(PasswordResetForm):
    """«Password dimenticata?»: Django's form, its e-mail queued like every other
    (``peg.posta``): a mail server down never fails the request."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        oggetto = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        corpo = loader.render_to_string(email_template_name, context)
        messaggio = mail.EmailMultiAlternatives(oggetto, corpo, from_email, [to_email])
        if html_email_template_name is not None:
            html = loader.render_to_string(html_email_template_name, context)
            messaggio.attach_alternative(html, "text/html")
        posta.invia([messaggio])
