"""Load a comune's plans from the demo JSON format (``fixtures/demo/FORMATO.md``).

Every object is validated with ``full_clean`` before it is saved, inside one
transaction per comune: a bad value stops the load with an Italian message
saying the file and where in it, and nothing of that comune is left half-saved.
"""

import json
from contextlib import contextmanager
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal

from indicators.models import Indicatore, Rilevazione, ValoreStorico
from peg.models import Comune, Missione, NodoDUP, Persona, Piano, Programma, Servizio, Settore
from peg.organigramma_piano import fissa_organigramma

from .models import (
    AmbitoPerformance,
    Fase,
    Obiettivo,
    RisorsaFinanziaria,
    RisorsaStrumentale,
    RisorsaUmana,
)

DEMO_DIR = Path(settings.BASE_DIR) / "fixtures" / "demo"
# Sent for each piano loaded, with its data: apps above this one load what is theirs
# (reporting: the print models, key "modelli_stampa"). A receiver refuses bad data with
# DemoDataError, which names the place.
piano_demo_caricato = Signal()
# Sent by ``carica_demo`` when the demo comuni, users and campagne exist (``slugs``: the
# comuni loaded): the apps above add their demo data (the Nucleo, the individual
# evaluation) without this layer knowing them.
demo_caricata = Signal()
DEMO_SLUGS = ("chiavari", "soresina", "seregno", "cinisello-balsamo")


class DemoDataError(Exception):
    """A demo file that cannot be loaded; the message says where and why."""


