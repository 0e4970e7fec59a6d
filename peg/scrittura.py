"""HTML written in Python as Django's templates write it (plumbing).

The pages' repeated rows (scheda, rendicontazione, form fields, the Gantt's data table)
are written in Python, character for character as the templates they replace: these are
the two ways a template prints a value, without the wrapper for lazy strings of
Django's escaping functions (the same text; a page writes thousands)."""

import html

from django.utils.formats import localize
from django.utils.functional import Promise


def sfuggi(testo) -> str:
    """``conditional_escape``: safe text as it is, anything else escaped."""
    if hasattr(testo, "__html__"):
        return testo.__html__()
    return html.escape(str(testo))


def in_html(valore) -> str:
    """``{{ valore }}``: localised, then escaped unless safe."""
    testo = localize(valore)
    if isinstance(testo, Promise):
        testo = str(testo)
    return sfuggi(testo)
