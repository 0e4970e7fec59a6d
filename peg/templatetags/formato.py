"""Template filters for Italian numbers and dates: {{ x|percentuale }} → 30,00%."""

from django import template

from peg import formatting

register = template.Library()

register.filter("numero", formatting.numero)
register.filter("valore", formatting.numero_compatto)
register.filter("percentuale", formatting.percentuale)
register.filter("euro", formatting.euro)
register.filter("data_lunga", formatting.data_lunga)
register.filter("data_breve", formatting.data_breve)
