"""What the file changes on a saved scheda, field by field: prima → dopo, the Italian way.

Shown before the import is confirmed (the «Solo verifica» result) and recorded in the
variazione of an approved scheda, so what changed is said with its values.
"""

from django.db import models

from peg.formatting import in_parole

NON_DESCRITTI = {"id", "versione", "ordine", "regola"}


def testo(campo: models.Field, valore, nomi: dict | None = None) -> str:
    """One value of ``campo`` as a user reads it; a text between «» on one line.
    ``nomi``: the linked records' names already known ({(model, id): name})."""
    parole = in_parole(valore, campo, nomi, breve=True)
    if isinstance(valore, str) and not campo.choices and valore:
        return f"«{parole}»"
    return parole


def descrivi(istanza, prima: dict, nomi: dict | None = None) -> list[str]:
    """«Campo: prima → dopo» for each field of ``istanza`` that differs from ``prima``
    (its values by attname, taken before the file's were assigned)."""
    righe = []
    for campo in istanza._meta.concrete_fields:
        if campo.name in NON_DESCRITTI or campo.attname not in prima:
            continue
        vecchio, nuovo = prima[campo.attname], getattr(istanza, campo.attname)
        if vecchio == nuovo:
            continue
        etichetta = str(campo.verbose_name)
        etichetta = etichetta[:1].upper() + etichetta[1:]
        righe.append(f"{etichetta}: {testo(campo, vecchio, nomi)} → {testo(campo, nuovo, nomi)}")
    return righe
