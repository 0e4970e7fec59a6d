"""Who sees the OIV's queue and a scheda's review, who sees and adds evidence.

Built on ``objectives.access`` (which schede a user sees: 404 outside) and on the
workflow (allegati follow the rendicontazione rule: 403 with why).
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from objectives.access import obiettivi_visibili, obiettivo_for_user, vede_valutazione
from objectives.models import Obiettivo
from objectives.workflow import puo_modificare, transizioni_possibili
from peg.access import (
    OIV,
    SEGRETERIA,
    comune_for_user,
    comuni_segreteria,
    per_chiave_nel_comune,
    ruoli,
    ruoli_sulla_scheda,
)
from peg.parametri import chiave

from .models import Allegato, Componente, Seduta
from .nucleo import nucleo_del_comune


def verifica_coda(user, comune) -> None:
    """The queue of rendicontazioni to validate: OIV and segreteria (else 403)."""
    if not ruoli(user, comune).tipi & {OIV, SEGRETERIA}:
        raise PermissionDenied(
            "La coda di validazione è riservata al nucleo di valutazione e alla segreteria."
        )


def revisione_for_user(user, slug: str, obiettivo_id: int) -> Obiettivo:
    """OIV, segreteria and the settore's responsabili see the review (others 403)."""
    obiettivo = obiettivo_for_user(user, slug, obiettivo_id)
    if not vede_valutazione(user, obiettivo):
        raise PermissionDenied(
            "La valutazione dell'obiettivo è visibile a OIV, segreteria e responsabili del settore."
        )
    return obiettivo


def e_oiv(user, obiettivo: Obiettivo) -> bool:
    return OIV in ruoli_sulla_scheda(user, obiettivo)


def puo_validare(user, obiettivo: Obiettivo) -> bool:
    """The workflow's rule: the OIV, on a rendicontata scheda."""
    return any(t.nome == "valida" for t in transizioni_possibili(user, obiettivo))


def verifica_oiv(user, obiettivo: Obiettivo, motivo: str) -> None:
    if not e_oiv(user, obiettivo):
        raise PermissionDenied(motivo)


def allegato_for_user(user, slug: str, uuid) -> Allegato:
    """An allegato of a scheda the user sees, else 404."""
    comune = comune_for_user(user, slug)
    return get_object_or_404(
        Allegato.objects.select_related("obiettivo__piano__comune", "obiettivo__settore"),
        uuid=uuid,
        obiettivo__in=obiettivi_visibili(user, comune),
    )


def puo_caricare(user, obiettivo: Obiettivo) -> bool:
    """Adding and removing evidence follows the rendicontazione rule of the workflow."""
    return puo_modificare(user, obiettivo, "rendicontazione")


def verifica_caricamento(user, obiettivo: Obiettivo) -> None:
    """PermissionDenied with the reason unless the user may add or remove allegati."""
    if not puo_caricare(user, obiettivo):
        raise PermissionDenied(caricamento_negato(obiettivo))


def caricamento_negato(obiettivo: Obiettivo) -> str:
    """Why allegati cannot be added or removed (the rule is the rendicontazione's)."""
    scheda = f"{obiettivo.codice} ({obiettivo.anno})"
    if obiettivo.stato == Obiettivo.Stato.VALIDATO:
        return f"{scheda} è validato: gli allegati non si possono più aggiungere né eliminare."
    return (
        f"Non puoi aggiungere né eliminare allegati di {scheda} nello stato "
        f"«{obiettivo.get_stato_display()}»: lo possono fare il responsabile del settore "
        "e la segreteria mentre l'obiettivo è in monitoraggio."
    )


def puo_commentare(user, obiettivo: Obiettivo) -> bool:
    """Those who see the review talk until the scheda is validated."""
    return obiettivo.stato != Obiettivo.Stato.VALIDATO and vede_valutazione(user, obiettivo)


# ---------------------------------------------------------------- the Nucleo and its sedute


def vede_nucleo(user, comune) -> bool:
    """The Nucleo's page and its sedute: the OIV (who records them) and the segreteria
    (who configures the Nucleo, and may keep the minutes)."""
    return bool(ruoli(user, comune).tipi & {OIV, SEGRETERIA})


def verifica_nucleo(user, comune) -> None:
    """``vede_nucleo``, else 403 with why."""
    if not vede_nucleo(user, comune):
        raise PermissionDenied(
            "Il nucleo di valutazione e le sue sedute sono riservati al nucleo (OIV) e alla "
            "segreteria."
        )


def _altri_comuni(user, nucleo) -> list[str]:
    """The comuni served by ``nucleo`` where ``user`` is not the segreteria."""
    if nucleo is None or user.is_superuser:
        return []
    return list(
        nucleo.comuni.exclude(pk__in=comuni_segreteria(user)).values_list("nome", flat=True)
    )


def puo_configurare_nucleo(user, comune) -> bool:
    """The segreteria of the comune — of every comune, when the Nucleo is shared (a
    convenzione): a change of its members changes who sits in the others' sedute."""
    return SEGRETERIA in ruoli(user, comune).tipi and not _altri_comuni(
        user, nucleo_del_comune(comune)
    )


def verifica_configurazione_nucleo(user, comune) -> None:
    """Name and members of the Nucleo: the segreteria of the comune (403 else)."""
    verifica_nucleo(user, comune)
    if SEGRETERIA not in ruoli(user, comune).tipi:
        raise PermissionDenied(
            "La composizione del nucleo di valutazione la configura la segreteria del comune."
        )
    if altri := _altri_comuni(user, nucleo_del_comune(comune)):
        raise PermissionDenied(
            "Il nucleo di valutazione serve anche " + ", ".join(altri) + ": la sua "
            "composizione la cambia chi è segreteria di tutti i comuni serviti (o "
            "l'amministratore del sistema)."
        )


def nucleo_for_user(user, slug: str):
    """(comune, its Nucleo or None) for the OIV and the segreteria; 404 outside."""
    comune = comune_for_user(user, slug)
    verifica_nucleo(user, comune)
    return comune, nucleo_del_comune(comune)


def componente_for_user(user, slug: str, componente_id):
    """A member of the comune's Nucleo, for the segreteria; 404 outside."""
    comune = comune_for_user(user, slug)
    verifica_configurazione_nucleo(user, comune)
    componente = get_object_or_404(
        Componente.objects.select_related("nucleo"),
        pk=chiave(componente_id),
        nucleo__comuni=comune,
    )
    return comune, componente


def seduta_for_user(user, slug: str, seduta_id):
    """A seduta of the comune (OIV and segreteria); another comune's: 404."""
    comune = comune_for_user(user, slug)
    verifica_nucleo(user, comune)
    seduta = per_chiave_nel_comune(Seduta, comune, seduta_id)
    seduta.comune = comune
    return seduta


def vede_documento_validazione(user, comune) -> bool:
    return bool(ruoli(user, comune).tipi & {OIV, SEGRETERIA})


def verifica_documento_validazione(user, comune) -> None:
    """The documento di validazione della Relazione: the Nucleo (OIV) and the segreteria."""
    if not vede_documento_validazione(user, comune):
        raise PermissionDenied(
            "Il documento di validazione della relazione è riservato al nucleo di "
            "valutazione (OIV) e alla segreteria."
        )


def puo_validare_in_blocco(user, comune) -> bool:
    """The OIV validates (the workflow checks each scheda again when it moves)."""
    return OIV in ruoli(user, comune).tipi
