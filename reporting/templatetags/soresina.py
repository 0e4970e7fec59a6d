"""Filters of the Soresina print model's templates (``templates/reporting/pdf/sezioni/soresina``)."""

from django import template

from reporting.modelli.predefiniti.soresina import risorse_stanziate

register = template.Library()
register.filter("risorse_stanziate", risorse_stanziate)
