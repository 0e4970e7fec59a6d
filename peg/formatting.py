"""What needs Django to be said the Italian way: a moment in the comune's time zone, and
a field's value as a user reads it (history, variazioni, the Excel import's summary).

Numbers and dates without a time live in the pure ``indicators.engine.formatting``.
"""

from datetime import date, datetime
from decimal import Decimal

from django.db import models
from django.utils import timezone

from indicators.engine.formatting import data_lunga, numero, numero_compatto


def data_ora(value: datetime | None) -> str:
    """A moment in local time: "24 novembre 2026, 04:44"."""
    if value is None:
        return ""
    value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{data_lunga(value.date())}, {value:%H:%M}"


def in_parole(valore, campo=None, nomi: dict | None = None, breve: bool = False) -> str:
    """A value of ``campo`` (a model or form field, or None) as a user reads it: "—" when
    empty, the label of a choice, Sì/No, 30,00 for a number kept with two decimals
    (weights, percentages, amounts) and 0,6 for one kept with more, 3 ottobre 2019, a
    moment with its time, a linked record by its name (``nomi``: a cache of those looked
    up). ``breve``: a text on one line, cut at 60 characters."""
    if valore is None or valore == "":
        return "—"
    if campo is not None and getattr(campo, "choices", None) and not isinstance(valore, list):
        scelte = {str(k): v for k, v in _scelte(campo)}
        return str(scelte.get(str(valore), valore))
    if isinstance(valore, bool):
        return "Sì" if valore else "No"
    if isinstance(valore, Decimal):
        decimali = getattr(campo, "decimal_places", None)
        return numero(valore) if decimali == 2 else numero_compatto(valore)
    if isinstance(valore, datetime):
        return data_ora(valore)
    if isinstance(valore, date):
        return data_lunga(valore)
    if isinstance(campo, models.ForeignKey) and not isinstance(valore, models.Model):
        return _collegato(campo.related_model, valore, {} if nomi is None else nomi)
    testo = str(valore)
    if breve:
        testo = " ".join(testo.split())
        testo = testo if len(testo) <= 60 else testo[:57] + "…"
    return testo


def _scelte(campo):
    if isinstance(campo, models.Field):
        return campo.flatchoices
    return [(k, v) for k, v in campo.choices if k not in (None, "")]


def _collegato(modello, pk, nomi: dict) -> str:
    chiave = (modello, pk)
    if chiave not in nomi:
        collegato = modello._base_manager.filter(pk=pk).first()
        nomi[chiave] = str(collegato) if collegato is not None else f"(eliminato, id {pk})"
    return nomi[chiave]
