"""Template filters for Italian numbers and dates: {{ x|percentuale }} → 30,00%."""

from django import template

from indicators.engine import formatting
from peg.formatting import data_ora

register = template.Library()

register.filter("numero", formatting.numero)
register.filter("valore", formatting.numero_compatto)
register.filter("percentuale", formatting.percentuale)
register.filter("euro", formatting.euro)
register.filter("data_lunga", formatting.data_lunga)
register.filter("data_breve", formatting.data_breve)
register.filter("data_ora", data_ora)


@register.filter
def o_valore(testo, valore):
    """The value as printed on the scheda if any, else the number the Italian way."""
    return testo or formatting.numero_compatto(valore)


@register.filter
def quanti(n, forme: str) -> str:
    """{{ n|quanti:"scheda proposta,schede proposte" }} → "1 scheda proposta", "2 schede proposte"."""
    try:
        return formatting.quanti(len(n) if isinstance(n, list | tuple) else int(n), forme)
    except (TypeError, ValueError):
        return ""
