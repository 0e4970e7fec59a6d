"""Which schede a user may see, and the one helper every obiettivo view goes through.

Segreteria and OIV see every scheda of their comune; a responsabile sees all of his
or her settori and, of the others, only what is past the drafts (approvato on);
a lettore only what is approved. Another comune's schede answer 404.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from peg.access import comune_for_user
from peg.models import Ruolo

from .models import Obiettivo
from .workflow import TransizioneNonAmmessa, verifica_modifica

BOZZE = (Obiettivo.Stato.BOZZA, Obiettivo.Stato.PROPOSTO)


def obiettivi_visibili(user, comune) -> QuerySet[Obiettivo]:
    obiettivi = Obiettivo.objects.filter(piano__comune=comune)
    if user.is_superuser:
        return obiettivi
    ruoli = Ruolo.objects.filter(utente=user, comune=comune)
    if ruoli.filter(tipo__in=[Ruolo.Tipo.SEGRETERIA, Ruolo.Tipo.OIV]).exists():
        return obiettivi
    propri = Q(settore__ruoli__in=ruoli.filter(tipo=Ruolo.Tipo.RESPONSABILE))
    return obiettivi.filter(propri | ~Q(stato__in=BOZZE)).distinct()


def obiettivo_for_user(user, slug: str, obiettivo_id: int, ambito: str | None = None) -> Obiettivo:
    """The obiettivo, or 404 if the user may not see it; with ``ambito``, 403 unless the
    user may change that part of it in its present state."""
    comune = comune_for_user(user, slug)
    obiettivo = get_object_or_404(
        obiettivi_visibili(user, comune).select_related("piano__comune", "settore"), pk=obiettivo_id
    )
    if ambito is not None:
        try:
            verifica_modifica(user, obiettivo, ambito)
        except TransizioneNonAmmessa as exc:
            raise PermissionDenied(str(exc)) from exc
    return obiettivo
