"""Import of the Excel workbook of ``reporting.excel`` into a piano (the segreteria's tool).

Everything is read and validated first; every error says sheet, row and column in
Italian. Only a file without errors is saved, in one transaction: schede are matched
by (codice, anno) in the piano, updated or created; the indicatori, fasi and risorse of
an imported scheda become those of the file (indicatori and fasi matched by numero,
so their valori storici survive) and its rilevazioni those of the Rilevazioni sheet.

A scheda already approved (or later) may only appear unchanged: a change to it is a
variazione, with its motivazione, made from the scheda's page.
"""

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from openpyxl import load_workbook

from indicators.models import Indicatore, Rilevazione
from objectives.models import (
    Fase,
    Obiettivo,
    RisorsaFinanziaria,
    RisorsaStrumentale,
    Variazione,
)
from objectives.pianificazione import TESTI_STAMPATI
from objectives.weights import verifica_pesi
from peg.forms import normalizza_numero
from peg.models import Settore

from .excel import FOGLI, Col, righe

MODIFICABILI = (Obiettivo.Stato.BOZZA, Obiettivo.Stato.PROPOSTO)
# After approval a change is a variazione: allowed with a motivazione, as on the pages.
VARIABILI = (Obiettivo.Stato.APPROVATO, Obiettivo.Stato.IN_MONITORAGGIO)
MOTIVO = "Importazione da Excel"
DATA_ITALIANA = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def limite_mb() -> int:
    return settings.EXCEL_IMPORT_MAX_MB


@dataclass(frozen=True)
class Errore:
    messaggio: str
    foglio: str = ""
    riga: int | None = None
    colonna: str = ""

    def __str__(self) -> str:
        dove = [self.foglio] if self.foglio else []
        if self.riga:
            dove.append(f"riga {self.riga}")
        if self.colonna:
            dove.append(f"colonna {self.colonna}")
        return f"{', '.join(dove)}: {self.messaggio}" if dove else self.messaggio


@dataclass
class Esito:
    errori: list[Errore] = field(default_factory=list)
    creati: list[str] = field(default_factory=list)
    aggiornati: list[str] = field(default_factory=list)
    invariati: list[str] = field(default_factory=list)
    salvato: bool = False

    @property
    def ok(self) -> bool:
        return not self.errori


class _Cella(Exception):
    pass


class _Cambiata(Exception):
    def __init__(self, messaggio, riga):
        super().__init__(messaggio)
        self.riga = riga


def _testo_di(valore) -> str:
    if isinstance(valore, float) and valore.is_integer():
        return str(int(valore))
    if isinstance(valore, datetime):
        return valore.strftime("%d/%m/%Y")
    return str(valore)


def leggi_cella(valore, col: Col):
    """The cell's value as the model wants it; raises _Cella with the Italian reason."""
    if isinstance(valore, str) and col.kind != "testo":
        valore = valore.strip()
    if valore is None or valore == "":
        if col.required:
            raise _Cella("manca il valore (obbligatorio).")
        return {"testo": "", "scelta": "", "bool": False}.get(col.kind)
    if col.kind == "testo":
        return _testo_di(valore)
    if col.kind == "intero":
        if isinstance(valore, bool):
            raise _Cella(f'"{valore}" non è un numero intero.')
        if isinstance(valore, int):
            return valore
        if isinstance(valore, float) and valore.is_integer():
            return int(valore)
        if isinstance(valore, str) and valore.isdigit():
            return int(valore)
        raise _Cella(f'"{_testo_di(valore)}" non è un numero intero.')
    if col.decimali is not None:
        return _decimale(valore, col.decimali)
    if col.kind == "data":
        if isinstance(valore, datetime):
            return valore.date()
        if isinstance(valore, date):
            return valore
        trovata = DATA_ITALIANA.match(str(valore))
        if trovata:
            giorno, mese, anno = (int(x) for x in trovata.groups())
            try:
                return date(anno, mese, giorno)
            except ValueError:
                pass
        raise _Cella(f'"{_testo_di(valore)}" non è una data (GG/MM/AAAA).')
    if col.kind == "bool":
        testo = str(valore).strip().lower()
        if valore is True or testo in ("sì", "si", "s", "x", "1", "vero"):
            return True
        if valore is False or testo in ("no", "n", "0", "falso"):
            return False
        raise _Cella(f'"{valore}" non è «sì» o «no».')
    # scelta: the code or its label, any case
    testo = str(valore).strip().lower()
    for codice in col.choices:
        if testo == codice.lower():
            return codice
    etichette = _etichette(col)
    if testo in etichette:
        return etichette[testo]
    raise _Cella(f'"{valore}" non è tra i valori ammessi: {", ".join(col.choices)}.')


