"""The segreteria creates the year's schede individuali: one per persona of a categoria,
in BOZZA, with the evaluator the categoria's chain gives (docs/valutazione-individuale.md)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from peg.access import e_segreteria, responsabili_per_settore
from peg.storia import autore

from .models import Categoria, SchedaIndividuale
from .workflow import TransizioneNonAmmessa

V = Categoria.Valutatore


@dataclass
class Creazione:
    schede: list
    gia_presenti: list  # persone that already had a scheda of the year


def valutatore_dalla_catena(categoria: Categoria, settore, scelto=None):
    """Who evaluates, from the categoria's chain: the responsabile of the settore, the
    segretario (chosen, or the login of the segretario's scheda), nobody for the
    Nucleo's chain (it proposes in a seduta, the sindaco decides)."""
    if categoria.valutatore == V.NUCLEO_SINDACO:
        return None
    if scelto is not None:
        return scelto
    if categoria.valutatore == V.RESPONSABILE:
        if settore is None:
            return None
        responsabili = responsabili_per_settore(categoria.smvp.comune_id).get(settore.pk, [])
        return responsabili[0] if responsabili else None
    segretario = (
        SchedaIndividuale.objects.filter(
            smvp=categoria.smvp, categoria__tipo=Categoria.Tipo.SEGRETARIO
        )
        .exclude(persona__utente=None)
        .select_related("persona__utente")
        .first()
    )
    return segretario.persona.utente if segretario else None


def crea_schede(categoria: Categoria, persone, settore, utente, valutatore=None) -> Creazione:
    """One scheda per persona in the categoria (the segreteria), in BOZZA."""
    smvp = categoria.smvp
    if utente is not None and not e_segreteria(utente, smvp.comune):
        raise TransizioneNonAmmessa("Le schede di valutazione le crea la segreteria.")
    persone = list(persone)
    with transaction.atomic(), autore(utente, "Schede create dalla segreteria"):
        presenti = set(
            SchedaIndividuale.objects.filter(smvp=smvp, persona__in=persone).values_list(
                "persona_id", flat=True
            )
        )
        chi = valutatore_dalla_catena(categoria, settore, valutatore)
        create = []
        for persona in persone:
            if persona.pk in presenti:
                continue
            scheda = SchedaIndividuale(
                smvp=smvp, categoria=categoria, persona=persona, settore=settore, valutatore=chi
            )
            scheda.save()
            create.append(scheda)
    return Creazione(create, [p for p in persone if p.pk in presenti])
