"""HTML written in Python as Django's templates write it (plumbing).

The pages' repeated rows (scheda, rendicontazione, form fields, the Gantt's data table)
are written in Python, character for character as the templates they replace: these are
the two ways a template prints a value, without the wrapper for lazy strings of
Django's escaping functions (the same text; a page writes thousands)."""

import html
import unicodedata

from django.template.defaultfilters import truncatechars
from django.utils.formats import localize
from django.utils.functional import Promise


def sfuggi(testo) -> str:
    """``conditional_escape``: safe text as it is, anything else escaped."""
    if hasattr(testo, "__html__"):
        return testo.__html__()
    return html.escape(str(testo))


def in_html(valore) -> str:
    """``{{ valore }}``: localised, then escaped unless safe."""
    if type(valore) is str:  # the common case: nothing to localise, not safe
        return html.escape(valore)
    testo = localize(valore)
    if isinstance(testo, Promise):
        testo = str(testo)
    return sfuggi(testo)


def tronca(testo, lunghezza: int) -> str:
    """``testo|truncatechars:lunghezza``. Django's Truncator normalises the text (NFC)
    and counts its characters one by one: a text already short and normalised is
    returned as it is, without the walk."""
    if type(testo) is str and len(testo) <= lunghezza and unicodedata.is_normalized("NFC", testo):
        return testo
    return truncatechars(testo, lunghezza)


# A CSV cell starting with one of these is a formula for spreadsheets (CSV injection).
INIZI_DI_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def cella_csv_sicura(testo: str) -> str:
    """A text cell of a CSV for download that no spreadsheet runs as a formula: a
    leading apostrophe neutralises it (numbers are written as numbers, not through
    here). The open data and the PIAO's CSV share it."""
    return "'" + testo if testo.startswith(INIZI_DI_FORMULA) else testo
