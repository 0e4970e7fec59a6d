"""Field and constraint helpers shared by the domain models.

Absolute rules live in the database (CheckConstraint / UniqueConstraint) and are
also checked by ``full_clean`` so forms and the admin show an Italian message.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from indicators.engine.formatting import CENTO, ZERO


def percentuale_validators(label: str) -> list:
    # Django %-formats validator messages: a literal percent sign is "%%".
    return [
        MinValueValidator(ZERO, f"{label}: non può essere negativo."),
        MaxValueValidator(CENTO, f"{label}: non può superare 100,00%%."),
    ]


def peso_field(label: str = "Peso", **kwargs) -> models.DecimalField:
    """A weight in %, two decimals as in the schede; empty when the scheda prints none."""
    kwargs.setdefault("null", True)
    kwargs.setdefault("blank", True)
    return models.DecimalField(
        f"{label.lower()} (%)",
        max_digits=5,
        decimal_places=2,
        validators=percentuale_validators(label),
        **kwargs,
    )


def valore_field(verbose_name: str, **kwargs) -> models.DecimalField:
    """A measured or expected value (counts, euros, ratios like 0,6)."""
    kwargs.setdefault("null", True)
    kwargs.setdefault("blank", True)
    # 15 significant digits: what SQLite keeps exactly (PostgreSQL would keep more).
    return models.DecimalField(verbose_name, max_digits=15, decimal_places=4, **kwargs)


def importo_field(verbose_name: str = "importo (€)", **kwargs) -> models.DecimalField:
    kwargs.setdefault("null", True)
    kwargs.setdefault("blank", True)
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **kwargs)


def range_0_100(field: str, name: str, label: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0, f"{field}__lte": 100}),
        name=name,
        violation_error_message=f"{label} deve essere compreso tra 0 e 100.",
    )


def date_order(start: str, end: str, name: str, label: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{start}__isnull": True})
        | Q(**{f"{end}__isnull": True})
        | Q(**{f"{end}__gte": F(start)}),
        name=name,
        violation_error_message=f"{label}: la data di fine non può precedere la data di inizio.",
    )
