"""A generated book goes with its Stampa, also when a whole piano is deleted; a piano
approved fixes the versions of its print models."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from objectives.anno_successivo.piano import piano_preparato
from objectives.demo_loader import DemoDataError, piano_demo_caricato
from peg.models import Piano

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


@receiver(post_save, sender=Piano)
def fissa_versioni_approvato(sender, instance, **kwargs):
    """A piano approved (by the giunta's delibera, or moved on in the admin) keeps the
    version of its copied models in force now (``reporting.modelli.scelta``)."""
    from .modelli.scelta import fissa_versioni

    if instance.stato != Piano.Stato.BOZZA:
        fissa_versioni(instance)


@receiver(piano_preparato)
def modelli_del_piano_precedente(sender, origine, piano, **kwargs):
    """Next year's piano prints as the one it was prepared from (same choices, the
    copies at their latest version until it is approved)."""
    from .modelli.scelta import scegli
    from .models import SceltaModello

    for scelta in SceltaModello.objects.filter(piano=origine):
        scegli(piano, scelta.uso, predefinito=scelta.predefinito, modello=scelta.modello)
