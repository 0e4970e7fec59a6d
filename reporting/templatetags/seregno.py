"""Filters of the Seregno model's section templates (``templates/reporting/pdf/sezioni/seregno``)."""

from django import template

from reporting.modelli.predefiniti import seregno

register = template.Library()

register.filter("righe_fasi", seregno.righe_fasi)
register.filter("attivita", seregno.attivita)
register.filter("attivita_indicatore", seregno.attivita_indicatore)
register.filter("strumentali", seregno.strumentali)
register.filter("finanziarie", seregno.finanziarie)
