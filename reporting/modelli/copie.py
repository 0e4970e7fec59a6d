"""The segreteria's copies of print models: made from a built-in model or from another
copy, changed by saving a new version (the old ones stay, for the piani printed with them)."""

from __future__ import annotations

import copy

from django.db import IntegrityError, transaction
from django.db.models import Max

from .modulo import normalizza, senza_sezioni_ignote
from .predefiniti import PREDEFINITI, dati_predefiniti
from .schema import ModelloNonValido

MAX_NOME = 150  # ModelloStampa.nome


def copia(comune, nome: str, *, da_predefinito: str = "", da_modello=None, utente=None):
    """A new copy named ``nome`` of a built-in model or of a copy of the same comune,
    with its first version. ModelloNonValido says why not."""
    from reporting.models import ModelloStampa, VersioneModello

    nome = (nome or "").strip()
    if not nome:
        raise ModelloNonValido("Indicare il nome del nuovo modello.")
    if len(nome) > MAX_NOME:
        raise ModelloNonValido(
            f"Il nome del modello è troppo lungo ({len(nome)} caratteri, al massimo {MAX_NOME})."
        )
    if da_modello is not None:
        if da_modello.comune_id != comune.pk:
            raise ModelloNonValido("Il modello da copiare non è di questo comune.")
        dati = copy.deepcopy(dati_attuali(da_modello))
        base = da_modello.base
    elif da_predefinito in PREDEFINITI:
        dati = copy.deepcopy(PREDEFINITI[da_predefinito])
        base = da_predefinito
    else:
        raise ModelloNonValido("Scegliere il modello da copiare.")
    dati["nome"] = nome
    dati = normalizza(dati)
    try:
        with transaction.atomic():
            modello = ModelloStampa.objects.create(
                comune=comune, nome=nome, base=base, creato_da=utente
            )
            VersioneModello.objects.create(modello=modello, numero=1, dati=dati, creata_da=utente)
    except IntegrityError as exc:
        raise ModelloNonValido(f"Il comune ha già un modello chiamato «{nome}».") from exc
    return modello


def dati_attuali(modello, versione=None) -> dict:
    """A copy's data as it prints now: ``versione`` (a fixed one) or its latest, without
    the sections the product no longer has; a copy never saved prints as its base."""
    versione = versione or modello.versioni.first()
    if versione is None:
        return {**dati_predefiniti(modello.base), "nome": modello.nome}
    return senza_sezioni_ignote(versione.dati)[0]


def salva(modello, dati: dict, utente=None):
    """A new version of ``modello`` with ``dati`` (checked first, stored in explicit
    form). Returns it, or None when nothing changed (no empty versions): the same print
    described sparsely or explicitly is the same."""
    from reporting.models import VersioneModello

    dati = copy.deepcopy(dati)
    dati["base"] = modello.base
    dati["nome"] = modello.nome
    dati = normalizza(dati)
    with transaction.atomic():
        ultima = VersioneModello.objects.select_for_update().filter(modello=modello).first()
        if ultima is not None and _uguali(ultima.dati, dati):
            return None
        numero = (
            VersioneModello.objects.filter(modello=modello).aggregate(n=Max("numero"))["n"] or 0
        ) + 1
        return VersioneModello.objects.create(
            modello=modello, numero=numero, dati=dati, creata_da=utente
        )


def _uguali(salvati: dict, dati: dict) -> bool:
    try:
        return normalizza(salvati) == dati
    except ModelloNonValido:  # a section kind the product no longer has: now changed
        return False
