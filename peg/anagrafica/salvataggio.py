"""Saving a settore or a persona from the anagrafica's pages, with what follows from
it: the servizi in order, the responsabili as printed, the ruoli and the invitation."""

from django.db import transaction

from ..models import Persona, Servizio
from . import inviti, ruoli
from .come_stampato import genera, generato_da


@transaction.atomic
def salva_settore(form) -> None:
    settore = form.instance
    prima = dict(settore.responsabili.values_list("pk", "nome")) if settore.pk else {}
    settore = form.save()
    dopo = list(settore.responsabili.values_list("nome", flat=True))
    testo = settore.responsabili_testo
    if (not testo or generato_da(testo, list(prima.values()))) and testo != genera(dopo):
        settore.responsabili_testo = genera(dopo)
        settore.save(update_fields=["responsabili_testo"])
    servizi = form.elenco_servizi()
    if servizi != list(settore.servizi.values_list("nome", flat=True)):
        settore.servizi.all().delete()
        Servizio.objects.bulk_create(
            Servizio(settore=settore, nome=nome, ordine=n) for n, nome in enumerate(servizi, 1)
        )
    ruoli.allinea_responsabili(settore, set(prima))


@transaction.atomic
def salva_persona(form, *, da=None) -> str:
    """Save the persona and give her the ruoli chosen; returns what happened to her
    access, for the page to say: "invitata" (a user was created now, or her e-mail
    changed while she had not chosen a password: the invitation goes to the new
    address and the links already sent stop working), "email_non_cambiata" (she is in
    already, or her account serves other comuni: its address stays), or ""."""
    email_prima = (
        Persona.objects.filter(pk=form.instance.pk).values_list("email", flat=True).first()
        if form.instance.pk
        else None
    )
    persona = form.save()
    tipi = set(form.cleaned_data.get("ruoli") or ())
    if ruoli.assegna(persona, tipi):
        inviti.invita(persona, persona.comune, da=da)
        return "invitata"
    utente = persona.utente
    if utente is None:
        return ""
    if not tipi and inviti.in_attesa(utente):
        inviti.ritira(utente)  # no ruolo left: the links sent stop working
        return ""
    if email_prima is None or persona.email == email_prima or not persona.email:
        return ""
    if inviti.in_attesa(utente) and inviti.suo(utente) and not ruoli.altrove(utente):
        inviti.cambia_indirizzo(utente, persona.email)
        inviti.invita(persona, persona.comune, da=da)
        return "invitata"
    return "email_non_cambiata"
