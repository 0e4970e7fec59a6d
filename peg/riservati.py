"""The first segments of the site's own paths, which no comune may take as its slug.

A comune's pages live at ``/<slug>/``: a comune called «admin» or «salute» would hide
the site's page (or be hidden by it). The reserved names are read from the URL
configuration itself, so a page added later is reserved without anyone remembering to,
plus the paths served outside Django's URLs (static files, media) and the public
section the site reserves for Amministrazione trasparente.
"""

from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError

# Served outside the URL configuration, or reserved for pages still to come.
SEMPRE = frozenset({"static", "media", "trasparenza", "robots.txt"})


@cache
def riservati() -> frozenset[str]:
    from django.urls import URLPattern, URLResolver, get_resolver

    nomi = set(SEMPRE)
    for prefisso in (settings.STATIC_URL, getattr(settings, "MEDIA_URL", "")):
        if prefisso and prefisso.strip("/"):
            nomi.add(prefisso.strip("/").split("/")[0])

    def visita(schemi):
        for schema in schemi:
            testo = str(schema.pattern).lstrip("^")
            primo = testo.split("/")[0]
            if primo and "<" not in primo and not any(c in primo for c in "()[]?*+\\$"):
                nomi.add(primo)
            elif not primo and isinstance(schema, URLResolver):
                visita(schema.url_patterns)  # included at the root: its own paths
            elif isinstance(schema, URLPattern | URLResolver):
                pass  # a path starting with a parameter (<slug:comune>/...): not a name

    visita(get_resolver().url_patterns)
    return frozenset(nomi)


def slug_non_riservato(valore: str) -> None:
    if valore.lower() in riservati():
        raise ValidationError(
            f"«{valore}» è un indirizzo del sito (/{valore}/): scegli un altro identificativo "
            "per il comune, ad esempio con il nome della provincia.",
            code="riservato",
        )
