"""What the comune has, loaded once and changed in memory by the file's rows.

Five queries whatever the file's size: the settori, their servizi, the persone, who
directs which settore and who works in it. The rows change these objects without
saving them (``verifica``); ``salvataggio`` writes what changed, only if the file has
no error. Who directs or works where is kept on each persona (before and after), so a
row changes it without walking every settore.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from ...models import Persona, Servizio, Settore
from .. import ruoli
from ..come_stampato import genera, generato_da


@dataclass(eq=False)
class VoceSettore:
    settore: Settore
    nome_prima: str = ""
    riga: int | None = None  # its row in the Settori sheet
    nuovo: bool = False
    campi: bool = False  # a field of the settore changed (responsabili_testo too)
    servizi_prima: list[str] = field(default_factory=list)
    servizi: list[str] | None = None  # the file's list, when it differs
    responsabili_prima: set = field(default_factory=set)  # VocePersona
    responsabili: set = field(default_factory=set)

    @property
    def responsabili_cambiati(self) -> bool:
        return self.responsabili != self.responsabili_prima


@dataclass(eq=False)
class VocePersona:
    persona: Persona
    riga: int | None = None  # its row in the Persone sheet
    nuova: bool = False
    campi: bool = False  # a field of the persona changed
    nome_prima: str = ""
    addetto_prima: frozenset = frozenset()  # VoceSettore
    responsabile_prima: frozenset = frozenset()
    addetto_di: set = field(default_factory=set)
    responsabile_di: set = field(default_factory=set)
    ruoli: set | None = None  # the file's ruoli; None: as they are
    ruoli_prima: frozenset = frozenset()  # her user's ruoli in the comune
    riga_letta: object = None  # her row (lettura.Riga), for an error on it

    def ruolo_tolto(self, tipo: str) -> bool:
        return self.ruoli is not None and tipo in self.ruoli_prima and tipo not in self.ruoli

    @property
    def ruoli_cambiati(self) -> bool:
        return self.ruoli is not None and set(self.ruoli) != self.ruoli_prima

    @property
    def spostata(self) -> bool:
        return (
            self.addetto_di != self.addetto_prima or self.responsabile_di != self.responsabile_prima
        )

    @property
    def da_invitare(self) -> bool:
        """A ruolo and no user yet: the import creates one and invites her."""
        return bool(self.ruoli) and not self.persona.utente_id


class Stato:
    def __init__(self, comune):
        self.comune = comune
        self.settori = [VoceSettore(s, s.nome) for s in Settore.objects.filter(comune=comune)]
        per_id = {v.settore.pk: v for v in self.settori}
        servizi = Servizio.objects.filter(settore__comune=comune).order_by(
            "settore_id", "ordine", "id"
        )
        for settore_id, nome in servizi.values_list("settore_id", "nome"):
            per_id[settore_id].servizi_prima.append(nome)
        self.persone = [VocePersona(p, nome_prima=p.nome) for p in comune.persone.all()]
        persone = {v.persona.pk: v for v in self.persone}
        relazioni = {"addetto_prima": defaultdict(set), "responsabile_prima": defaultdict(set)}
        for attributo, modello in (
            ("addetto_prima", Settore.addetti.through),
            ("responsabile_prima", Settore.responsabili.through),
        ):
            righe = modello.objects.filter(settore__comune=comune)
            for settore_id, persona_id in righe.values_list("settore_id", "persona_id"):
                # A persona of another comune (only the admin could link her) stays as is.
                if persona_id in persone:
                    relazioni[attributo][persona_id].add(per_id[settore_id])
        tipi = ruoli.tipi_per_utente(comune)
        for voce in self.persone:
            voce.ruoli_prima = frozenset(tipi.get(voce.persona.utente_id, ()))
            for attributo, per_persona in relazioni.items():
                setattr(voce, attributo, frozenset(per_persona[voce.persona.pk]))
            voce.addetto_di = set(voce.addetto_prima)
            voce.responsabile_di = set(voce.responsabile_prima)

    def segreterie_dopo(self) -> int:
        """How many persone of the comune hold the segreteria once the file is in (the
        users with the ruolo who are not persone of the comune count as they are)."""
        nel_file = [v for v in self.persone if v.persona.utente_id or v.ruoli]
        dopo = sum(
            ruoli.SEGRETERIA in (v.ruoli if v.ruoli is not None else v.ruoli_prima)
            for v in nel_file
        )
        if dopo:
            return dopo
        utenti = {v.persona.utente_id for v in self.persone if v.persona.utente_id}
        return ruoli.segreterie_fuori(self.comune, utenti)

    def nuovo_settore(self, settore: Settore) -> VoceSettore:
        voce = VoceSettore(settore, nuovo=True)
        self.settori.append(voce)
        return voce

    def nuova_persona(self, persona: Persona) -> VocePersona:
        voce = VocePersona(persona, nuova=True)
        self.persone.append(voce)
        return voce

    def aggiorna_responsabili(self) -> None:
        """Each settore's responsabili before and after the rows, and the text the prints
        show («responsabili (come stampato)») where it was empty or the one generated
        from the responsabili before: a text written by hand stays."""
        for voce in self.settori:
            voce.responsabili_prima, voce.responsabili = set(), set()
        for persona in self.persone:
            for settore in persona.responsabile_prima:
                settore.responsabili_prima.add(persona)
            for settore in persona.responsabile_di:
                settore.responsabili.add(persona)
        for voce in self.settori:
            prima = [p.nome_prima for p in voce.responsabili_prima]
            dopo = [p.persona.nome for p in voce.responsabili]
            toccato = voce.riga is not None or voce.nuovo or sorted(prima) != sorted(dopo)
            testo = voce.settore.responsabili_testo
            if toccato and (not testo or generato_da(testo, prima)) and testo != genera(dopo):
                voce.settore.responsabili_testo = genera(dopo)
                voce.campi = True
