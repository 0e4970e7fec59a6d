"""Who may request, follow and download a whole-piano book (``Stampa``).

The book holds every scheda, drafts of every settore included: only segreteria and OIV
of the comune (``peg.access.puo_stampare_piano``); another comune's stampe answer 404.
"""

from django.core.exceptions import PermissionDenied

from peg.access import comune_for_user, oggetto_del_comune, puo_stampare_piano

from .models import Stampa

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
