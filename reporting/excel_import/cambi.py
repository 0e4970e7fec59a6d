"""What the file changes on a saved scheda, field by field: prima → dopo, the Italian way.

Shown before the import is confirmed (the «Solo verifica» result) and recorded in the
variazione of an approved scheda, so what changed is said with its values.
"""

from datetime import date
from decimal import Decimal

from django.db import models

from indicators.engine.formatting import data_lunga, euro, numero_compatto, percentuale

PERCENTUALI = {"peso", "percentuale_raggiungimento", "avanzamento"}
NON_DESCRITTI = {"id", "versione", "ordine", "regola"}


def testo(campo: models.Field, valore) -> str:
    """One value of ``campo`` as a user reads it."""
    if valore is None or valore == "":
        return "—"
    if campo.choices:
        return str(dict(campo.flatchoices).get(valore, valore))
    if isinstance(valore, bool):
        return "sì" if valore else "no"
    if isinstance(valore, date):
        return data_lunga(valore)
    if isinstance(valore, Decimal):
        if campo.name in PERCENTUALI:
            return percentuale(valore)
        if campo.name == "importo":
            return euro(valore)
        return numero_compatto(valore)
    if isinstance(campo, models.ForeignKey):
        oggetto = campo.related_model._base_manager.filter(pk=valore).first()
        return str(oggetto) if oggetto is not None else "—"
    if isinstance(valore, int):
        return str(valore)
    scritto = str(valore).replace("\n", " ")
    return f"«{scritto if len(scritto) <= 60 else scritto[:57] + '…'}»"


def descrivi(istanza, prima: dict) -> list[str]:
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
        righe.append(f"{etichetta}: {testo(campo, vecchio)} → {testo(campo, nuovo)}")
    return righe
