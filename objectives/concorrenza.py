"""No lost updates: a form carries the scheda's versione; a stale one is refused."""

from datetime import datetime

from .models import Obiettivo
from .storico import Voce, storico_obiettivo


class ModificaConcorrente(Exception):
    """Someone saved the scheda after this form was loaded."""

    def __init__(self, cambi: list[Voce]):
        self.cambi = cambi
        super().__init__("La scheda è stata modificata da un altro utente dopo che l'hai aperta.")


def blocca_versione(obiettivo_id: int, versione: int, caricato_il: datetime) -> Obiettivo:
    """Lock the scheda for this transaction; raise with what changed since ``caricato_il``
    if its versione is no longer the one the form was loaded with."""
    attuale = Obiettivo.objects.select_for_update().get(pk=obiettivo_id)
    if attuale.versione != versione:
        raise ModificaConcorrente([v for v in storico_obiettivo(attuale) if v.quando > caricato_il])
    return attuale
