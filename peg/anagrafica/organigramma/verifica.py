"""The rows checked and applied to the comune's organigramma in memory (``stato``):
the Settori here, the Persone in ``persone``.

Nothing here reads the database: every error (sheet, row, column) is found before
anything is written, whatever the file's size. Settori are matched by codice, else by
denominazione. An empty cell leaves what is recorded as it is; «Responsabile del
settore» empty is «no» for the settore of the row.
"""

from collections import defaultdict

from ...models import Settore
from ..ruoli import SEGRETERIA
from .celle import COLONNA, cita
from .colonne import ETICHETTE_TIPI, PERSONE, SERVIZIO_MASSIMO, SETTORI, TIPI, normalizza
from .lettura import Riga
from .persone import VerificaPersone
from .stato import Stato, VoceSettore


class Verifica(VerificaPersone):
    def __init__(self, comune, errore):
        self.stato = Stato(comune)
        self.errore = errore
        self.con_settori = False  # the file has a Settori sheet (an .xlsx)

    def esegui(self, fogli: dict[str, list[Riga]]) -> None:
        if SETTORI in fogli:
            self.con_settori = True
            self._settori(fogli[SETTORI])
        self._persone(fogli.get(PERSONE, []))
        self.stato.aggiorna_responsabili()
        self._resta_una_segreteria()

    def _resta_una_segreteria(self) -> None:
        """A file that takes the segreteria from everybody who has it would lock the
        comune out of its own organigramma: refused on the rows that take it."""
        if self.stato.segreterie_dopo() > 0:
            return
        for voce in self.stato.persone:
            if voce.ruolo_tolto(SEGRETERIA):
                self._sbaglia(
                    voce.riga_letta,
                    "ruoli",
                    "toglie la segreteria all'ultima persona che ce l'ha: il comune resterebbe "
                    "senza nessuno che ne gestisca l'organigramma. Lascia «segreteria» a "
                    "questa persona o dallo a un'altra.",
                )

    def _settori(self, righe: list[Riga]) -> None:
        lette, codici, nomi = [], {}, {}
        for riga in righe:
            codice, nome = self._testo(riga, "codice"), self._testo(riga, "nome")
            tipo = self._scelta(riga, "tipo", TIPI, f"non è un tipo di settore: {ETICHETTE_TIPI}.")
            descrizione = self._testo(riga, "descrizione", righe=True)
            servizi = self._elenco(riga, "servizi")
            for servizio in servizi:
                if len(servizio) > SERVIZIO_MASSIMO:
                    self._sbaglia(
                        riga,
                        "servizi",
                        f"il servizio {cita(servizio)} è troppo lungo: al massimo "
                        f"{SERVIZIO_MASSIMO} caratteri.",
                    )
            doppio = bool(codice) and self._doppio(codici, codice, riga, "codice")
            if nome and not any(c.isalpha() for c in nome):
                self._sbaglia(riga, "nome", f"{cita(nome)} non è una denominazione.")
            elif nome and not self._doppio(nomi, nome, riga, "nome") and not doppio:
                lette.append((riga, codice, nome, tipo, descrizione, servizi))
        self._abbina_settori(lette)
        self._denominazioni_uniche()

    def _abbina_settori(self, lette: list) -> None:
        """Each row to its settore: by codice first (for every row, so a renamed settore
        keeps its codice's row), then by denominazione (a settore without codice, or a
        row without one), else a new one."""
        per_codice = defaultdict(list)
        for voce in self.stato.settori:
            if voce.settore.codice.strip():
                per_codice[normalizza(voce.settore.codice)].append(voce)
        per_nome = {normalizza(v.settore.nome): v for v in self.stato.settori}
        abbinate, presi = {}, set()
        for riga, codice, *_ in lette:
            trovati = per_codice.get(normalizza(codice or ""), [])
            if len(trovati) > 1:
                self._sbaglia(
                    riga,
                    "codice",
                    f"nel comune ci sono {len(trovati)} settori con il codice {cita(codice)}: "
                    "cambiane il codice dalle loro pagine, poi importa il file.",
                )
                abbinate[riga.numero] = None
            elif trovati:
                abbinate[riga.numero] = trovati[0]
                presi.add(trovati[0])
        for riga, codice, nome, tipo, descrizione, servizi in lette:
            if riga.numero in abbinate and abbinate[riga.numero] is None:
                continue
            voce = abbinate.get(riga.numero)
            if voce is None:
                voce = per_nome.get(normalizza(nome))
                # A settore with another codice is not recoded by a file: the row is a new
                # settore, whose denominazione is then refused as taken.
                if voce is None or voce in presi or (codice and voce.settore.codice.strip()):
                    settore = Settore(comune=self.stato.comune, tipo=Settore.Tipo.SETTORE)
                    voce = self.stato.nuovo_settore(settore)
                presi.add(voce)
            self._applica_settore(voce, riga, codice, nome, tipo, descrizione, servizi)

    def _applica_settore(self, voce: VoceSettore, riga, codice, nome, tipo, descrizione, servizi):
        voce.riga = riga.numero
        settore = voce.settore
        for campo, valore in (
            ("nome", nome),
            ("codice", codice),
            ("tipo", tipo),
            ("descrizione", descrizione),
        ):
            if valore and valore != getattr(settore, campo):
                setattr(settore, campo, valore)
                voce.campi = True
        if servizi and servizi != voce.servizi_prima:
            voce.servizi = servizi

    def _denominazioni_uniche(self) -> None:
        """A denominazione is one settore's in the comune (what the file renames counts
        as renamed)."""
        per_nome = defaultdict(list)
        for voce in self.stato.settori:
            per_nome[normalizza(voce.settore.nome)].append(voce)
        for voci in per_nome.values():
            altri = [v for v in voci if v.riga is None]
            for voce in voci:
                if voce.riga is not None and altri:
                    self.errore(
                        f"{cita(voce.settore.nome)} è già la denominazione del settore "
                        f"«{altri[0].settore}» del comune, che non è nel file.",
                        SETTORI,
                        voce.riga,
                        COLONNA[SETTORI]["nome"].intestazione,
                    )
