"""{{ allegato.dimensione|dimensione }} → "1,2 MB"."""

from django import template

from valutazione.allegati import dimensione_leggibile

register = template.Library()

register.filter("dimensione", dimensione_leggibile)
