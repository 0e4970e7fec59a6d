"""Which ruoli a persona holds in her comune, and the responsabile's settori.

One rule: a responsabile answers for the settori of which she is among the
``responsabili`` (what the prints name). Giving her the ruolo, or changing a settore's
responsabili from these pages or the import, sets the ruolo's settori from that, so
the schede she may change follow the organigramma."""

from django.db import transaction

from ..models import Persona, Ruolo, Settore
from . import inviti

RESPONSABILE = Ruolo.Tipo.RESPONSABILE
SEGRETERIA = Ruolo.Tipo.SEGRETERIA


def tipi_di(persona) -> set[str]:
    if not persona.utente_id:
        return set()
    return set(
        Ruolo.objects.filter(utente_id=persona.utente_id, comune_id=persona.comune_id).values_list(
            "tipo", flat=True
        )
    )


@transaction.atomic
def assegna(persona, tipi: set[str]) -> bool:
    """Give the persona exactly ``tipi`` in her comune. Returns True if a user was
    created for her (the caller invites her)."""
    tipi = set(tipi)
    if not tipi and not persona.utente_id:
        return False
    nuovo = not persona.utente_id
    utente = inviti.utente_per(persona)
    esistenti = Ruolo.objects.filter(utente=utente, comune_id=persona.comune_id)
    esistenti.exclude(tipo__in=tipi).delete()
    gia = set(esistenti.values_list("tipo", flat=True))
    for tipo in tipi - gia:
        Ruolo.objects.create(utente=utente, comune_id=persona.comune_id, tipo=tipo)
    if RESPONSABILE in tipi:
        _allinea(persona)
    return nuovo


def allinea_responsabili(settore: Settore, prima: set[int]) -> None:
    """After the settore's responsabili changed (``prima``: their ids before), the
    responsabile ruoli of the persone who entered or left it."""
    ora = set(settore.responsabili.values_list("pk", flat=True))
    for persona in Persona.objects.filter(pk__in=prima ^ ora, utente__isnull=False):
        ruolo = _ruolo_responsabile(persona)
        if ruolo is None:
            continue
        if persona.pk in ora:
            ruolo.settori.add(settore)
        else:
            ruolo.settori.remove(settore)


def _allinea(persona) -> None:
    ruolo = _ruolo_responsabile(persona)
    if ruolo is not None:
        ruolo.settori.add(*persona.settori_diretti.filter(comune_id=persona.comune_id))


def _ruolo_responsabile(persona) -> Ruolo | None:
    return Ruolo.objects.filter(
        utente_id=persona.utente_id, comune_id=persona.comune_id, tipo=RESPONSABILE
    ).first()


def etichette_per_utente(comune) -> dict[int, list[str]]:
    """Per user id, the names of the ruoli held in ``comune`` (the organigramma's page)."""
    etichette = dict(Ruolo.Tipo.choices)
    return {
        utente_id: [etichette[t] for t in sorted(tipi)]
        for utente_id, tipi in tipi_per_utente(comune).items()
    }


def tipi_per_utente(comune) -> dict[int, set[str]]:
    """Per user id, the ruoli held in ``comune`` (one query: the import's check)."""
    per_utente: dict[int, set[str]] = {}
    for utente_id, tipo in Ruolo.objects.filter(comune=comune).values_list("utente_id", "tipo"):
        per_utente.setdefault(utente_id, set()).add(tipo)
    return per_utente


def segreterie_fuori(comune, utenti: set[int]) -> int:
    """The segreteria users of ``comune`` other than ``utenti`` (e.g. not persone of it)."""
    righe = Ruolo.objects.filter(comune=comune, tipo=SEGRETERIA).exclude(utente_id__in=utenti)
    return righe.values("utente_id").distinct().count()


def toglie_l_ultima_segreteria(persona, tipi: set[str]) -> bool:
    """Would giving ``persona`` exactly ``tipi`` leave her comune without a segreteria?"""
    if SEGRETERIA in tipi or not persona.utente_id:
        return False
    segreterie = Ruolo.objects.filter(comune_id=persona.comune_id, tipo=SEGRETERIA)
    return set(segreterie.values_list("utente_id", flat=True)) == {persona.utente_id}


def altrove(utente) -> bool:
    """Does the user hold ruoli in more than one comune (an account shared by several
    comuni: one comune's segreteria must not change it)?"""
    return Ruolo.objects.filter(utente=utente).values("comune_id").distinct().count() > 1
