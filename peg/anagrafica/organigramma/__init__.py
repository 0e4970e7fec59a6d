"""Import of the comune's organigramma from a file (the segreteria's tool).

The file is the template of ``modello()`` filled in (.xlsx: sheets Settori and Persone;
the Istruzioni sheet and any other are ignored) or the Persone sheet alone as a .csv
(UTF-8 with or without BOM, «;» or «,»), whose settori must then already be recorded.
Columns are found by name in the header row, in any order (``colonne``); an unknown or
missing required column is an error naming it.

Settori are matched by codice (else by denominazione) in the comune, persone by
matricola (else, for a persona recorded without one, by name); the rest is created.
The file adds and updates, it never deletes: settori and persone that are not in the
file are left as they are, and an empty cell leaves what is recorded as it is (except
«Responsabile del settore», where empty is «no» for the settore of the row). A
settore's servizi become the file's list when its cell is not empty; a persona works
in the settore of her row (``Settore.addetti``) and, with «sì», directs it
(``Settore.responsabili``); her «Ruoli», when given, become exactly her ruoli
(``ruoli.assegna``: a user is created for whoever had none, and invited by e-mail).

Everything is read (``lettura``) and checked against the comune in memory
(``verifica``: a fixed number of queries, whatever the file's size) first; every error
says sheet, row and column in Italian. With one error nothing is written. Otherwise
everything is written in one transaction (``salvataggio``).
"""

import logging

from django.db import IntegrityError

from .esito import EsitoOrganigramma
from .lettura import leggi
from .modello_vuoto import modello
from .salvataggio import etichetta, salva
from .stato import Stato
from .verifica import Verifica

__all__ = ["EsitoOrganigramma", "importa", "modello"]

logger = logging.getLogger(__name__)


def importa(
    comune, dati: bytes, nome_file: str, *, solo_verifica: bool, da=None, invita: bool = True
) -> EsitoOrganigramma:
    """Check the file against the comune's organigramma and, without errors and unless
    ``solo_verifica``, save it all; ``invita=False`` creates the users without sending
    the invitations. ``da``: who imports (named in the invitation)."""
    esito = EsitoOrganigramma()
    fogli = leggi(dati, nome_file, esito.errore)
    if fogli is None:
        return esito
    verifica = Verifica(comune, esito.errore)
    verifica.esegui(fogli)
    if not esito.ok:
        return esito
    _riassumi(verifica.stato, esito, invita)
    if solo_verifica:
        return esito
    try:
        salva(verifica.stato, esito, da=da, invita=invita)
    except IntegrityError as exc:
        # Checked in memory, so only a change made meanwhile by someone else gets here.
        logger.warning("Organigramma di %s: salvataggio rifiutato: %r", comune, exc)
        return EsitoOrganigramma(salvato=False).con_errore(
            "Il database ha rifiutato il salvataggio (una denominazione o una matricola "
            "già presente, forse inserita nel frattempo da un'altra pagina): non è stato "
            "salvato nulla. Ricarica il file."
        )
    return esito


def _tipi(tipi) -> str:
    return ", ".join(sorted(tipi)) or "nessun ruolo"


def _riassumi(stato: Stato, esito: EsitoOrganigramma, invita: bool) -> None:
    """What the file creates and changes, in the file's order (before saving: the same
    for a verification and an import), the ruoli of existing users that change."""
    for voce in sorted(stato.settori, key=lambda v: (v.riga is None, v.riga or 0)):
        if voce.nuovo:
            esito.settori_creati.append(str(voce.settore))
        elif voce.campi or voce.servizi is not None or voce.responsabili_cambiati:
            esito.settori_aggiornati.append(str(voce.settore))
    persone = sorted(stato.persone, key=lambda v: (v.riga is None, v.riga or 0))
    for voce in persone:
        if voce.nuova:
            esito.persone_create.append(etichetta(voce))
        elif voce.campi or voce.spostata or voce.da_invitare or voce.ruoli_cambiati:
            esito.persone_aggiornate.append(etichetta(voce))
        if voce.ruoli_cambiati and voce.persona.utente_id:
            esito.ruoli_cambiati.append(
                f"{voce.persona.nome}: {_tipi(voce.ruoli_prima)} → {_tipi(voce.ruoli)}"
            )
    if invita:
        esito.invitati = [v.persona.nome for v in persone if v.da_invitare]
