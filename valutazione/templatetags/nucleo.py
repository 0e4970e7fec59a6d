"""{% link_nucleo comune %}: the link to the Nucleo di valutazione's page (members,
sedute, verbali) for who may open it (``valutazione.access.vede_nucleo``): the comune's
page shows it without importing this app."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from valutazione.access import vede_nucleo

register = template.Library()


@register.simple_tag(takes_context=True)
def link_nucleo(context, comune):
    if not vede_nucleo(context["request"].user, comune):
        return ""
    return format_html(
        '<p><a href="{}">Nucleo di valutazione</a>: componenti, sedute e verbali del nucleo '
        "che valida i risultati.</p>",
        reverse("nucleo", args=[comune.slug]),
    )
