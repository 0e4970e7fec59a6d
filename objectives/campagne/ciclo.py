"""The life of a round: opening it (schede in monitoraggio, e-mails), the deadline
warning, reminders, closing and reopening it for all or for one settore."""

from __future__ import annotations

import logging
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from peg.access import e_segreteria, una_segreteria

from ..models import Avviso, Campagna, Obiettivo, RiaperturaSettore
from ..modifiche import esegui
from ..workflow import TransizioneNonAmmessa
from .avvisi import Invio, avvisa_riapertura, invia
from .finestre import aperta, in_finestra

log = logging.getLogger(__name__)


def _attore(campagna: Campagna):
    """Who moves the schede when the cron opens a round: its creator if still
    segreteria of the comune, else any segreteria user of the comune."""
    comune = campagna.piano.comune
    if campagna.creata_da is not None and e_segreteria(campagna.creata_da, comune):
        return campagna.creata_da
    return una_segreteria(comune)


@transaction.atomic
def apri(campagna: Campagna, oggi: date, utente=None) -> Invio | None:
    """Open the round once: the piano's approved schede of the year go in monitoraggio
    (recorded as CambioStato) and every responsabile behind gets the opening e-mail.
    None if it is not due (apertura in the future, closed, already announced)."""
    campagna = (
        Campagna.objects.select_for_update().select_related("piano__comune").get(pk=campagna.pk)
    )
    if campagna.avviso_apertura_il is not None or campagna.chiusa_il is not None:
        return None
    if not campagna.apertura <= oggi <= campagna.scadenza:
        return None
    invio = Invio()
    attore = utente or _attore(campagna)
    approvate = Obiettivo.objects.filter(
        piano_id=campagna.piano_id, anno=campagna.anno, stato=Obiettivo.Stato.APPROVATO
    )
    if attore is None and approvate.exists():
        log.warning(
            "%s: nessun utente di segreteria, schede approvate lasciate com'erano", campagna
        )
    elif attore is not None:
        for obiettivo in approvate.select_related("piano"):
            try:
                esegui(obiettivo, attore, "avvia_monitoraggio")
            except TransizioneNonAmmessa as exc:  # e.g. the actor lost the role meanwhile
                log.warning("%s: %s", campagna, exc)
            else:
                invio.spostate += 1
    invia(campagna, Avviso.Tipo.APERTURA, oggi, utente=utente, invio=invio)
    campagna.avviso_apertura_il = timezone.now()
    campagna.save(update_fields=["avviso_apertura_il"])
    return invio


def preavviso_dovuto(campagna: Campagna, oggi: date) -> bool:
    giorni = (campagna.scadenza - oggi).days
    return (
        campagna.avviso_apertura_il is not None
        and campagna.avviso_scadenza_il is None
        and in_finestra(campagna, oggi)
        and giorni <= settings.CAMPAGNE_PREAVVISO_GIORNI
    )


@transaction.atomic
def avvisa_scadenza(campagna: Campagna, oggi: date) -> Invio | None:
    """The deadline e-mail, once, when the scadenza is CAMPAGNE_PREAVVISO_GIORNI away."""
    campagna = Campagna.objects.select_for_update().get(pk=campagna.pk)
    if not preavviso_dovuto(campagna, oggi):
        return None
    invio = invia(campagna, Avviso.Tipo.SCADENZA, oggi)
    campagna.avviso_scadenza_il = timezone.now()
    campagna.save(update_fields=["avviso_scadenza_il"])
    return invio


def avvisi_del_giorno(oggi: date) -> list[tuple[Campagna, str, Invio]]:
    """What the daily command does: open the rounds due, warn of the near deadlines.

    One e-mail a day at most per round: the deadline warning waits for the day after
    the opening."""
    fatti = []
    campagne = Campagna.objects.filter(
        chiusa_il__isnull=True, apertura__lte=oggi, scadenza__gte=oggi
    ).filter(Q(avviso_apertura_il__isnull=True) | Q(avviso_scadenza_il__isnull=True))
    for campagna in campagne.select_related("piano__comune").order_by("scadenza", "id"):
        if campagna.avviso_apertura_il is None:
            if invio := apri(campagna, oggi):
                fatti.append((campagna, "apertura", invio))
        elif invio := avvisa_scadenza(campagna, oggi):
            fatti.append((campagna, "scadenza", invio))
    return fatti


def sollecita(campagna: Campagna, utente, oggi: date, settore=None) -> Invio:
    """A reminder to one settore, or to every settore behind, where the round is open."""
    campagna = Campagna.objects.prefetch_related("riaperture").get(pk=campagna.pk)
    if settore is not None:
        if not aperta(campagna, settore.pk, oggi):
            raise TransizioneNonAmmessa(
                f"La campagna è chiusa per «{settore}»: riaprila per il settore prima di sollecitare."
            )
        settori = [settore.pk]
    elif in_finestra(campagna, oggi):
        settori = None
    else:
        settori = sorted({r.settore_id for r in campagna.riaperture.all() if r.fino_al >= oggi})
        if not settori:
            raise TransizioneNonAmmessa(
                "La campagna è chiusa: non ci sono ritardatari da sollecitare."
            )
    return invia(campagna, Avviso.Tipo.SOLLECITO, oggi, utente=utente, settori=settori)


def chiudi(campagna: Campagna) -> None:
    if campagna.chiusa_il is None:
        campagna.chiusa_il = timezone.now()
        campagna.save(update_fields=["chiusa_il"])


def riapri(campagna: Campagna, scadenza: date) -> None:
    """Reopen the whole round until a new deadline (the deadline e-mail goes again)."""
    if scadenza != campagna.scadenza:
        campagna.avviso_scadenza_il = None
    campagna.chiusa_il, campagna.scadenza = None, scadenza
    campagna.full_clean()
    campagna.save()


@transaction.atomic
def riapri_settore(campagna, settore, fino_al: date, motivazione: str, utente) -> RiaperturaSettore:
    """Reopen the round for one settore and e-mail its responsabili; if the e-mail
    cannot be sent, nothing is recorded (the error goes to the caller)."""
    riapertura = RiaperturaSettore.objects.create(
        campagna=campagna,
        settore=settore,
        fino_al=fino_al,
        motivazione=motivazione.strip(),
        utente=utente,
        quando=timezone.now(),
    )
    riapertura.invio = avvisa_riapertura(riapertura)
    return riapertura
