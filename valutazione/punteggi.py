"""Which of the OIV's validated figures are in force, for the scoring loaders.

A rettifica counts only while its scheda stays *validato*: reopening the scheda brings
back the computed figures, and a later validation supersedes the earlier one (which
stays in history, ``attivo`` False). Registered with ``indicators.caricamento`` when the
app is ready, so the loaders below this app never import it.
"""

from indicators.caricamento import raggruppa
from objectives.models import Obiettivo

from .models import PunteggioValidato


def rettifiche_in_vigore(obiettivi_ids) -> dict:
    """{obiettivo id: [PunteggioValidato in force]} for a subquery of obiettivo ids."""
    return raggruppa(
        PunteggioValidato.objects.filter(
            obiettivo__in=obiettivi_ids, attivo=True, obiettivo__stato=Obiettivo.Stato.VALIDATO
        ).select_related("indicatore"),
        "obiettivo_id",
    )
