"""The scheda as the OIV's review reads it: the scheda's read model
(``objectives.lettura``) with the validations and the thread."""

from objectives.lettura import leggi_scheda
from objectives.models import Obiettivo

from .models import Commento, Validazione


def leggi_revisione(obiettivo: Obiettivo) -> Obiettivo:
    """The scheda read, with ``validazioni`` (latest first) and ``commenti``."""
    scheda = leggi_scheda(obiettivo)
    scheda.lista_validazioni = list(
        Validazione.objects.filter(obiettivo=scheda)
        .select_related("utente")
        .prefetch_related("rettifiche__indicatore")
    )
    scheda.lista_commenti = list(Commento.objects.filter(obiettivo=scheda).select_related("autore"))
    # A reopened scheda counts as computed again: its last validation is history.
    scheda.validazione_in_vigore = (
        next((v for v in scheda.lista_validazioni if v.attiva), None)
        if scheda.stato == Obiettivo.Stato.VALIDATO
        else None
    )
    return scheda
