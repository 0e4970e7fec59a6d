"""An allegato's file goes with its row, also when a whole obiettivo is deleted."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import Allegato


@receiver(post_delete, sender=Allegato)
def rimuovi_file(sender, instance, **kwargs):
    storage, nome = instance.file.storage, instance.file.name
    # Only once the deletion is committed: a rolled-back delete keeps its file.
    transaction.on_commit(lambda: storage.delete(nome) if nome else None)
