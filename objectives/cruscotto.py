"""What each role sees first: a responsabile his schede, the segreteria the comune's progress."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count

from indicators.models import Indicatore
from indicators.scoring import con_figli, esiti_obiettivi
from peg.models import Ruolo

from . import campagne
from .models import Obiettivo

IN_CORSO = (Obiettivo.Stato.APPROVATO, Obiettivo.Stato.IN_MONITORAGGIO)


@dataclass
class Scheda:
    obiettivo: Obiettivo
    esito: object
    prossima_scadenza: date | None


@dataclass
class Cruscotto:
    comune: object
    ruoli: set
    mie: list = field(default_factory=list)  # [Scheda] of the responsabile's settori
    per_stato: list = field(default_factory=list)  # [(label, n)]
    scadute: list = field(default_factory=list)  # [Indicatore] past due with no final value
    settori_in_ritardo: list = field(default_factory=list)  # [(settore nome, n scadute)]
    campagne: list = field(default_factory=list)  # [campagne.InCorso] open rounds
    campagne_mie: list = field(default_factory=list)  # [campagne.InCorso] of his settori


def _prossima(obiettivo: Obiettivo, oggi: date) -> date | None:
    date_ = [
        i.data_attesa
        for i in obiettivo.indicatori.all()
        if i.data_attesa
        and i.data_attesa >= oggi
        and not any(r.tipo == "finale" for r in i.rilevazioni.all())
    ]
    date_ += [
        f.data_fine_prevista
        for f in obiettivo.fasi.all()
        if f.data_fine_prevista and f.data_fine_prevista >= oggi and not f.data_fine_effettiva
    ]
    return min(date_, default=None)


def cruscotto(user, comune, oggi: date) -> Cruscotto:
    ruoli = set(Ruolo.objects.filter(utente=user, comune=comune).values_list("tipo", flat=True))
    if user.is_superuser:
        ruoli.add(Ruolo.Tipo.SEGRETERIA)
    risultato = Cruscotto(comune, ruoli)
    if Ruolo.Tipo.RESPONSABILE in ruoli:
        obiettivi = list(
            con_figli(Obiettivo.objects)
            .filter(
                piano__comune=comune,
                settore__ruoli__utente=user,
                settore__ruoli__tipo=Ruolo.Tipo.RESPONSABILE,
            )
            .select_related("settore", "piano")
            .order_by("-anno", "settore__codice", "codice")
            .distinct()
        )
        esiti = esiti_obiettivi(obiettivi)
        risultato.mie = [Scheda(o, esiti[o.pk], _prossima(o, oggi)) for o in obiettivi]
        risultato.campagne_mie = campagne.del_responsabile(comune, user, oggi)
    if Ruolo.Tipo.SEGRETERIA in ruoli:
        risultato.campagne = campagne.in_corso(comune, oggi)
    if ruoli & {Ruolo.Tipo.SEGRETERIA, Ruolo.Tipo.OIV}:
        conteggi = dict(
            Obiettivo.objects.filter(piano__comune=comune)
            .values_list("stato")
            .annotate(n=Count("id"))
        )
        risultato.per_stato = [
            (label, conteggi.get(value, 0)) for value, label in Obiettivo.Stato.choices
        ]
        scadute = Indicatore.objects.filter(
            obiettivo__piano__comune=comune, obiettivo__stato__in=IN_CORSO, data_attesa__lt=oggi
        ).exclude(rilevazioni__tipo="finale")
        risultato.scadute = list(
            scadute.select_related("obiettivo__settore").order_by(
                "data_attesa", "obiettivo__codice"
            )[:20]
        )
        risultato.settori_in_ritardo = list(
            scadute.values_list("obiettivo__settore__nome").annotate(n=Count("id")).order_by("-n")
        )
    return risultato