def _decimal(value, where: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise DemoDataError(f"{where}: «{value}» non è un numero.") from exc


def _date(value, where: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise DemoDataError(f"{where}: «{value}» non è una data AAAA-MM-GG.") from exc


def _messages(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        parts = []
        for field, errors in error.message_dict.items():
            label = "" if field == "__all__" else f"{field}: "
            parts.extend(f"{label}{message}" for message in errors)
        return "; ".join(parts)
    return "; ".join(error.messages)


class _Loader:
    def __init__(self, source: str):
        self.source = source
        self.path: list[str] = []
        self.persone: dict[tuple[str, str], Persona] = {}
        self.missioni = {m.codice: m for m in Missione.objects.all()}
        self.programmi = {p.codice: p for p in Programma.objects.all()}
        self.ambiti = {a.numero: a for a in AmbitoPerformance.objects.all()}

    @contextmanager
    def at(self, label: str):
        self.path.append(label)
        try:
            yield
        except KeyError as exc:
            raise DemoDataError(f"{self.where}: manca il campo {exc}.") from exc
        except (TypeError, ValueError, AttributeError) as exc:
            raise DemoDataError(f"{self.where}: valore non valido ({exc}).") from exc
        finally:
            self.path.pop()

    @property
    def where(self) -> str:
        return " › ".join([self.source, *self.path])

    def save(self, obj):
        try:
            obj.full_clean()
        except ValidationError as exc:
            raise DemoDataError(f"{self.where}: {_messages(exc)}") from exc
        obj.save()
        return obj

    def dec(self, value):
        return _decimal(value, self.where)

    def day(self, value):
        return _date(value, self.where)

    # --- people -------------------------------------------------------------
    def persona(self, comune, nome, categoria="", matricola="") -> Persona:
        """One Persona per person: by matricola, else by the words of the name in any order
        ("Stefano Luigi Pacchetti" is "PACCHETTI LUIGI STEFANO")."""
        parole = frozenset(nome.casefold().split())
        persona = self.persone.get(("m", matricola)) if matricola else None
        persona = persona or self.persone.get(("n", parole))
        if persona is None:
            persona = self.save(
                Persona(comune=comune, nome=nome, categoria=categoria, matricola=matricola)
            )
        elif matricola and not persona.matricola:
            persona.matricola, persona.categoria = matricola, categoria or persona.categoria
            self.save(persona)
        self.persone[("n", parole)] = persona
        if persona.matricola:
            self.persone[("m", persona.matricola)] = persona
        return persona

    # --- tree ---------------------------------------------------------------
    def load(self, data: dict) -> Comune:
        with self.at("comune"):
            info = data["comune"]
            comune = self.save(
                Comune(
                    nome=info["nome"],
                    denominazione=info.get("denominazione", ""),
                    provincia=info.get("provincia") or "",
                    slug=info["slug"],
                    note_trascrizione=info.get("note_trascrizione") or "",
                )
            )
        settori: dict[str, Settore] = {}
        for numero, piano_data in enumerate(data["piani"], start=1):
            with self.at(f"piano «{piano_data.get('titolo', numero)}»"):
                self.load_piano(comune, piano_data, settori)
        return comune

    def load_piano(self, comune, data, settori):
        piano = self.save(
            Piano(
                comune=comune,
                tipo=data["tipo"],
                titolo=data["titolo"],
                anno_inizio=data["anno_inizio"],
                anno_fine=data["anno_fine"],
                stato=data.get("stato") or Piano.Stato.BOZZA,
                delibera_numero=data.get("delibera_numero") or "",
                delibera_data=self.day(data.get("delibera_data")),
                vista_dup=data.get("vista_dup") or "",
                note_trascrizione=data.get("note_trascrizione") or "",
            )
        )
        nodi: dict[str, NodoDUP] = {}
        self.load_dup(piano, data.get("dup", []), None, nodi)
        for settore_data in data["settori"]:
            with self.at(f"settore «{settore_data['nome']}»"):
                settore = settori.get(settore_data["nome"]) or self.load_settore(
                    comune, settore_data
                )
                settori[settore.nome] = settore
                for obiettivo_data in settore_data["obiettivi"]:
                    label = f"obiettivo {obiettivo_data['codice']} ({obiettivo_data['anno']})"
                    with self.at(label):
                        self.load_obiettivo(piano, settore, nodi, obiettivo_data)
        # An approved demo piano is created before its settori: its organigramma is
        # photographed once they are loaded (``peg.organigramma_piano``).
        fissa_organigramma(piano)
        # The layers above (the print models of ``reporting``) read their own keys.
        piano_demo_caricato.send(sender=Piano, piano=piano, dati=data)

    def load_dup(self, piano, nodes, padre, nodi):
        for ordine, node in enumerate(nodes, start=1):
            with self.at(f"DUP {node['codice']}"):
                nodo = self.save(
                    NodoDUP(
                        piano=piano,
                        padre=padre,
                        livello=node["livello"],
                        codice=node["codice"],
                        denominazione=node.get("denominazione") or "",
                        ordine=ordine,
                    )
                )
                nodi[nodo.codice] = nodo
                self.load_dup(piano, node.get("figli", []), nodo, nodi)

    def load_settore(self, comune, data) -> Settore:
        settore = self.save(
            Settore(
                comune=comune,
                codice=data.get("codice") or "",
                nome=data["nome"],
                descrizione=data.get("descrizione") or "",
                tipo=data.get("tipo") or Settore.Tipo.SETTORE,
                responsabili_testo=data.get("responsabili_testo") or "",
                note_trascrizione=data.get("note_trascrizione") or "",
            )
        )
        settore.responsabili.set(
            [self.persona(comune, nome) for nome in data.get("responsabili", [])]
        )
        addetti = [
            self.persona(comune, a["nome"], a.get("categoria") or "", a.get("matricola") or "")
            for a in data.get("addetti", [])
        ]
        settore.addetti.set(addetti)
        for ordine, nome in enumerate(data.get("servizi", []), start=1):
            self.save(Servizio(settore=settore, nome=nome, ordine=ordine))
        return settore

    def load_obiettivo(self, piano, settore, nodi, data):
        comune = piano.comune
        obiettivo = Obiettivo(
            piano=piano,
            settore=settore,
            codice=data["codice"],
            anno=data["anno"],
            anno_inizio=data.get("anno_inizio") or data["anno"],
            anno_fine=data.get("anno_fine") or data["anno"],
            durata=data.get("durata") or Obiettivo.Durata.ANNUALE,
            # The scheda is in the state of its piano unless the file says otherwise.
            stato=data.get("stato") or piano.stato,
            missione=self.missioni.get(data.get("missione") or ""),
            programma=self.programmi.get(data.get("programma") or ""),
            strategicita=self.dec(data.get("strategicita")),
            complessita=self.dec(data.get("complessita")),
            tipologia=self.dec(data.get("tipologia")),
            peso=self.dec(data.get("peso")),
            data_inizio_prevista=self.day(data.get("data_inizio_prevista")),
            data_fine_prevista=self.day(data.get("data_fine_prevista")),
            data_inizio_effettiva=self.day(data.get("data_inizio_effettiva")),
            data_fine_effettiva=self.day(data.get("data_fine_effettiva")),
        )
        for field in (
            "denominazione",
            "descrizione",
            "risultato_atteso",
            "indirizzi_dup",
            "tipo",
            "tipo_testo",
            "riferimento_dup",
            "area_tematica",
            "assessorato",
            "direzione",
            "direttore",
            "riferimento_origine",
            "modalita_realizzazione",
            "servizi_coinvolti",
            "unita_organizzativa_responsabile",
            "unita_coinvolte",
            "responsabili_testo",
            "centro_di_costo",
            "condizione",
            "stato_attuazione",
            "monitoraggio",
            "risorse_finanziarie_testo",
            "note",
            "note_trascrizione",
        ):
            setattr(obiettivo, field, data.get(field) or "")
        for key in ("missione", "programma"):
            if data.get(key) and getattr(obiettivo, key) is None:
                raise DemoDataError(f"{self.where}: {key} «{data[key]}» sconosciuta.")
        self.save(obiettivo)
        obiettivo.responsabili.set([self.persona(comune, n) for n in data.get("responsabili", [])])
        try:
            obiettivo.nodi_dup.set([nodi[c] for c in data.get("dup_codici", [])])
            obiettivo.ambiti.set([self.ambiti[n] for n in data.get("ambiti", [])])
        except KeyError as exc:
            raise DemoDataError(f"{self.where}: riferimento sconosciuto {exc}.") from exc
        for item in data.get("indicatori", []):
            with self.at(f"indicatore {item['numero']}"):
                self.load_indicatore(obiettivo, item)
        for item in data.get("fasi", []):
            with self.at(f"fase {item['numero']}"):
                self.load_fase(obiettivo, item)
        self.load_risorse(obiettivo, data)

    def load_indicatore(self, obiettivo, data):
        indicatore = self.save(
            Indicatore(
                obiettivo=obiettivo,
                numero=data["numero"],
                peso=self.dec(data.get("peso")),
                denominazione=data["denominazione"],
                formula=data.get("formula") or "",
                tipo=data.get("tipo") or "",
                unita_misura=data.get("unita_misura") or "",
                polarita=data.get("polarita") or Indicatore.Polarita.CRESCENTE,
                anno=data.get("anno"),
                codice_attivita=data.get("codice_attivita") or "",
                valore_intermedio=self.dec(data.get("valore_intermedio")),
                valore_intermedio_testo=data.get("valore_intermedio_testo") or "",
                data_intermedia=self.day(data.get("data_intermedia")),
                valore_atteso=self.dec(data.get("valore_atteso")),
                valore_atteso_testo=data.get("valore_atteso_testo") or "",
                data_attesa=self.day(data.get("data_attesa")),
                scadenza_testo=data.get("scadenza_testo") or "",
                graduazione=data.get("graduazione") or "",
                note=data.get("note") or "",
                note_trascrizione=data.get("note_trascrizione") or "",
            )
        )
        for item in data.get("storico", []):
            with self.at(f"storico {item['anno']}"):
                self.save(
                    ValoreStorico(
                        indicatore=indicatore,
                        anno=item["anno"],
                        valore=self.dec(item.get("valore")),
                        valore_testo=item.get("valore_testo") or "",
                    )
                )
        for item in data.get("rilevazioni", []):
            with self.at(f"rilevazione {item['tipo']}"):
                self.save(
                    Rilevazione(
                        indicatore=indicatore,
                        tipo=item["tipo"],
                        valore=self.dec(item.get("valore")),
                        valore_testo=item.get("valore_testo") or "",
                        data=self.day(item.get("data")),
                        percentuale_raggiungimento=self.dec(item.get("percentuale_raggiungimento")),
                        note=item.get("note") or "",
                    )
                )

    def load_fase(self, obiettivo, data):
        fase = Fase(
            obiettivo=obiettivo,
            numero=data["numero"],
            peso=self.dec(data.get("peso")),
            avanzamento=self.dec(data.get("avanzamento")),
            data_inizio_prevista=self.day(data.get("data_inizio_prevista")),
            data_fine_prevista=self.day(data.get("data_fine_prevista")),
            data_inizio_effettiva=self.day(data.get("data_inizio_effettiva")),
            data_fine_effettiva=self.day(data.get("data_fine_effettiva")),
        )
        for field in (
            "codice_attivita",
            "descrizione",
            "tempi_testo",
            "indicatore",
            "livello_atteso",
            "graduazione",
            "raggiunto",
            "responsabile",
            "centro_di_responsabilita",
            "monitoraggio",
            "note_trascrizione",
        ):
            setattr(fase, field, data.get(field) or "")
        self.save(fase)

    def load_risorse(self, obiettivo, data):
        comune = obiettivo.piano.comune
        for ordine, item in enumerate(data.get("risorse_finanziarie", []), start=1):
            with self.at(f"risorsa finanziaria {ordine}"):
                self.save(
                    RisorsaFinanziaria(
                        obiettivo=obiettivo,
                        capitolo=item.get("capitolo") or "",
                        articolo=item.get("articolo") or "",
                        descrizione=item.get("descrizione") or "",
                        importo=self.dec(item.get("importo")),
                        tipo=item.get("tipo") or RisorsaFinanziaria.Tipo.SPESA,
                        natura=item.get("natura") or RisorsaFinanziaria.Natura.PREVISTA,
                        quota_parte=bool(item.get("quota_parte")),
                        testo=item.get("testo") or "",
                        ordine=ordine,
                    )
                )
        for ordine, item in enumerate(data.get("risorse_umane", []), start=1):
            with self.at(f"risorsa umana {ordine}"):
                persona = self.persona(
                    comune, item["nome"], item.get("categoria") or "", item.get("matricola") or ""
                )
                self.save(
                    RisorsaUmana(
                        obiettivo=obiettivo,
                        persona=persona,
                        percentuale_impiego=self.dec(item.get("percentuale_impiego")),
                        ordine=ordine,
                    )
                )
        strumentali = data.get("risorse_strumentali") or {}
        for tipo, key in (
            (RisorsaStrumentale.Tipo.SPAZI, "spazi"),
            (RisorsaStrumentale.Tipo.INFORMATICA, "dotazione_informatica"),
            (RisorsaStrumentale.Tipo.ALTRO, "altro"),
        ):
            if strumentali.get(key):
                with self.at(f"risorse strumentali ({key})"):
                    self.save(
                        RisorsaStrumentale(
                            obiettivo=obiettivo, tipo=tipo, descrizione=strumentali[key]
                        )
                    )


def carica_file(path: Path, sostituisci: bool = False) -> Comune | None:
    """Load one demo file. Returns the comune, or None if it exists and is kept."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"), parse_float=Decimal)
        slug = data["comune"]["slug"]
    except (OSError, json.JSONDecodeError, KeyError, TypeError) as exc:
        raise DemoDataError(f"{Path(path).name}: file illeggibile ({exc}).") from exc
    with transaction.atomic():
        existing = Comune.objects.filter(slug=slug).first()
        if existing and not sostituisci:
            return None
        if existing:
            _elimina_comune(existing)
        return _Loader(Path(path).name).load(data)


def _elimina_comune(comune: Comune) -> None:
    # Obiettivi protect their settore: remove them first.
    Obiettivo.objects.filter(piano__comune=comune).delete()
    comune.delete()
