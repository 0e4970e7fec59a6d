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


@register.filter
def una_di(colonne, chiavi: str) -> bool:
    """Whether any of the comma-separated columns is visible: ``sez.col|una_di:"a,b"``."""
    return any(chiave in colonne for chiave in chiavi.split(","))


@register.filter
def con_anno(etichetta: str, anno) -> str:
    """A column label with its year: "Valore Raggiunto {anno}" → "Valore Raggiunto 2018"."""
    return str(etichetta).replace("{anno}", str(anno))


@register.filter
def storico(indicatore, anno):
    """The indicator's historical value of ``anno`` (``ValoreStorico``), or None."""
    return getattr(indicatore, "storico_per_anno", {}).get(anno)


@register.filter
def quante(colonne, gruppi: str) -> int:
    """How many of the comma-separated groups have a visible column; a group lists
    alternatives with "|" (two labels printed in one column: "inizio_previsto|inizio_effettivo")."""
    return sum(1 for gruppo in gruppi.split(",") if any(c in colonne for c in gruppo.split("|")))
