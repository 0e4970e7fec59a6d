"""Addresses of static files and of pages without arguments for the layout, worked out
once per process.

``{% statico 'css/peg.css' %}`` gives what ``{% static %}`` gives and
``{% statico_tema 'js/x.js' %}`` what design-django-theme's
``{% django_bootstrap_italia_static_path %}`` gives (the theme's files, or its CDN): the
same address for the same name until the settings that make it change (STATIC_URL,
STORAGES, the theme's CDN): their change (``setting_changed``, as in tests) empties the
memo. Each lookup costs ~20 µs (storage, urljoin, quoting) and the layout makes eight of
them on every page (docs/prestazioni.md, «Layout comune delle pagine»).

``{% indirizzo 'home' %}`` gives what ``{% url 'home' %}`` gives for a route without
arguments and namespace (~25 µs each, four per page), remembered per script prefix and urlconf of the
request (the two things besides the routes, code fixed for the process, that reverse()
reads); a change of ROOT_URLCONF or FORCE_SCRIPT_NAME empties the memo.
"""

from bootstrap_italia_template.templatetags.django_bootstrap_italia import (
    django_bootstrap_italia_static_path,
)
from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()

_INDIRIZZI: dict[tuple[str, str], str] = {}
_IMPOSTAZIONI = {
    "STATIC_URL",
    "STORAGES",
    "DJANGO_BOOTSTRAP_ITALIA_USE_CDN",
    "DJANGO_BOOTSTRAP_ITALIA_CDN",
    "ROOT_URLCONF",
    "FORCE_SCRIPT_NAME",
}


@receiver(setting_changed)
def _dimentica(*, setting, **kwargs):
    if setting in _IMPOSTAZIONI:
        _INDIRIZZI.clear()


def _ricordato(chiave: tuple, calcola, *args) -> str:
    if chiave not in _INDIRIZZI:
        _INDIRIZZI[chiave] = calcola(*args)
    return _INDIRIZZI[chiave]


@register.simple_tag
def statico(percorso: str) -> str:
    return _ricordato(("static", percorso), static, percorso)


@register.simple_tag
def statico_tema(percorso: str) -> str:
    return _ricordato(("tema", percorso), django_bootstrap_italia_static_path, percorso)


@register.simple_tag
def indirizzo(nome: str) -> str:
    return _ricordato((nome, get_script_prefix(), get_urlconf()), reverse, nome)