def _etichette(col: Col) -> dict:
    tutte = [
        *Obiettivo.Durata.choices,
        *Obiettivo.Tipo.choices,
        *Indicatore.Tipo.choices,
        *Indicatore.Polarita.choices,
        *Rilevazione.Tipo.choices,
        *RisorsaFinanziaria.Tipo.choices,
        *RisorsaFinanziaria.Natura.choices,
        *RisorsaStrumentale.Tipo.choices,
    ]
    return {str(etichetta).lower(): codice for codice, etichetta in tutte if codice in col.choices}


def _decimale(valore, decimali: int) -> Decimal:
    if isinstance(valore, bool):
        raise _Cella(f'"{valore}" non è un numero.')
    try:
        if isinstance(valore, int | float):
            numero = Decimal(repr(valore)) if isinstance(valore, float) else Decimal(valore)
        else:
            numero = Decimal(normalizza_numero(str(valore)))
        if not numero.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        raise _Cella(f'"{_testo_di(valore)}" non è un numero.') from None
    if isinstance(valore, float):
        numero = Decimal(str(round(valore, decimali)))
    quantizzato = numero.quantize(Decimal(1).scaleb(-decimali))
    if quantizzato != numero:
        raise _Cella(f'"{_testo_di(valore)}": al massimo {decimali} decimali.')
    return quantizzato


def normalizza_riga(foglio: str, riga: list) -> tuple:
    """An exported row in the form the import reads it (to tell unchanged schede)."""
    valori = []
    for valore, col in zip(riga, FOGLI[foglio], strict=True):
        try:
            valori.append(leggi_cella(valore, col) if col.importa else None)
        except _Cella:
            valori.append(valore)
    return tuple(valori)


@dataclass
class _Riga:
    foglio: str
    numero: int
    valori: dict  # header → value

    def __getitem__(self, header):
        return self.valori[header]


@dataclass
class _Scheda:
    riga: _Riga
    righe: dict = field(default_factory=lambda: {nome: [] for nome in FOGLI})
    obiettivo: Obiettivo | None = None
    esistente: Obiettivo | None = None
    settore: Settore | None = None
    variazione: bool = False


