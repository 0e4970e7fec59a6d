"""Who may request, follow and download a whole-piano book (``Stampa``).

The book holds every scheda, drafts of every settore included: only segreteria and OIV
of the comune (``peg.access.puo_stampare_piano``); another comune's stampe answer 404.

Print models (``ModelloStampa``) and a piano's choice of them: the segreteria of the
comune only (another comune's: 404; the other roles: 403 with why).
"""

from django.core.exceptions import PermissionDenied

from peg.access import (
    comune_for_user,
    oggetto_del_comune,
    piano_for_user,
    puo_stampare_piano,
    verifica_segreteria,
)

from .models import ModelloStampa, Stampa

NEGATA_STAMPA = (
    "Il PDF dell'intero piano contiene anche le bozze di tutti i settori: "
    "lo possono stampare solo la segreteria e l'OIV del comune."
)


def verifica_stampa(user, comune) -> None:
    """403 with why unless the user may print the whole piano."""
    if not puo_stampare_piano(user, comune):
        raise PermissionDenied(NEGATA_STAMPA)


def stampa_for_user(user, slug: str, stampa_id: int) -> Stampa:
    comune = comune_for_user(user, slug)
    stampa = oggetto_del_comune(
        Stampa.objects.select_related("piano__comune"), comune, pk=stampa_id
    )
    verifica_stampa(user, comune)
    return stampa


# ---------------------------------------------------------------- print models


def negata_modelli(comune) -> str:
    return (
        f"I modelli di stampa di {comune.nome} e la scelta del modello di un piano sono "
        "della segreteria del comune."
    )


def comune_dei_modelli(user, slug: str):
    """The comune whose print models the user manages: 404 outside his comuni, 403 unless
    he is its segreteria."""
    comune = comune_for_user(user, slug)
    verifica_segreteria(user, comune, negata_modelli(comune))
    return comune


def modello_for_user(user, slug: str, modello_id: int) -> ModelloStampa:
    """A copied model of the comune (another comune's: 404), for its segreteria only."""
    comune = comune_for_user(user, slug)
    modello = oggetto_del_comune(
        ModelloStampa.objects.select_related("comune"), comune, pk=modello_id
    )
    verifica_segreteria(user, comune, negata_modelli(comune))
    return modello


def piano_dei_modelli(user, slug: str, piano_id: int):
    """A piano whose print models the user chooses: the segreteria of its comune."""
    piano = piano_for_user(user, slug, piano_id)
    verifica_segreteria(user, piano.comune, negata_modelli(piano.comune))
    return piano
