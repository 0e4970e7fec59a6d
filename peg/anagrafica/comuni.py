"""A new comune, made from a page or a command instead of the admin: the comune and,
when given, its first segreteria (a persona with the ruolo, invited by e-mail), so
that someone of the comune can go on from there."""

from django.db import transaction

from ..models import Comune, Persona, Ruolo
from . import inviti, ruoli


@transaction.atomic
def crea(comune: Comune, *, segreteria_nome: str = "", segreteria_email: str = "", da=None):
    """Save the (validated) comune; with a name and an e-mail, its first segreteria.
    Returns the segreteria's persona or None."""
    comune.full_clean()
    comune.save()
    if not segreteria_nome:
        return None
    persona = Persona.objects.create(comune=comune, nome=segreteria_nome, email=segreteria_email)
    ruoli.assegna(persona, {Ruolo.Tipo.SEGRETERIA})
    inviti.invita(persona, comune, da=da)
    return persona
