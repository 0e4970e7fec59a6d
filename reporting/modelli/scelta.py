"""Which model a piano prints with: its choice for the plan or the rendicontazione
(``SceltaModello``), a built-in model by default. One place for the rule, used by every
print (scheda, settore, whole piano, command line, preview)."""

from __future__ import annotations

import logging

from django.db import transaction

from .copie import dati_attuali
from .predefiniti import PREDEFINITO_PER_USO, dati_predefiniti
from .schema import Modello, ModelloNonValido, leggi

PIANO = "piano"
RENDICONTAZIONE = "rendicontazione"
USI = (PIANO, RENDICONTAZIONE)

logger = logging.getLogger(__name__)


def predefinito(chiave: str, uso: str = PIANO) -> Modello:
    return leggi(dati_predefiniti(chiave, uso))


def modello_del_piano(piano, uso: str) -> Modello:
    """The model in force for ``piano`` and ``uso`` ("piano" or "rendicontazione")."""
    from reporting.models import SceltaModello

    scelta = (
        SceltaModello.objects.filter(piano=piano, uso=uso)
        .select_related("versione_fissata", "modello")
        .first()
    )
    if scelta is None:
        return predefinito(PREDEFINITO_PER_USO[uso], uso)
    if scelta.modello_id is None:
        return predefinito(scelta.predefinito, uso)
    try:
        return leggi(dati_attuali(scelta.modello, scelta.versione_fissata))
    except ModelloNonValido:
        # Stored data no page could have written (edited in the database): the piano
        # still prints, with the copy's base, and the log says why.
        logger.warning("Modello %s illeggibile: stampato come %s", scelta.modello_id, uso)
        return predefinito(scelta.modello.base, uso)


def modelli_del_piano(piano) -> dict[str, Modello]:
    return {uso: modello_del_piano(piano, uso) for uso in USI}


def fissa_versioni(piano) -> int:
    """An approved piano keeps the version of its copied models in force now: editing a
    copy later does not change how it prints. Returns how many choices were fixed."""
    from peg.models import Piano
    from reporting.models import SceltaModello, VersioneModello

    if piano.stato == Piano.Stato.BOZZA:
        return 0
    fissate = 0
    with transaction.atomic():
        da_fissare = SceltaModello.objects.select_for_update().filter(
            piano=piano, modello__isnull=False, versione_fissata__isnull=True
        )
        for scelta in da_fissare:
            ultima = VersioneModello.objects.filter(modello_id=scelta.modello_id).first()
            if ultima is not None:
                scelta.versione_fissata = ultima
                scelta.save(update_fields=["versione_fissata"])
                fissate += 1
    return fissate


def scegli(piano, uso: str, *, predefinito: str = "", modello=None) -> None:
    """The piano prints ``uso`` with a built-in model or with a copy (its latest version,
    fixed at once if the piano is already approved)."""
    from reporting.models import SceltaModello

    SceltaModello.objects.update_or_create(
        piano=piano,
        uso=uso,
        defaults={
            "predefinito": "" if modello else predefinito,
            "modello": modello,
            "versione_fissata": None,
        },
    )
    fissa_versioni(piano)
