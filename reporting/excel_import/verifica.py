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

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from indicators.models import Indicatore, Rilevazione
from objectives.models import Fase, Obiettivo, RisorsaFinanziaria, RisorsaStrumentale
from objectives.modifiche import testi_superati, verifica_variazione
from objectives.workflow import TransizioneNonAmmessa, ambito_scheda, puo_modificare
from peg.access import nel_comune
from peg.models import Settore

from ..excel import FOGLI, ordine_risorsa, ordine_strumentale, righe
from . import cambi, pesi
from .celle import normalizza_riga
from .lettura import Riga


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
        esistenti = {
            (o.codice, o.anno): o
            for o in Obiettivo.objects.filter(piano=self.piano)
            .select_related("settore", "piano__comune")
            .prefetch_related(
                "indicatori__rilevazioni", "fasi", "risorse_finanziarie", "risorse_strumentali"
            )
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
                    "CODICE",
                )
                continue
            scheda = Scheda(riga, esistente=esistenti.get(chiave))
            schede[chiave] = scheda
            self._obiettivo(scheda, settori)
        for nome in ("Indicatori", "Fasi", "Risorse", "Risorse strumentali", "Rilevazioni"):
            for riga in fogli[nome]:
                chiave = (riga["CODICE"], riga["ANNO"])
                if None in chiave:
                    continue
                if chiave not in schede:
                    self.errore(
                        f"l'obiettivo {chiave[0]} ({chiave[1]}) non è nel foglio Obiettivi.",
                        nome,
                        riga.numero,
                        "CODICE",
                    )
                    continue
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
                "ANNO",
            )
            return
        esistente = scheda.esistente
        if esistente is not None and not self.ammessa(esistente):
            return  # checked against its rows once they are all read
        obiettivo = (
            Obiettivo.objects.get(pk=esistente.pk)
            if esistente
            else Obiettivo(piano=self.piano, codice=codice, anno=anno)
        )
        obiettivo.piano = self.piano
        if settore is not None:
            obiettivo.settore = settore
        assegna(obiettivo, riga, FOGLI["Obiettivi"][4:])
        obiettivo.anno_inizio = obiettivo.anno_inizio or anno
        obiettivo.anno_fine = obiettivo.anno_fine or anno
        obiettivo.durata = obiettivo.durata or Obiettivo.Durata.ANNUALE
        if settore is None:
            return
        self.valida(obiettivo, riga, FOGLI["Obiettivi"], escludi=("piano",))
        scheda.obiettivo = obiettivo

    def _settore(self, riga: Riga, settori: list[Settore]) -> Settore | None:
        nome, codice = riga["SETTORE"].strip(), riga["SETTORE_CODICE"].strip()
        if nome:
            trovati = [s for s in settori if s.nome.strip().lower() == nome.lower()]
            colonna, testo = "SETTORE", nome
        else:
            trovati = [s for s in settori if codice and s.codice.lower() == codice.lower()]
            colonna, testo = "SETTORE_CODICE", codice
        if not testo:
            self.errore("manca il settore.", "Obiettivi", riga.numero, "SETTORE")
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

    def valida(self, istanza, riga: Riga, colonne, escludi=()) -> bool:
        per_campo = {c.field: c.header for c in colonne if c.field}
        try:
            istanza.full_clean(exclude=list(escludi), validate_unique=False)
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
        (self.imp.esito.aggiornati if esistente else self.imp.esito.creati).append(etichetta)
        if esistente is not None:
            self._cambio(scheda, "Scheda", cambi.descrivi(scheda.obiettivo, fotografia(esistente)))
        ind = {i.numero: i for i in esistente.indicatori.all()} if esistente else {}
        fasi = {f.numero: f for f in esistente.fasi.all()} if esistente else {}
        vecchi_ind = {n: i.peso for n, i in ind.items()}
        vecchie_fasi = {n: f.peso for n, f in fasi.items()}
        scheda.indicatori = self._numerate(scheda, "Indicatori", Indicatore, ind)
        scheda.fasi = self._numerate(scheda, "Fasi", Fase, fasi)
        scheda.risorse = self._al_loro_posto(
            scheda,
            "Risorse",
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
                    "NUMERO",
                )
                continue
            istanza = vecchie.get(numero) or modello(numero=numero)
            nome = f"{modello._meta.verbose_name.capitalize()} {numero}"
            self._cambio(scheda, nome, self._assegna_riga(istanza, riga, FOGLI[foglio][3:]))
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
            descritti = self._assegna_riga(istanza, riga, FOGLI[foglio][2:])
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
                    "INDICATORE",
                )
                continue
            if (numero, tipo) in visti:
                self.errore(
                    f"la rilevazione «{tipo}» dell'indicatore n. {numero} è già alla riga "
                    f"{visti[numero, tipo]}.",
                    "Rilevazioni",
                    riga.numero,
                    "TIPO",
                )
                continue
            visti[numero, tipo] = riga.numero
            indicatore = scheda.indicatori[numero]
            vecchia = None
            if indicatore.pk:
                vecchia = next((r for r in indicatore.rilevazioni.all() if r.tipo == tipo), None)
            rilevazione = vecchia or Rilevazione(tipo=tipo)
            nome = f"Rilevazione {rilevazione.get_tipo_display().lower()} dell'indicatore {numero}"
            descritti = self._assegna_riga(rilevazione, riga, FOGLI["Rilevazioni"][3:])
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
    for col in colonne:
        if not (col.importa and col.field):
            continue
        valore = riga[col.header]
        campo = istanza._meta.get_field(col.field)
        if valore == "" and not campo.blank and campo.has_default():
            valore = campo.get_default()  # e.g. polarità crescente, risorsa di spesa
        if valore is not None or col.kind != "intero":
            setattr(istanza, col.field, valore)


def uguale(scheda: Scheda, fogli=None) -> bool:
    """Does the file say of this saved scheda exactly what it is now?"""
    attuali = righe(scheda.esistente)
    for nome, colonne in FOGLI.items():
        if fogli is not None and nome not in fogli:
            continue
        headers = [c.header for c in colonne if c.importa]
        nel_file = [tuple(r[h] for h in headers) for r in scheda.righe[nome]]
        if nome == "Obiettivi":
            nel_file = [tuple(scheda.riga[h] for h in headers)]
        indici = [i for i, c in enumerate(colonne) if c.importa]
        nel_db = [tuple(normalizza_riga(nome, r)[i] for i in indici) for r in attuali[nome]]
        if nome == "Obiettivi":
            # the settore may be written by name or by code: compare the settore itself
            nel_file = [t[2:] for t in nel_file]
            nel_db = [t[2:] for t in nel_db]
            if scheda.settore is None or scheda.settore.pk != scheda.esistente.settore_id:
                return False
        if nome in ("Risorse", "Risorse strumentali"):
            nel_file, nel_db = sorted(nel_file, key=repr), sorted(nel_db, key=repr)
        if nel_file != nel_db:
            return False
    return True
