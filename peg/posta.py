"""What every e-mail of the product shares: links that open from the mailbox."""

from django.conf import settings
from django.urls import reverse


def link(nome: str, *args) -> str:
    """The address of a page, starting from ``SITE_URL`` (the site as users reach it)."""
    return settings.SITE_URL.rstrip("/") + reverse(nome, args=args)
