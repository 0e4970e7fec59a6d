"""What an import of the organigramma says: its errors, or what it created, changed and
who was invited (names as the pages show them)."""

from dataclasses import dataclass, field

from ...importazione import Errore


@dataclass
class EsitoOrganigramma:
    errori: list[Errore] = field(default_factory=list)
    settori_creati: list[str] = field(default_factory=list)
    settori_aggiornati: list[str] = field(default_factory=list)
    persone_create: list[str] = field(default_factory=list)
    persone_aggiornate: list[str] = field(default_factory=list)
    # «Nome: ruoli prima → ruoli dopo» of the users whose ruoli the file changes.
    ruoli_cambiati: list[str] = field(default_factory=list)
    # Who got a user and the invitation (with solo_verifica: who would).
    invitati: list[str] = field(default_factory=list)
    salvato: bool = False

    @property
    def ok(self) -> bool:
        return not self.errori

    def errore(self, messaggio: str, foglio: str = "", riga: int | None = None, colonna: str = ""):
        self.errori.append(Errore(messaggio, foglio, riga, colonna))

    def con_errore(self, messaggio: str) -> "EsitoOrganigramma":
        self.errore(messaggio)
        return self
