"""Filters of the print models' templates (``templates/reporting/pdf/sezioni``)."""

from django import template

from indicators.engine.formatting import percentuale

register = template.Library()


@register.filter
def righe_mancanti(righe, sez) -> range:
    """The numbers of the empty rows a section prints after its rows, when its model says
    "print empty rows" up to ``sez.righe`` (Chiavari's tables always show six)."""
    if sez.se_vuota != "righe_vuote":
        return range(0)
    presenti = len(righe)
    return range(presenti + 1, max(presenti, sez.righe) + 1)


@register.filter
def volte(n) -> range:
    return range(int(n or 0))


@register.filter
def ufficiale(esito) -> str:
    """A score as an official print shows it: the percentage, or nothing. What is
    missing ("non rilevato", "incompleto") is a warning for the pages, not a print."""
    if esito is None or not esito.calcolato:
        return ""
    return percentuale(esito.punteggio)
