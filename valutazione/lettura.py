"""The scheda as the OIV's review reads it: the scheda's read model
(``objectives.lettura``) with the validations and the thread."""

from objectives.lettura import leggi_scheda
from objectives.models import Obiettivo

from .models import Commento, Validazione
from .punteggi import validazioni_in_vigore


def leggi_revisione(obiettivo: Obiettivo) -> Obiettivo:
    """The scheda read, with ``validazioni`` (latest first) and ``commenti``."""
    scheda = leggi_scheda(obiettivo)
    scheda.lista_validazioni = list(
        Validazione.objects.filter(obiettivo=scheda)
        .select_related("utente", "seduta")
        .prefetch_related("rettifiche__indicatore")
    )
    scheda.lista_commenti = list(
        Commento.objects.filter(obiettivo=scheda).select_related("autore", "seduta")
    )
    scheda.validazione_in_vigore = validazioni_in_vigore([scheda.pk]).get(scheda.pk)
    return scheda
