"""A generated book goes with its Stampa, also when a whole piano is deleted."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import Stampa


@receiver(post_delete, sender=Stampa)
def rimuovi_file(sender, instance, **kwargs):
    percorso = instance.percorso
    if percorso is not None:
        transaction.on_commit(lambda: percorso.unlink(missing_ok=True))