class Importatore:
    def __init__(self, piano, motivazione: str = "", utente=None):
        self.piano = piano
        self.motivazione = motivazione.strip()
        self.utente = utente
        self.esito = Esito()
        self.schede: dict[tuple, _Scheda] = {}

    def errore(self, messaggio, foglio="", riga=None, colonna=""):
        self.esito.errori.append(Errore(messaggio, foglio, riga, colonna))

    # -- reading ---------------------------------------------------------------

    def leggi(self, dati: bytes) -> dict[str, list[_Riga]] | None:
        if len(dati) > limite_mb() * 1024 * 1024:
            self.errore(
                f"Il file è troppo grande ({len(dati) / 1024 / 1024:.1f} MB): "
                f"il limite è {limite_mb()} MB.".replace(".", ",", 1)
            )
            return None
        try:
            wb = load_workbook(io.BytesIO(dati), data_only=True, read_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
            self.errore(
                "Il file non è un file Excel (.xlsx) leggibile: salvalo da Excel o "
                f"LibreOffice nel formato «Cartella di lavoro Excel (.xlsx)» ({type(exc).__name__})."
            )
            return None
        fogli = {}
        try:
            for nome, colonne in FOGLI.items():
                if nome not in wb.sheetnames:
                    self.errore(f"Manca il foglio «{nome}».")
                    continue
                fogli[nome] = self._foglio(wb[nome], nome, colonne)
        finally:
            wb.close()
        return None if self.esito.errori else fogli

    def _foglio(self, ws, nome: str, colonne: tuple[Col, ...]) -> list[_Riga]:
        iteratore = ws.iter_rows(values_only=True)
        intestazione = [
            str(v).strip().upper() if v is not None else "" for v in next(iteratore, ())
        ]
        posizioni = {}
        for col in colonne:
            if col.header in intestazione:
                posizioni[col.header] = intestazione.index(col.header)
            elif col.importa:
                self.errore(f"manca la colonna {col.header}.", nome, 1)
        if any(col.importa and col.header not in posizioni for col in colonne):
            return []
        risultato = []
        for numero, valori in enumerate(iteratore, start=2):
            valori = list(valori)
            celle = {h: valori[i] if i < len(valori) else None for h, i in posizioni.items()}
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in celle.values()):
                continue
            letti = {}
            for col in colonne:
                if not col.importa:
                    continue
                try:
                    letti[col.header] = leggi_cella(celle[col.header], col)
                except _Cella as exc:
                    self.errore(str(exc), nome, numero, col.header)
                    letti[col.header] = None
            risultato.append(_Riga(nome, numero, letti))
        return risultato

    # -- validation ------------------------------------------------------------

    def verifica(self, fogli: dict[str, list[_Riga]]) -> None:
        settori = list(Settore.objects.filter(comune_id=self.piano.comune_id))
        esistenti = {
            (o.codice, o.anno): o
            for o in Obiettivo.objects.filter(piano=self.piano)
            .select_related("settore", "piano")
            .prefetch_related(
                "indicatori__rilevazioni", "fasi", "risorse_finanziarie", "risorse_strumentali"
            )
        }
        for riga in fogli["Obiettivi"]:
            chiave = (riga["CODICE"], riga["ANNO"])
            if None in chiave:
                continue
            if chiave in self.schede:
                prima = self.schede[chiave].riga.numero
                self.errore(
                    f"l'obiettivo {chiave[0]} ({chiave[1]}) è già alla riga {prima}.",
                    "Obiettivi",
                    riga.numero,
                    "CODICE",
                )
                continue
            scheda = _Scheda(riga, esistente=esistenti.get(chiave))
            self.schede[chiave] = scheda
            self._obiettivo(scheda, settori)
        for nome in ("Indicatori", "Fasi", "Risorse", "Risorse strumentali", "Rilevazioni"):
            for riga in fogli[nome]:
                chiave = (riga["CODICE"], riga["ANNO"])
                if None in chiave:
                    continue
                if chiave not in self.schede:
                    self.errore(
                        f"l'obiettivo {chiave[0]} ({chiave[1]}) non è nel foglio Obiettivi.",
                        nome,
                        riga.numero,
                        "CODICE",
                    )
                    continue
                self.schede[chiave].righe[nome].append(riga)
        for scheda in self.schede.values():
            self._righe(scheda)
        if not self.esito.errori:
            self._pesi_settori(esistenti)

    def _obiettivo(self, scheda: _Scheda, settori: list[Settore]) -> None:
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
        if esistente is not None and not self._ammessa(esistente):
            return  # checked against its rows once they are all read
        obiettivo = (
            Obiettivo.objects.get(pk=esistente.pk)
            if esistente
            else Obiettivo(piano=self.piano, codice=codice, anno=anno)
        )
        obiettivo.piano = self.piano
        if settore is not None:
            obiettivo.settore = settore
        self._assegna(obiettivo, riga, FOGLI["Obiettivi"][4:])
        obiettivo.anno_inizio = obiettivo.anno_inizio or anno
        obiettivo.anno_fine = obiettivo.anno_fine or anno
        obiettivo.durata = obiettivo.durata or Obiettivo.Durata.ANNUALE
        if settore is None:
            return
        self._valida(obiettivo, riga, FOGLI["Obiettivi"], escludi=("piano",))
        scheda.obiettivo = obiettivo

    def _settore(self, riga: _Riga, settori: list[Settore]) -> Settore | None:
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

    @staticmethod
    def _assegna(istanza, riga: _Riga, colonne) -> None:
        for col in colonne:
            if not (col.importa and col.field):
                continue
            valore = riga[col.header]
            campo = istanza._meta.get_field(col.field)
            if valore == "" and not campo.blank and campo.has_default():
                valore = campo.get_default()  # e.g. polarità crescente, risorsa di spesa
            if valore is not None or col.kind != "intero":
                setattr(istanza, col.field, valore)

    def _valida(self, istanza, riga: _Riga, colonne, escludi=()) -> bool:
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

    def _righe(self, scheda: _Scheda) -> None:
        chiave = (scheda.riga["CODICE"], scheda.riga["ANNO"])
        etichetta = f"{chiave[0]} ({chiave[1]})"
        if scheda.esistente is not None and not self._ammessa(scheda.esistente):
            if self._uguale(scheda):
                self.esito.invariati.append(etichetta)
            else:
                self.errore(
                    self._non_ammessa(scheda.esistente, etichetta), "Obiettivi", scheda.riga.numero
                )
            return
        if scheda.obiettivo is None:
            return
        if scheda.esistente is not None and self._uguale(scheda):
            self.esito.invariati.append(etichetta)
            scheda.obiettivo = None
            return
        scheda.variazione = scheda.esistente is not None and scheda.esistente.stato in VARIABILI
        if scheda.variazione and not self._uguale(scheda, fogli=("Rilevazioni",)):
            # A variazione changes the scheda, not the values achieved.
            self.errore(
                f"la scheda {etichetta} è «{scheda.esistente.get_stato_display()}»: le "
                "rilevazioni non cambiano con una variazione, si inseriscono dalla pagina "
                "della rendicontazione. Lascia le sue righe come sono.",
                "Rilevazioni",
            )
            return
        (self.esito.aggiornati if scheda.esistente else self.esito.creati).append(etichetta)
        esistente = scheda.esistente
        ind = {i.numero: i for i in esistente.indicatori.all()} if esistente else {}
        fasi = {f.numero: f for f in esistente.fasi.all()} if esistente else {}
        vecchi_ind = {n: i.peso for n, i in ind.items()}
        vecchie_fasi = {n: f.peso for n, f in fasi.items()}
        scheda.indicatori = self._numerate(scheda, "Indicatori", Indicatore, ind)
        scheda.fasi = self._numerate(scheda, "Fasi", Fase, fasi)
        scheda.risorse = []
        for riga in scheda.righe["Risorse"]:
            risorsa = RisorsaFinanziaria(ordine=len(scheda.risorse))
            self._assegna(risorsa, riga, FOGLI["Risorse"][2:])
            self._valida(risorsa, riga, FOGLI["Risorse"], escludi=("obiettivo",))
            scheda.risorse.append(risorsa)
        scheda.strumentali = []
        for riga in scheda.righe["Risorse strumentali"]:
            risorsa = RisorsaStrumentale()
            self._assegna(risorsa, riga, FOGLI["Risorse strumentali"][2:])
            self._valida(risorsa, riga, FOGLI["Risorse strumentali"], escludi=("obiettivo",))
            scheda.strumentali.append(risorsa)
        scheda.rilevazioni = []
        visti = {}
        for riga in scheda.righe["Rilevazioni"]:
            numero, tipo = riga["INDICATORE"], riga["TIPO"]
            if numero is None or tipo is None:
                continue
            if numero not in scheda.indicatori:
                self.errore(
                    f"l'indicatore n. {numero} di {etichetta} non è nel foglio Indicatori.",
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
            self._assegna(rilevazione, riga, FOGLI["Rilevazioni"][3:])
            self._valida(rilevazione, riga, FOGLI["Rilevazioni"], escludi=("indicatore",))
            scheda.rilevazioni.append((numero, rilevazione))
        if self.piano.riproporziona_pesi:
            return
        for nome, gruppo, vecchio in (
            ("Indicatori", scheda.indicatori, vecchi_ind),
            ("Fasi", scheda.fasi, vecchie_fasi),
        ):
            pesi = {n: r.peso for n, r in gruppo.items()}
            if pesi != vecchio:  # weights left as they are in the DB are not refused
                self._pesi(nome, scheda.righe[nome], list(pesi.values()), f"di {etichetta}")

    def _pesi(self, foglio: str, righe_file: list[_Riga], pesi: list, di: str) -> None:
        """Without riproporzionamento the weights of a group must make 100,00%
        (a group without any weight is accepted: the piano's rules apply)."""
        if not pesi or all(p is None for p in pesi):
            return
        verifica = verifica_pesi(pesi)
        if not verifica.ok:
            cosa = {"Indicatori": "indicatori", "Fasi": "fasi", "Obiettivi": "obiettivi"}[foglio]
            self.errore(
                f"i pesi degli {cosa} {di} fanno {verifica.etichetta}: il piano non "
                "riproporziona i pesi, devono sommare 100,00%.".replace("degli fasi", "delle fasi"),
                foglio,
                righe_file[0].numero if righe_file else None,
                "PESO",
            )

    def _numerate(self, scheda: _Scheda, foglio: str, modello, vecchie: dict) -> dict:
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
            prima = {c: getattr(istanza, c, None) for pair in TESTI_STAMPATI.items() for c in pair}
            self._assegna(istanza, riga, FOGLI[foglio][3:])
            # A printed text beside a changed value is stale: cleared, as on the pages.
            for campo, testo in TESTI_STAMPATI.items():
                if (
                    istanza.pk
                    and hasattr(istanza, testo)
                    and getattr(istanza, campo, None) != prima[campo]
                    and getattr(istanza, testo) == prima[testo]
                ):
                    setattr(istanza, testo, "")
            self._valida(istanza, riga, FOGLI[foglio], escludi=("obiettivo",))
            nuove[numero] = istanza
        return nuove

    def _uguale(self, scheda: _Scheda, fogli=None) -> bool:
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

    def _pesi_settori(self, esistenti: dict) -> None:
        if self.piano.riproporziona_pesi:
            return
        toccati = {
            (s.obiettivo.settore_id, s.obiettivo.anno)
            for s in self.schede.values()
            if s.obiettivo is not None
        }
        for settore_id, anno in sorted(toccati):
            pesi, righe_file = {}, []
            for chiave, scheda in self.schede.items():
                o = scheda.obiettivo or scheda.esistente
                if o is not None and o.settore_id == settore_id and o.anno == anno:
                    pesi[chiave] = o.peso
                    righe_file.append(scheda.riga)
            for chiave, o in esistenti.items():
                if chiave not in self.schede and o.settore_id == settore_id and o.anno == anno:
                    pesi[chiave] = o.peso
            prima = {
                chiave: o.peso
                for chiave, o in esistenti.items()
                if o.settore_id == settore_id and o.anno == anno
            }
            if pesi == prima:
                continue
            settore = Settore.objects.get(pk=settore_id)
            self._pesi(
                "Obiettivi", righe_file, list(pesi.values()), f"del settore {settore} per il {anno}"
            )

    # -- saving ----------------------------------------------------------------

    def _ammessa(self, esistente: Obiettivo) -> bool:
        return esistente.stato in MODIFICABILI or (
            esistente.stato in VARIABILI and bool(self.motivazione) and self.utente is not None
        )

    @staticmethod
    def _non_ammessa(esistente: Obiettivo, etichetta: str) -> str:
        stato = esistente.get_stato_display()
        if esistente.stato in VARIABILI:
            return (
                f"la scheda {etichetta} è «{stato}»: dopo l'approvazione una modifica è una "
                "variazione e richiede la motivazione (campo «Motivazione della variazione», "
                "o --motivazione con --utente). Altrimenti togli le modifiche dal file."
            )
        return (
            f"la scheda {etichetta} è «{stato}»: non si può più modificare (solo la "
            "segreteria può riaprirla dalla pagina della scheda). Togli le modifiche dal file."
        )

    def salva(self) -> None:
        try:
            with transaction.atomic():
                for scheda in self.schede.values():
                    if scheda.obiettivo is not None:
                        self._salva_scheda(scheda)
        except _Cambiata as exc:
            self.errore(str(exc), "Obiettivi", exc.riga)
            return
        self.esito.salvato = True

    def _salva_scheda(self, scheda: _Scheda) -> None:
        obiettivo = scheda.obiettivo
        if obiettivo.pk:
            # Changed by someone else since the file was checked: nothing is saved.
            attuale = Obiettivo.objects.select_for_update().get(pk=obiettivo.pk)
            if (attuale.versione, attuale.stato) != (
                scheda.esistente.versione,
                scheda.esistente.stato,
            ):
                raise _Cambiata(
                    f"la scheda {obiettivo.codice} ({obiettivo.anno}) è stata modificata da "
                    "altri durante l'importazione: ricarica il file.",
                    scheda.riga.numero,
                )
            obiettivo.versione = attuale.versione + 1
        motivo = f"Variazione: {self.motivazione}" if scheda.variazione else MOTIVO
        obiettivo._change_reason = motivo
        obiettivo.save()
        if scheda.variazione:
            Variazione.objects.create(
                obiettivo=obiettivo,
                utente=self.utente,
                quando=timezone.now(),
                stato=obiettivo.stato,
                motivazione=self.motivazione,
                riepilogo="Scheda aggiornata dal file Excel (indicatori, fasi, risorse e "
                "rilevazioni come nel file).",
            )
        for attributo, modello in (("indicatori", Indicatore), ("fasi", Fase)):
            nuove = getattr(scheda, attributo)
            tenute = [r.pk for r in nuove.values() if r.pk]
            for vecchia in modello.objects.filter(obiettivo=obiettivo).exclude(pk__in=tenute):
                vecchia._change_reason = MOTIVO
                vecchia.delete()
            # numero is unique in the obiettivo: park the kept rows, then number them.
            modello.objects.filter(pk__in=tenute).update(numero=F("numero") + 10000)
            for numero, riga in sorted(nuove.items()):
                riga.obiettivo = obiettivo
                riga.numero = numero
                riga._change_reason = MOTIVO
                riga.save()
        for modello, nuove in (
            (RisorsaFinanziaria, scheda.risorse),
            (RisorsaStrumentale, scheda.strumentali),
        ):
            for vecchia in modello.objects.filter(obiettivo=obiettivo):
                vecchia._change_reason = MOTIVO
                vecchia.delete()
            for riga in nuove:
                riga.obiettivo = obiettivo
                riga._change_reason = MOTIVO
                riga.save()
        tenute = []
        for numero, rilevazione in scheda.rilevazioni:
            rilevazione.indicatore = scheda.indicatori[numero]
            rilevazione._change_reason = MOTIVO
            rilevazione.save()
            tenute.append(rilevazione.pk)
        for vecchia in Rilevazione.objects.filter(indicatore__obiettivo=obiettivo).exclude(
            pk__in=tenute
        ):
            vecchia._change_reason = MOTIVO
            vecchia.delete()


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


def anni_del_file(dati: bytes) -> set[int]:
    """The years of the Obiettivi sheet (to choose the piano from the command line)."""
    try:
        wb = load_workbook(io.BytesIO(dati), read_only=True, data_only=True)
    except Exception:  # the import proper reports it in Italian
        return set()
    try:
        if "Obiettivi" not in wb.sheetnames:
            return set()
        iteratore = wb["Obiettivi"].iter_rows(values_only=True)
        intestazione = [
            str(v).strip().upper() if v is not None else "" for v in next(iteratore, ())
        ]
        if "ANNO" not in intestazione:
            return set()
        i = intestazione.index("ANNO")
        anni = set()
        for valori in iteratore:
            try:
                anni.add(int(valori[i]))
            except (TypeError, ValueError, IndexError):
                continue
        return anni
    finally:
        wb.close()
