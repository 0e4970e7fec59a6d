"""Tagging the schede of a year with the ambiti and themes of ``piao.temi``: the one
form of the PIAO page. Only what changed is written: a form saved unchanged twice
adds and removes nothing."""

from django.db import transaction
from django.db.models import Q

from .models import TemaObiettivo
from .temi import ETICHETTABILI


def temi_delle_schede(schede) -> dict[int, set[str]]:
    """{scheda id: {tema}} of the schede, in one query."""
    ids = [o.pk for o in schede]
    risultato: dict[int, set[str]] = {pk: set() for pk in ids}
    for pk, tema in TemaObiettivo.objects.filter(obiettivo__in=ids).values_list(
        "obiettivo_id", "tema"
    ):
        risultato[pk].add(tema)
    return risultato


def scelte_dal_modulo(dati, schede) -> dict[int, set[str]]:
    """The ticked tags of each scheda listed on the page (``tema-<id>`` checkboxes);
    unknown keys and schede not on the page are ignored."""
    return {o.pk: {t for t in dati.getlist(f"tema-{o.pk}") if t in ETICHETTABILI} for o in schede}


@transaction.atomic
def salva(schede, scelte: dict[int, set[str]]) -> tuple[int, int]:
    """Writes the difference between the saved tags and ``scelte``: (added, removed)."""
    attuali = temi_delle_schede(schede)
    nuovi = [
        TemaObiettivo(obiettivo_id=pk, tema=t)
        for pk, volute in scelte.items()
        for t in sorted(volute - attuali.get(pk, set()))
    ]
    via = Q()
    for pk, volute in scelte.items():
        if togliere := attuali.get(pk, set()) - volute:
            via |= Q(obiettivo_id=pk, tema__in=togliere)
    tolti = TemaObiettivo.objects.filter(via).delete()[0] if via else 0
    TemaObiettivo.objects.bulk_create(nuovi)
    return len(nuovi), tolti
