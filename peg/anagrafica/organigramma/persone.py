"""The Persone rows checked and applied in memory: persone matched by matricola, else
(a persona recorded without one, like the demo's addetti) by name when exactly one
such persona has it; each row sets the settore she works in, whether she directs it,
her ruoli."""

import re
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from ...models import Persona
from .celle import Celle, cita
from .colonne import AREE, CODICI_RUOLI, ETICHETTE_AREE, NO, RUOLI, SI, normalizza
from .lettura import Riga
from .stato import VocePersona, VoceSettore

CATEGORIA_VECCHIA = re.compile(r"[a-d]\d?", re.IGNORECASE)


class VerificaPersone(Celle):
    stato = None
    con_settori = False

    def _persone(self, righe: list[Riga]) -> None:
        per_codice, per_nome = defaultdict(list), {}
        for voce in self.stato.settori:
            if voce.settore.codice.strip():
                per_codice[normalizza(voce.settore.codice)].append(voce)
            per_nome[normalizza(voce.settore.nome)] = voce
        self._settori_per = (per_codice, per_nome)
        per_matricola, senza = {}, defaultdict(list)
        for voce in self.stato.persone:
            if voce.persona.matricola.strip():
                per_matricola[normalizza(voce.persona.matricola)] = voce
            else:
                senza[normalizza(voce.persona.nome)].append(voce)
        matricole = {}
        for riga in righe:
            matricola, nome = self._testo(riga, "matricola"), self._testo(riga, "nome")
            if nome and not any(c.isalpha() for c in nome):
                self._sbaglia(riga, "nome", f"{cita(nome)} non è un nome.")
                nome = None
            campi = self._campi_persona(riga)
            settore = self._settore_di(riga)
            responsabile = self._responsabile(riga, settore)
            ruoli = self._ruoli(riga)
            if not matricola or not nome or self._doppio(matricole, matricola, riga, "matricola"):
                continue
            voce = per_matricola.get(normalizza(matricola))
            if voce is None:
                omonimi = [v for v in senza.get(normalizza(nome), []) if v.riga is None]
                voce = omonimi[0] if len(omonimi) == 1 else None
            if voce is None:
                voce = self.stato.nuova_persona(Persona(comune=self.stato.comune))
            voce.riga, voce.riga_letta = riga.numero, riga
            campi |= {"nome": nome}
            if normalizza(voce.persona.matricola) != normalizza(matricola):
                campi["matricola"] = matricola
            self._applica_persona(voce, riga, campi, settore, responsabile, ruoli)

    def _campi_persona(self, riga: Riga) -> dict:
        """The fields the row gives (an empty cell gives none)."""
        campi = {}
        email = self._testo(riga, "email")
        if email:
            try:
                validate_email(email)
                campi["email"] = email
            except ValidationError:
                self._sbaglia(riga, "email", f"{cita(email)} non è un indirizzo e-mail valido.")
        area = self._testo(riga, "area")
        if area and normalizza(area) in AREE:
            campi["area"] = AREE[normalizza(area)]
        elif area:
            nota = ""
            if CATEGORIA_VECCHIA.fullmatch(area):
                nota = " La categoria dell'ordinamento precedente va nella colonna «Categoria»."
            self._sbaglia(
                riga, "area", f"{cita(area)} non è un'area del CCNL: {ETICHETTE_AREE}.{nota}"
            )
        for chiave in ("profilo", "categoria"):
            if valore := self._testo(riga, chiave):
                campi[chiave] = valore
        return campi

    def _settore_di(self, riga: Riga) -> VoceSettore | None:
        """The settore the cell names: its codice, or its denominazione."""
        testo = self._testo(riga, "settore")
        if not testo:
            return None
        per_codice, per_nome = self._settori_per
        trovati = per_codice.get(normalizza(testo)) or [per_nome.get(normalizza(testo))]
        if len(trovati) > 1:
            self._sbaglia(
                riga,
                "settore",
                f"nel comune ci sono {len(trovati)} settori con il codice {cita(testo)}: "
                "scrivi la denominazione.",
            )
            return None
        if trovati[0] is None:
            dove = "nel foglio Settori né tra i settori" if self.con_settori else "tra i settori"
            self._sbaglia(riga, "settore", f"{cita(testo)} non è {dove} del comune.")
        return trovati[0]

    def _responsabile(self, riga: Riga, settore: VoceSettore | None) -> bool | None:
        """True/False for the row's settore; None (as it is) without the column or when
        the cell is wrong (reported)."""
        valore = riga["responsabile"]
        if valore is None or "responsabile" not in riga:
            return None
        scritto = normalizza(valore)
        if scritto not in SI | NO | {""}:
            self._sbaglia(riga, "responsabile", f"{cita(valore)} non è «sì» o «no».")
            return None
        if scritto in SI and settore is None:
            if riga["settore"] == "":
                self._sbaglia(
                    riga, "responsabile", "è responsabile, ma la colonna «Settore» è vuota."
                )
            return None
        return scritto in SI

    def _ruoli(self, riga: Riga) -> set[str] | None:
        ruoli, sbagliati = set(), []
        for voce in self._elenco(riga, "ruoli"):
            if normalizza(voce) in RUOLI:
                ruoli.add(RUOLI[normalizza(voce)])
            else:
                sbagliati.append(cita(voce))
        if sbagliati:
            cosa = "non è un ruolo" if len(sbagliati) == 1 else "non sono ruoli"
            self._sbaglia(riga, "ruoli", f"{', '.join(sbagliati)} {cosa}: {CODICI_RUOLI}.")
        return ruoli or None

    def _applica_persona(self, voce: VocePersona, riga, campi, settore, responsabile, ruoli):
        persona = voce.persona
        for campo, valore in campi.items():
            if valore != getattr(persona, campo):
                setattr(persona, campo, valore)
                voce.campi = True
        if settore is not None:
            # She works in one settore: the row's (she leaves the others).
            voce.addetto_di = {settore}
            if responsabile:
                voce.responsabile_di.add(settore)
            elif responsabile is False:
                voce.responsabile_di.discard(settore)
        voce.ruoli = ruoli
        if ruoli and not persona.email and not persona.utente_id:
            self._sbaglia(
                riga,
                "email",
                "per dare un ruolo serve l'e-mail: l'invito ad accedere arriva lì.",
            )
