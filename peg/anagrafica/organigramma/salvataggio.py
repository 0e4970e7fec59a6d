"""Writing a checked organigramma: only what changed, in one transaction.

Settori (renamed ones first, so a name another row gives up is free), their servizi,
persone, who works in and who directs each settore, then the ruoli through
``ruoli.assegna`` (which creates the users), the responsabili's ruoli kept in step with
the settori they direct (``ruoli.allinea_responsabili``) and the invitations, queued in
the same transaction (``peg.posta``): a failure sends nothing.
"""

from collections import defaultdict

from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat

from ...models import Servizio, Settore
from .. import inviti, ruoli
from .esito import EsitoOrganigramma
from .stato import Stato, VocePersona


def etichetta(voce: VocePersona) -> str:
    return str(voce.persona)


@transaction.atomic
def salva(stato: Stato, esito: EsitoOrganigramma, *, da=None, invita: bool = True) -> None:
    _settori(stato)
    for voce in stato.persone:
        if voce.nuova or voce.campi:
            voce.persona.save()
    _relazioni(stato, "addetti", "addetto_prima", "addetto_di")
    _relazioni(stato, "responsabili", "responsabile_prima", "responsabile_di")
    creati = _ruoli(stato, esito)
    for voce in stato.settori:
        if voce.responsabili_cambiati:
            prima = {p.persona.pk for p in voce.responsabili_prima}
            ruoli.allinea_responsabili(voce.settore, prima)
    esito.invitati = []
    if invita:
        for voce in creati:
            inviti.invita(voce.persona, stato.comune, da=da)
            esito.invitati.append(voce.persona.nome)
    esito.salvato = True


def _settori(stato: Stato) -> None:
    esistenti = [v for v in stato.settori if not v.nuovo]
    rinominati = [v for v in esistenti if v.settore.nome != v.nome_prima]
    occupati = {v.nome_prima for v in esistenti}
    if any(v.settore.nome in occupati for v in rinominati):
        # Two settori swapping names (or one taking another's, given up in the same
        # file): each unique name is checked at once, so first a name nobody has.
        Settore.objects.filter(pk__in=[v.settore.pk for v in rinominati]).update(
            nome=Concat(Value("(rinomina in corso) "), Cast("pk", output_field=CharField()))
        )
    for voce in esistenti:
        if voce.campi:
            voce.settore.save()
    for voce in stato.settori:
        if voce.nuovo:
            voce.settore.save()
    cambiati = [v for v in stato.settori if v.servizi is not None]
    Servizio.objects.filter(settore__in=[v.settore for v in cambiati if not v.nuovo]).delete()
    Servizio.objects.bulk_create(
        Servizio(settore=v.settore, nome=nome, ordine=n)
        for v in cambiati
        for n, nome in enumerate(v.servizi, start=1)
    )


def _relazioni(stato: Stato, relazione: str, prima: str, dopo: str) -> None:
    """Who entered and who left each settore's ``relazione`` (addetti, responsabili)."""
    entrati, usciti = defaultdict(list), defaultdict(list)
    for voce in stato.persone:
        for settore in getattr(voce, dopo) - getattr(voce, prima):
            entrati[settore].append(voce.persona)
        for settore in getattr(voce, prima) - getattr(voce, dopo):
            usciti[settore].append(voce.persona)
    for settore, persone in usciti.items():
        getattr(settore.settore, relazione).remove(*persone)
    for settore, persone in entrati.items():
        getattr(settore.settore, relazione).add(*persone)


def _ruoli(stato: Stato, esito: EsitoOrganigramma) -> list[VocePersona]:
    """Give each persona of the file the ruoli of her row (an empty cell: as they are).
    Returns those for whom a user was created (to be invited)."""
    creati = []
    for voce in sorted((v for v in stato.persone if v.ruoli), key=lambda v: v.riga):
        if voce.persona.utente_id and not voce.ruoli_cambiati:
            continue  # her ruoli, read with the organigramma (stato), are the row's
        if ruoli.assegna(voce.persona, voce.ruoli):
            creati.append(voce)
        if not voce.nuova and etichetta(voce) not in esito.persone_aggiornate:
            esito.persone_aggiornate.append(etichetta(voce))
    return creati
