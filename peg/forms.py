"""Numbers typed the Italian way: 23.000,00 · 12,5 · 0,6 (and 0.6 from a pasted figure)."""

import re

from django import forms
from django.db import models

# "1.500" or "23.000.000" without a comma: Italian thousands, not a decimal point.
MIGLIAIA = re.compile(r"^-?[1-9]\d{0,2}(\.\d{3})+$")


def normalizza_numero(testo: str) -> str:
    testo = testo.strip().replace(" ", "").replace("\u00a0", "").removeprefix("€")
    if "," in testo:
        return testo.replace(".", "").replace(",", ".")
    if MIGLIAIA.match(testo):
        return testo.replace(".", "")
    return testo


class DecimaleItaliano(forms.DecimalField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("localize", True)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = normalizza_numero(value)
        return super().to_python(value)


def campo_italiano(db_field: models.Field, **kwargs):
    """formfield_callback for ModelForms: decimals read the Italian way."""
    if isinstance(db_field, models.DecimalField):
        return db_field.formfield(form_class=DecimaleItaliano, **kwargs)
    return db_field.formfield(**kwargs)
