"""A generated book goes with its Stampa, also when a whole piano is deleted."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from objectives.demo_loader import DemoDataError, piano_demo_caricato

from .models import Stampa


@receiver(post_delete, sender=Stampa)
def rimuovi_file(sender, instance, **kwargs):
    percorso = instance.percorso
    if percorso is not None:
        transaction.on_commit(lambda: percorso.unlink(missing_ok=True))


@receiver(piano_demo_caricato)
def modelli_demo(sender, piano, dati, **kwargs):
    """A demo piano prints with the model of its own document ("modelli_stampa")."""
    from .modelli.predefiniti import PREDEFINITI
    from .modelli.scelta import USI, scegli

    for uso, chiave in (dati.get("modelli_stampa") or {}).items():
        if uso not in USI or chiave not in PREDEFINITI:
            raise DemoDataError(
                f"modelli_stampa: «{uso}»: «{chiave}» non è un modello predefinito."
            )
        scegli(piano, uso, predefinito=chiave)
