"""Checking the rows read against the piano: which scheda each is, whether it may change,
and the objects the save will write — every error with sheet, row and column.

Schede are matched by (codice, anno) in the piano; indicatori and fasi by numero (so
their valori storici survive), risorse by their place in the sheet, rilevazioni by
indicatore and tipo. Whether a scheda may change is the workflow's rule
(``objectives.workflow``): before approval freely, after it as a variazione with a
motivazione, never once rendicontato or validato. The weights are checked by
``reporting.excel_import.pesi``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from indicators.models import Indicatore, Rilevazione
from objectives.models import (
    Fase,
    Obiettivo,
    RisorsaFinanziaria,
    RisorsaStrumentale,
    RisorsaUmana,
)
from objectives.modifiche import testi_superati, verifica_variazione
from objectives.workflow import (
    TransizioneNonAmmessa,
    ambito_scheda,
    puo_creare_schede,
    puo_modificare,
)
from peg import organigramma_piano
from peg.access import nel_comune
from peg.models import Settore

from ..excel import (
    FIGLI,
    FOGLI,
    colonna,
    intestazione,
    istanze,
    ordine_risorsa,
    ordine_strumentale,
    valore,
)
from . import cambi, pesi, vincoli
from .celle import CellaNonValida, normalizza
from .lettura import Riga
from .riferimenti import Riferimenti

# Links of the scheda written as lists (many-to-many): saved apart from its fields.
COLLEGAMENTI = {"COLLEGAMENTI_DUP": "nodi_dup", "AMBITI": "ambiti"}


@dataclass
class Scheda:
    """One scheda of the file and what the save will write for it."""

    riga: Riga
    righe: dict = field(default_factory=lambda: {nome: [] for nome in FOGLI})
    obiettivo: Obiettivo | None = None  # None: nothing to write
    esistente: Obiettivo | None = None
    settore: Settore | None = None
    variazione: bool = False
    indicatori: dict = field(default_factory=dict)  # numero → Indicatore
    fasi: dict = field(default_factory=dict)  # numero → Fase
    risorse: list = field(default_factory=list)
    strumentali: list = field(default_factory=list)
    umane: list | None = None  # None: the file has no Risorse umane sheet
    # many-to-many field → the objects the file gives, only where they change
    collegamenti: dict = field(default_factory=dict)
    presenti: frozenset = frozenset(FOGLI)  # the sheets the file has
    rilevazioni: list = field(default_factory=list)  # [(numero indicatore, Rilevazione)]
    cambi: list = field(default_factory=list)  # «what: field prima → dopo; …», per object

    @property
    def etichetta(self) -> str:
        return f"{self.riga['CODICE']} ({self.riga['ANNO']})"


def cambiati(istanza, prima: dict) -> set[str]:
    """The fields of ``istanza`` whose value differs from ``prima``."""
    return {nome for nome, valore in prima.items() if getattr(istanza, nome) != valore}


def fotografia(istanza) -> dict:
    return {f.attname: getattr(istanza, f.attname) for f in istanza._meta.concrete_fields}


class Verifica:
    def __init__(self, importatore):
        self.imp = importatore
        self.piano = importatore.piano
        self.errore = importatore.errore

    def esegui(self, fogli: dict[str, list[Riga]]) -> None:
        settori = list(nel_comune(Settore.objects.all(), self.piano.comune))
        self.settori = {s.pk: s for s in settori}
        self.organigramma = organigramma_piano.fotografia(self.piano)
        self.presenti = frozenset(fogli)
        self.rif = Riferimenti(self.piano)
        self.nomi = self.rif.nomi | {(Settore, s.pk): str(s) for s in settori}
        esistenti = {
            (o.codice, o.anno): o
            for o in Obiettivo.objects.filter(piano=self.piano)
            .select_related("settore", "piano__comune", "missione", "programma")
            .prefetch_related(*FIGLI)
        }
        schede = self.imp.schede
        for riga in fogli["Obiettivi"]:
            chiave = (riga["CODICE"], riga["ANNO"])
            if None in chiave:
                continue
            if chiave in schede:
                prima = schede[chiave].riga.numero
                self.errore(
                    f"l'obiettivo {chiave[0]} ({chiave[1]}) è già alla riga {prima}.",
                    "Obiettivi",
                    riga.numero,
                    intestazione("Obiettivi", "CODICE"),
                )
                continue
            scheda = Scheda(riga, esistente=esistenti.get(chiave), presenti=self.presenti)
            schede[chiave] = scheda
            self._obiettivo(scheda, settori)
        for nome in FOGLI:
            if nome == "Obiettivi" or nome not in fogli:
                continue
            for riga in fogli[nome]:
                chiave = (riga["CODICE"], riga["ANNO"])
                if None in chiave:
                    continue
                if chiave not in schede:
                    self.errore(
                        f"l'obiettivo {chiave[0]} ({chiave[1]}) non è nel foglio Obiettivi.",
                        nome,
                        riga.numero,
                        intestazione(nome, "CODICE"),
                    )
                    continue
                if nome == "Risorse umane":
                    self._persona(riga, schede[chiave].esistente)
                schede[chiave].righe[nome].append(riga)
        for scheda in schede.values():
            self._righe(scheda)
        if not self.imp.esito.errori and not self.piano.riproporziona_pesi:
            pesi.verifica_settori(self, schede, esistenti)

    # -- the scheda ------------------------------------------------------------------

    def ammessa(self, esistente: Obiettivo) -> bool:
        """May the file change this scheda? The workflow says, for the importing user
        (a command without --utente acts as the segreteria); a variazione also needs
        its motivazione and a user to record it."""
        ambito = ambito_scheda(esistente)
        if not puo_modificare(self.imp.utente, esistente, ambito):
            return False
        if ambito == "variazione":
            try:
                verifica_variazione(esistente, self.imp.utente, self.imp.motivazione)
            except TransizioneNonAmmessa:
                return False
        return True

    def non_ammessa(self, esistente: Obiettivo, etichetta: str) -> str:
        stato = esistente.get_stato_display()
        if ambito_scheda(esistente) == "variazione" and puo_modificare(
            self.imp.utente, esistente, "variazione"
        ):
            return (
                f"la scheda {etichetta} è «{stato}»: dopo l'approvazione una modifica è una "
                "variazione e richiede la motivazione (campo «Motivazione della variazione» "
                "della pagina di importazione). Altrimenti togli le modifiche dal file."
            )
        return (
            f"la scheda {etichetta} è «{stato}»: non si può più modificare (solo la "
            "segreteria può riaprirla dalla pagina della scheda). Togli le modifiche dal file."
        )

    def _obiettivo(self, scheda: Scheda, settori: list[Settore]) -> None:
        riga = scheda.riga
        codice, anno = riga["CODICE"], riga["ANNO"]
        settore = scheda.settore = self._settore(riga, settori)
        if anno not in self.piano.anni:
            self.errore(
                f"l'anno {anno} non rientra nel piano {self.piano.anni_label}.",
                "Obiettivi",
                riga.numero,
                intestazione("Obiettivi", "ANNO"),
            )
            return
        self._riferimenti(riga)
        esistente = scheda.esistente
        if esistente is None and not puo_creare_schede(self.piano):
            # The save would be refused (``workflow.verifica_creazione``): said here.
            self.errore(
                f"la scheda {scheda.etichetta} non è nel piano e il piano «{self.piano.titolo}» "
                f"è «{self.piano.get_stato_display()}»: non si possono creare nuove schede.",
                "Obiettivi",
                riga.numero,
            )
            return
        if esistente is not None and not self.ammessa(esistente):
            return  # checked against its rows once they are all read
        # A copy of the saved scheda (loaded with the others): no query per scheda.
        obiettivo = (
            copy.copy(esistente)
            if esistente
            else Obiettivo(piano=self.piano, codice=codice, anno=anno)
        )
        obiettivo.piano = self.piano
        if settore is not None:
            obiettivo.settore = settore
        assegna(obiettivo, riga, FOGLI["Obiettivi"])
        obiettivo.anno_inizio = obiettivo.anno_inizio or anno
        obiettivo.anno_fine = obiettivo.anno_fine or anno
        obiettivo.durata = obiettivo.durata or Obiettivo.Durata.ANNUALE
        if settore is None:
            return
        # The linked rows were found among the comune's: not looked up again one by one.
        self.valida(
            obiettivo,
            riga,
            FOGLI["Obiettivi"],
            escludi=("piano", "settore", "missione", "programma"),
        )
        scheda.obiettivo = obiettivo

    def _settore(self, riga: Riga, settori: list[Settore]) -> Settore | None:
        nome = riga.valori.get("SETTORE", "").strip()
        codice = riga.valori.get("SETTORE_CODICE", "").strip()
        if nome:
            trovati = self._per_nome(settori, "nome", nome)
            chiave, testo = "SETTORE", nome
        else:
            trovati = self._per_nome(settori, "codice", codice) if codice else []
            chiave, testo = "SETTORE_CODICE", codice
        colonna = intestazione("Obiettivi", chiave)
        if not testo:
            self.errore(
                "manca il settore.", "Obiettivi", riga.numero, intestazione("Obiettivi", "SETTORE")
            )
            return None
        if len(trovati) != 1:
            motivo = "sconosciuto" if not trovati else "ambiguo (usa la denominazione)"
            self.errore(
                f"settore «{testo}» {motivo} nel {self.piano.comune}.",
                "Obiettivi",
                riga.numero,
                colonna,
            )
            return None
        return trovati[0]

    def _per_nome(self, settori: list[Settore], campo: str, testo: str) -> list[Settore]:
        """The settori named so: as the approved piano printed them (its export writes
        the names of its approval, ``peg.organigramma_piano``), else as they are now."""
        testo = testo.lower()
        fissati = [
            s
            for s in settori
            if (v := self.organigramma.get(s.pk)) and getattr(v, campo).strip().lower() == testo
        ]
        return fissati or [s for s in settori if getattr(s, campo).strip().lower() == testo]

    def valida(self, istanza, riga: Riga, colonne, escludi=()) -> bool:
        per_campo = {c.field: c.header for c in colonne if c.field}
        try:
            vincoli.full_clean(istanza, escludi)
        except ValidationError as exc:
            for campo, messaggi in exc.message_dict.items():
                for messaggio in messaggi:
                    self.errore(
                        messaggio.replace("%%", "%"),
                        riga.foglio,
                        riga.numero,
                        per_campo.get(campo, ""),
                    )
            return False
        return True

    # -- its rows --------------------------------------------------------------------

    def _righe(self, scheda: Scheda) -> None:
        etichetta = scheda.etichetta
        esistente = scheda.esistente
        if esistente is not None and not self.ammessa(esistente):
            if uguale(scheda):
                self.imp.esito.invariati.append(etichetta)
            else:
                self.errore(self.non_ammessa(esistente, etichetta), "Obiettivi", scheda.riga.numero)
            return
        if scheda.obiettivo is None:
            return
        if esistente is not None and uguale(scheda):
            self.imp.esito.invariati.append(etichetta)
            scheda.obiettivo = None
            return
        scheda.variazione = esistente is not None and ambito_scheda(esistente) == "variazione"
        if scheda.variazione and not uguale(scheda, fogli=("Rilevazioni",)):
            # A variazione changes the scheda, not the values achieved.
            self.errore(
                f"la scheda {etichetta} è «{esistente.get_stato_display()}»: le "
                "rilevazioni non cambiano con una variazione, si inseriscono dalla pagina "
                "della rendicontazione. Lascia le sue righe come sono.",
                "Rilevazioni",
            )
            return
        if scheda.variazione and (cambiata := consuntivo_cambiato(scheda)):
            riga, col = cambiata
            self.errore(
                f"la scheda {etichetta} è «{esistente.get_stato_display()}»: i valori della "
                "rendicontazione non cambiano con una variazione, si inseriscono dalla pagina "
                "della rendicontazione. Lascia la cella com'era.",
                riga.foglio,
                riga.numero,
                col.header,
            )
            return
        (self.imp.esito.aggiornati if esistente else self.imp.esito.creati).append(etichetta)
        if esistente is not None:
            descritti = cambi.descrivi(scheda.obiettivo, fotografia(esistente), self.nomi)
            self._cambio(scheda, "Scheda", descritti)
        self._collegamenti(scheda)
        ind = {i.numero: i for i in esistente.indicatori.all()} if esistente else {}
        fasi = {f.numero: f for f in esistente.fasi.all()} if esistente else {}
        vecchi_ind = {n: i.peso for n, i in ind.items()}
        vecchie_fasi = {n: f.peso for n, f in fasi.items()}
        scheda.indicatori = self._numerate(scheda, "Indicatori", Indicatore, ind)
        scheda.fasi = self._numerate(scheda, "Fasi", Fase, fasi)
        scheda.risorse = self._al_loro_posto(
            scheda,
            "Risorse finanziarie",
            RisorsaFinanziaria,
            sorted(esistente.risorse_finanziarie.all(), key=ordine_risorsa) if esistente else [],
        )
        scheda.strumentali = self._al_loro_posto(
            scheda,
            "Risorse strumentali",
            RisorsaStrumentale,
            sorted(esistente.risorse_strumentali.all(), key=ordine_strumentale)
            if esistente
            else [],
        )
        if "Risorse umane" in self.presenti:
            scheda.umane = self._umane(scheda)
        self._rilevazioni(scheda)
        if esistente is not None:
            self.imp.esito.cambi[etichetta] = scheda.cambi
        if self.piano.riproporziona_pesi:
            return
        for nome, gruppo, vecchio in (
            ("Indicatori", scheda.indicatori, vecchi_ind),
            ("Fasi", scheda.fasi, vecchie_fasi),
        ):
            nuovi = {n: r.peso for n, r in gruppo.items()}
            if nuovi != vecchio:  # weights left as they are in the DB are not refused
                pesi.verifica(
                    self, nome, scheda.righe[nome], list(nuovi.values()), f"di {etichetta}"
                )

    def _riferimenti(self, riga: Riga) -> None:
        """The objects the Obiettivi row names, found once (also for a scheda that may
        not change: it is compared by them)."""
        for chiave, trova in (
            ("MISSIONE", self.rif.missione),
            ("PROGRAMMA", self.rif.programma),
            ("COLLEGAMENTI_DUP", self.rif.nodi_dup),
            ("AMBITI", self.rif.ambiti_scelti),
        ):
            if chiave not in riga or riga[chiave] is None:
                continue
            try:
                riga.oggetti[chiave] = trova(riga[chiave])
            except CellaNonValida as exc:
                riga.oggetti[chiave] = [] if chiave in COLLEGAMENTI else None
                self.errore(str(exc), "Obiettivi", riga.numero, intestazione("Obiettivi", chiave))

    def _persona(self, riga: Riga, esistente: Obiettivo | None) -> None:
        if riga.valori.get("MATRICOLA") is None or riga.valori.get("NOME") is None:
            return  # a cell that could not be read: already an error
        gia = {r.persona_id for r in esistente.risorse_umane.all()} if esistente else set()
        try:
            persona, _ = self.rif.persona(riga["MATRICOLA"], riga["NOME"], gia)
        except CellaNonValida as exc:
            messaggio, chiave = exc.args
            self.errore(messaggio, riga.foglio, riga.numero, intestazione(riga.foglio, chiave))
            persona = None
        riga.oggetti["MATRICOLA"] = riga.oggetti["NOME"] = persona

    def _collegamenti(self, scheda: Scheda) -> None:
        """The DUP links and ambiti the file gives, where they change (described)."""
        for chiave, campo in COLLEGAMENTI.items():
            if chiave not in scheda.riga.oggetti:
                continue
            nuovi = scheda.riga.oggetti[chiave]
            vecchi = list(getattr(scheda.esistente, campo).all()) if scheda.esistente else []
            if {o.pk for o in nuovi} == {o.pk for o in vecchi}:
                continue
            scheda.collegamenti[campo] = nuovi
            if scheda.esistente is not None:
                prima = "; ".join(str(o) for o in vecchi) or "—"
                dopo = "; ".join(str(o) for o in nuovi) or "—"
                self._cambio(
                    scheda, "Scheda", [f"{intestazione('Obiettivi', chiave)}: {prima} → {dopo}"]
                )

    def _umane(self, scheda: Scheda) -> list:
        """The risorse umane of the file, matched to the saved ones by persona."""
        salvate = (
            {r.persona_id: r for r in scheda.esistente.risorse_umane.all()}
            if scheda.esistente
            else {}
        )
        nuove, viste = [], {}
        for posto, riga in enumerate(scheda.righe["Risorse umane"]):
            persona = riga.oggetti.get("NOME")
            if persona is None:
                continue
            if persona.pk in viste:
                self.errore(
                    f"{persona.nome} è già tra le risorse umane di {scheda.etichetta} "
                    f"(riga {viste[persona.pk]}).",
                    riga.foglio,
                    riga.numero,
                    intestazione(riga.foglio, "NOME"),
                )
                continue
            viste[persona.pk] = riga.numero
            istanza = salvate.get(persona.pk) or RisorsaUmana(persona=persona)
            descritti = self._assegna_riga(istanza, riga, FOGLI["Risorse umane"])
            self._cambio(scheda, f"Risorsa umana {persona.nome}", descritti)
            if istanza.ordine != posto:
                istanza.ordine = posto
                istanza._cambiata = istanza.pk is not None
            self.valida(istanza, riga, FOGLI["Risorse umane"], escludi=("obiettivo", "persona"))
            nuove.append(istanza)
        for persona_id, vecchia in salvate.items():
            if persona_id not in viste:
                self._cambio(
                    scheda,
                    f"Risorsa umana {vecchia.persona.nome}",
                    ["eliminata (non è più nel file)"],
                )
        return nuove

    def _numerate(self, scheda: Scheda, foglio: str, modello, vecchie: dict) -> dict:
        nuove = {}
        for riga in scheda.righe[foglio]:
            numero = riga["NUMERO"]
            if numero is None:
                continue
            if numero in nuove:
                self.errore(
                    f"il numero {numero} è ripetuto per {riga['CODICE']} ({riga['ANNO']}).",
                    foglio,
                    riga.numero,
                    intestazione(foglio, "NUMERO"),
                )
                continue
            istanza = vecchie.get(numero) or modello(numero=numero)
            nome = f"{modello._meta.verbose_name.capitalize()} {numero}"
            self._cambio(scheda, nome, self._assegna_riga(istanza, riga, FOGLI[foglio]))
            self.valida(istanza, riga, FOGLI[foglio], escludi=("obiettivo",))
            nuove[numero] = istanza
        for numero in sorted(set(vecchie) - set(nuove)):
            nome = f"{modello._meta.verbose_name.capitalize()} {numero}"
            finale = "o" if modello is Indicatore else "a"
            self._cambio(scheda, nome, [f"eliminat{finale} (non è più nel file)"])
        return nuove

    def _al_loro_posto(self, scheda: Scheda, foglio: str, modello, vecchie: list) -> list:
        """Rows matched to the saved ones by their place (the export's order)."""
        nuove = []
        nome = modello._meta.verbose_name.capitalize()
        for posto, riga in enumerate(scheda.righe[foglio]):
            istanza = vecchie[posto] if posto < len(vecchie) else modello()
            descritti = self._assegna_riga(istanza, riga, FOGLI[foglio])
            self._cambio(scheda, f"{nome} {posto + 1}", descritti)
            if hasattr(istanza, "ordine") and istanza.ordine != posto:
                istanza.ordine = posto  # the place in the sheet
                istanza._cambiata = istanza.pk is not None
            self.valida(istanza, riga, FOGLI[foglio], escludi=("obiettivo",))
            nuove.append(istanza)
        for posto in range(len(nuove), len(vecchie)):
            self._cambio(scheda, f"{nome} {posto + 1}", ["eliminata (non è più nel file)"])
        return nuove

    def _rilevazioni(self, scheda: Scheda) -> None:
        visti = {}
        for riga in scheda.righe["Rilevazioni"]:
            numero, tipo = riga["INDICATORE"], riga["TIPO"]
            if numero is None or tipo is None:
                continue
            if numero not in scheda.indicatori:
                self.errore(
                    f"l'indicatore n. {numero} di {scheda.etichetta} non è nel foglio Indicatori.",
                    "Rilevazioni",
                    riga.numero,
                    intestazione("Rilevazioni", "INDICATORE"),
                )
                continue
            if (numero, tipo) in visti:
                etichetta = dict(colonna("Rilevazioni", "TIPO").choices)[tipo]
                self.errore(
                    f"la «{etichetta}» dell'indicatore n. {numero} è già alla riga "
                    f"{visti[numero, tipo]}.",
                    "Rilevazioni",
                    riga.numero,
                    intestazione("Rilevazioni", "TIPO"),
                )
                continue
            visti[numero, tipo] = riga.numero
            indicatore = scheda.indicatori[numero]
            vecchia = None
            if indicatore.pk:
                vecchia = next((r for r in indicatore.rilevazioni.all() if r.tipo == tipo), None)
            rilevazione = vecchia or Rilevazione(tipo=tipo)
            nome = f"Rilevazione {rilevazione.get_tipo_display().lower()} dell'indicatore {numero}"
            descritti = self._assegna_riga(rilevazione, riga, FOGLI["Rilevazioni"])
            self._cambio(scheda, nome, descritti)
            self.valida(rilevazione, riga, FOGLI["Rilevazioni"], escludi=("indicatore",))
            scheda.rilevazioni.append((numero, rilevazione))
        for numero, indicatore in scheda.indicatori.items():
            for vecchia in indicatore.rilevazioni.all() if indicatore.pk else ():
                if (numero, vecchia.tipo) not in visti:
                    nome = vecchia.get_tipo_display().lower()
                    self._cambio(
                        scheda,
                        f"Rilevazione {nome} dell'indicatore {numero}",
                        ["eliminata (non è più nel file)"],
                    )

    @staticmethod
    def _cambio(scheda: Scheda, cosa: str, descritti: list[str]) -> None:
        if descritti:
            scheda.cambi.append(f"{cosa}: {'; '.join(descritti)}")

    @staticmethod
    def _assegna_riga(istanza, riga: Riga, colonne) -> list[str]:
        """The row's values on a saved or new instance; a saved one remembers whether
        it changed (``_cambiata``), and a printed text beside a changed value that the
        file left as it was is cleared, as on the pages. Returns what changed, in words
        (a new row: «aggiunto»)."""
        prima = fotografia(istanza) if istanza.pk else None
        assegna(istanza, riga, colonne)
        if prima is None:
            return ["aggiunto" if isinstance(istanza, Indicatore) else "aggiunta"]
        diversi = cambiati(istanza, prima)
        testi_superati(istanza, diversi, prima)
        istanza._cambiata = bool(cambiati(istanza, prima))
        return cambi.descrivi(istanza, prima)


def assegna(istanza, riga: Riga, colonne) -> None:
    """The row's values on ``istanza``: the columns the file has (a column it lacks
    leaves its field as it is); the linked object a cell names, as found."""
    for col in colonne:
        if not (col.importa and col.field) or col.chiave not in riga or col.kind == "elenco":
            continue
        if col.kind == "riferimento":
            setattr(istanza, col.field, riga.oggetti.get(col.chiave))
            continue
        valore = riga[col.chiave]
        campo = istanza._meta.get_field(col.field)
        if valore == "" and not campo.blank and campo.has_default():
            valore = campo.get_default()  # e.g. polarità crescente, risorsa di spesa
        if valore is not None or col.kind != "intero":
            setattr(istanza, col.field, valore)


# Compared by the set of objects, not by the order written.
NON_ORDINATI = {"Risorse finanziarie", "Risorse strumentali"}


def uguale(scheda: Scheda, fogli=None) -> bool:
    """Does the file say of this saved scheda exactly what it is now (in the sheets
    and columns it has)?"""
    attuali = istanze(scheda.esistente)
    for nome, colonne in FOGLI.items():
        if (fogli is not None and nome not in fogli) or nome not in scheda.presenti:
            continue
        nel_file = [scheda.riga] if nome == "Obiettivi" else scheda.righe[nome]
        # the settore may be written by name or by code: compare the settore itself
        if nome == "Obiettivi" and (
            scheda.settore is None or scheda.settore.pk != scheda.esistente.settore_id
        ):
            return False
        confronto = [
            c
            for c in colonne
            if c.importa
            and c.chiave not in ("SETTORE", "SETTORE_CODICE")
            and (not nel_file or c.chiave in nel_file[0])
        ]
        dal_file = [tuple(_nel_file(r, c) for c in confronto) for r in nel_file]
        dal_db = [tuple(_nel_db(i, k, c) for c in confronto) for i, k in attuali[nome]]
        if nome in NON_ORDINATI:
            dal_file, dal_db = sorted(dal_file, key=repr), sorted(dal_db, key=repr)
        if dal_file != dal_db:
            return False
    return True


def consuntivo_cambiato(scheda: Scheda) -> tuple | None:
    """The first cell of what was achieved (``Col.consuntivo``: effective dates,
    avanzamento, stato di attuazione…) that the file changes on this saved scheda, as
    (row, column); a fase new in the file changes it if it brings such a value."""
    attuali = istanze(scheda.esistente)
    for nome in ("Obiettivi", "Fasi"):
        colonne = [c for c in FOGLI[nome] if c.consuntivo]
        salvate = {chiavi.get("NUMERO"): istanza for istanza, chiavi in attuali[nome]}
        for riga in [scheda.riga] if nome == "Obiettivi" else scheda.righe[nome]:
            istanza = salvate.get(riga.valori.get("NUMERO"))
            for col in colonne:
                if col.chiave not in riga:
                    continue
                prima = _nel_db(istanza, {}, col) if istanza else normalizza(None, col)
                if riga[col.chiave] != prima:
                    return riga, col
    return None


def _nel_file(riga: Riga, col):
    if col.chiave in riga.oggetti:
        return _identita(riga.oggetti[col.chiave])
    return riga[col.chiave]


def _nel_db(istanza, chiavi: dict, col):
    if col.chiave in chiavi:
        return normalizza(chiavi[col.chiave], col)
    if col.kind == "elenco":
        return _identita(list(getattr(istanza, col.field).all()))
    if col.kind == "riferimento":
        return getattr(istanza, f"{col.field}_id")
    if isinstance(istanza, RisorsaUmana) and col.chiave in ("MATRICOLA", "NOME"):
        return istanza.persona_id
    return normalizza(valore(istanza, col), col)


def _identita(oggetti):
    """Linked objects as compared: by id, a list whatever its order."""
    if isinstance(oggetti, list):
        return tuple(sorted(o.pk for o in oggetti))
    return None if oggetti is None else oggetti.pk
