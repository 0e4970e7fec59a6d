"""A moment in the comune's time zone, the Italian way (needs Django's time zone setting).

Numbers and dates without a time live in the pure ``indicators.engine.formatting``.
"""

from datetime import datetime

from django.utils import timezone

from indicators.engine.formatting import data_lunga


def data_ora(value: datetime | None) -> str:
    """A moment in local time: "24 novembre 2026, 04:44"."""
    if value is None:
        return ""
    value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{data_lunga(value.date())}, {value:%H:%M}"
