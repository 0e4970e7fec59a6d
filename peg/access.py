"""Who may see what: every view goes through these helpers.

A user sees a comune only through a Ruolo there (superusers see all); objects
of a comune the user has no role in answer 404, so their existence is not
disclosed.
"""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import Comune, Piano


def comuni_visibili(user) -> QuerySet[Comune]:
    if not user.is_authenticated:
        return Comune.objects.none()
    if user.is_superuser:
        return Comune.objects.all()
    return Comune.objects.filter(ruoli__utente=user).distinct()


def comune_for_user(user, slug: str) -> Comune:
    return get_object_or_404(comuni_visibili(user), slug=slug)


def piano_for_user(user, slug: str, piano_id: int) -> Piano:
    return get_object_or_404(
        Piano.objects.select_related("comune"), comune=comune_for_user(user, slug), pk=piano_id
    )
