"""What an import says: its errors (sheet, row, column) and what it created or changed."""

from dataclasses import dataclass, field

from peg.importazione import Errore


@dataclass
class Esito:
    errori: list[Errore] = field(default_factory=list)
    creati: list[str] = field(default_factory=list)
    aggiornati: list[str] = field(default_factory=list)
    invariati: list[str] = field(default_factory=list)
    # scheda aggiornata → what changes on it, one line per object (prima → dopo)
    cambi: dict[str, list[str]] = field(default_factory=dict)
    salvato: bool = False

    @property
    def ok(self) -> bool:
        return not self.errori
