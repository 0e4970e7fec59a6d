"""Import of the Excel workbook of ``reporting.excel`` into a piano (the segreteria's tool).

Everything is read (``lettura``: headers by their Italian name or technical one, any
case) and checked (``verifica``, ``pesi``; the records a cell names are found by
``riferimenti``) first; every error says sheet, row and column (its Italian header) in
Italian. Only a file without errors is saved (``salvataggio``), in one transaction,
through the service that changes schede: schede are matched by (codice, anno) in the
piano, updated or created; the indicatori, fasi and risorse of an imported scheda
become those of the file (indicatori and fasi matched by numero, so their valori
storici survive; risorse umane by persona), its DUP links and ambiti those of its row
and its rilevazioni those of the Rilevazioni sheet. A sheet or column the file lacks
(one added after the first files) leaves its data as it is; the Risultati sheet and
sheets the import does not know are ignored.

A scheda already approved may change only as a variazione, with its motivazione (and
the user who records it), and without touching what was achieved (rilevazioni,
effective dates, avanzamento, stato di attuazione); once rendicontato or validato it
may only appear unchanged.
"""

from django.utils import timezone

from peg.archivio import FileNonValido, verifica_dimensione

from . import salvataggio
from .esito import Errore, Esito
from .lettura import anni_del_file, leggi, limite_mb
from .verifica import Verifica

__all__ = [
    "Errore",
    "Esito",
    "FileNonValido",
    "Importatore",
    "anni_del_file",
    "importa",
    "limite_mb",
    "verifica_dimensione",
]


class Importatore:
    def __init__(self, piano, motivazione: str = "", utente=None):
        self.piano = piano
        self.motivazione = motivazione.strip()
        self.utente = utente
        self.esito = Esito()
        self.schede: dict = {}  # (codice, anno) → verifica.Scheda
        self.letto_il = timezone.now()

    def errore(self, messaggio, foglio="", riga=None, colonna=""):
        self.esito.errori.append(Errore(messaggio, foglio, riga, colonna))

    def leggi(self, dati: bytes):
        return leggi(dati, self.errore)

    def verifica(self, fogli) -> None:
        Verifica(self).esegui(fogli)

    def salva(self) -> None:
        salvataggio.salva(self)


def importa(
    piano, dati: bytes, solo_verifica: bool = False, motivazione: str = "", utente=None
) -> Esito:
    """Validate the workbook against the piano and, without errors, save it all.

    With a ``motivazione`` (and the user), approved schede may change: each is a variazione."""
    importatore = Importatore(piano, motivazione, utente)
    fogli = importatore.leggi(dati)
    if fogli is None:
        return importatore.esito
    importatore.verifica(fogli)
    if importatore.esito.ok and not solo_verifica:
        importatore.salva()
    return importatore.esito
