"""Which of the OIV's validations and validated figures are in force: the one place.

A validation and its rettifiche count only while the scheda stays *validato*:
reopening the scheda brings back the computed figures, and a later validation
supersedes the earlier one (which stays in history, ``attiva``/``attivo`` False).
``rettifiche_in_vigore`` is registered with ``indicators.caricamento`` when the app is
ready (with ``puo_averne``, which spares the query when no scheda loaded is validated), so the scoring loaders below this app never import it; the readers above
(review, prints, relazione) call these functions.
"""

from objectives.models import Obiettivo

from .models import PunteggioValidato, Validazione

# The only stato whose validation and rettifiche are in force.
IN_VIGORE = Obiettivo.Stato.VALIDATO


def puo_averne(stato: str) -> bool:
    """Whether a scheda in ``stato`` may have a validation and rettifiche in force."""
    return stato == IN_VIGORE


def _in_vigore(obiettivi_ids, attiva: str) -> dict:
    return {"obiettivo__in": obiettivi_ids, attiva: True, "obiettivo__stato": IN_VIGORE}


def rettifiche_in_vigore(obiettivi_ids) -> dict:
    """{obiettivo id: [PunteggioValidato in force]} for obiettivo ids (or a subquery),
    the obiettivo's own first, then by indicatore."""
    gruppi: dict = {}
    for r in (
        PunteggioValidato.objects.filter(**_in_vigore(obiettivi_ids, "attivo"))
        .select_related("indicatore")
        .order_by("obiettivo_id", "indicatore__numero", "id")
    ):
        gruppi.setdefault(r.obiettivo_id, []).append(r)
    for rettifiche in gruppi.values():
        rettifiche.sort(key=lambda r: r.indicatore_id is not None)  # stable: numero kept
    return gruppi


def validazioni_in_vigore(obiettivi_ids) -> dict:
    """{obiettivo id: the Validazione in force} for obiettivo ids (or a subquery)."""
    return {
        v.obiettivo_id: v
        for v in Validazione.objects.filter(**_in_vigore(obiettivi_ids, "attiva")).select_related(
            "utente", "seduta"
        )
    }
