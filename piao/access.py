"""Who reads and who edits the PIAO of a piano.

Every role of the comune that sees the piano reads the page and the documents (they
hold only approved schede, which every role sees); the segreteria alone tags the schede
and edits the outcomes (403 with why for the others). Another comune's piano or
outcome answers 404 (``peg.access``).
"""

from django.db.models import QuerySet

from objectives.access import obiettivi_visibili
from peg.access import (
    comune_for_user,
    e_segreteria,
    oggetto_del_comune,
    piano_for_user,
    verifica_segreteria,
)

from .models import Outcome

SOLO_SEGRETERIA = (
    "Temi degli obiettivi e valore pubblico del PIAO li modifica solo la segreteria del comune."
)


def piano_del_piao(user, slug: str, piano_id, modifica: bool = False):
    piano = piano_for_user(user, slug, piano_id)
    if modifica:
        verifica_segreteria(user, piano.comune, SOLO_SEGRETERIA)
    return piano


def outcome_for_user(user, slug: str, outcome_id) -> Outcome:
    """An outcome of the comune (another's: 404) for its segreteria (else 403)."""
    comune = comune_for_user(user, slug)
    outcome = oggetto_del_comune(Outcome.objects.select_related("piano"), comune, pk=outcome_id)
    outcome.piano.comune = comune
    verifica_segreteria(user, comune, SOLO_SEGRETERIA)
    return outcome


def puo_modificare(user, comune) -> bool:
    return e_segreteria(user, comune)


def schede_dell_anno(user, piano, anno: int) -> QuerySet:
    """The schede of the year the user sees, in the piano's order."""
    return (
        obiettivi_visibili(user, piano.comune)
        .filter(piano=piano, anno=anno)
        .select_related("settore")
        .prefetch_related("ambiti")
        .order_by("settore__codice", "settore__nome", "codice_ordinabile", "id")
    )
