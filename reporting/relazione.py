"""The Relazione sulla performance of one year: the data, shared by page, PDF and Excel.

Pure data: no formatting beyond the texts of the scores (``Esito.testo``), numbers stay
``Decimal`` (half-up to two places, as the engine rounds them). Loaded in a fixed number
of queries whatever the piano's size: ``carica_punteggi`` (five), the visible schede's
texts (one), the OIV's validations in force and their rettifiche (two), the piano's
photograph of its organigramma (one, none for a bozza: ``peg.organigramma_piano``), the
settori's responsabili (one, only when a settore has no printed name).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone

from indicators.caricamento import carica_punteggi
from indicators.engine.formatting import CENTO, arrotonda, percentuale
from indicators.engine.scoring import CALCOLATO, Esito, Sistema, calcola
from objectives.models import Obiettivo
from peg.models import Settore
from peg.organigramma_piano import ATTRIBUTO, come_nel_piano
from valutazione.nucleo import descrivi
from valutazione.punteggi import validazioni_in_vigore

S = Obiettivo.Stato
ETICHETTE_STATO = dict(S.choices)


@dataclass
class Motivazione:
    """A figure the OIV set differently from the computed one, and why."""

    indicatore_numero: int | None  # None: the obiettivo's own score
    indicatore: str  # the indicatore's denominazione
    punteggio_calcolato: Decimal | None
    stato_calcolato: str
    punteggio: Decimal
    motivazione: str

    @property
    def oggetto(self) -> str:
        if self.indicatore_numero is None:
            return "Obiettivo"
        return f"Indicatore {self.indicatore_numero}"

    @property
    def calcolato_testo(self) -> str:
        if self.stato_calcolato == CALCOLATO and self.punteggio_calcolato is not None:
            return percentuale(self.punteggio_calcolato)
        return self.stato_calcolato


@dataclass
class RigaObiettivo:
    id: int
    codice: str
    denominazione: str
    stato: str
    peso: Decimal | None
    esito: Esito  # the score that counts; the engine's is beside it when validated
    stato_attuazione: str = ""
    monitoraggio: str = ""
    condizione: str = ""
    validato_il: date | None = None  # local date of the validation in force
    validato_da: str = ""
    # «seduta del 12 marzo 2020, verbale n. 3/2020»: where the Nucleo decided ("" if none)
    validato_in_seduta: str = ""
    note_oiv: str = ""
    motivazioni: list[Motivazione] = field(default_factory=list)
    soglia: Decimal = CENTO  # the piano's: from here on it is reached

    @property
    def stato_label(self) -> str:
        return ETICHETTE_STATO.get(self.stato, self.stato)

    @property
    def validato(self) -> bool:
        """Validated by the OIV and not reopened: its figure is the validated one."""
        return self.stato == S.VALIDATO

    @property
    def punteggio(self) -> Decimal | None:
        return self.esito.punteggio

    @property
    def punteggio_calcolato(self) -> Decimal | None:
        return self.esito.punteggio_calcolato if self.esito.validato else self.esito.punteggio

    @property
    def calcolato_testo(self) -> str:
        return self.esito.testo_calcolato

    @property
    def validato_testo(self) -> str:
        return self.esito.testo if self.validato else ""

    @property
    def rettificato(self) -> bool:
        return self.validato and self.esito.rettificato

    @property
    def raggiunto(self) -> bool:
        return self.esito.punteggio is not None and self.esito.punteggio >= self.soglia

    @property
    def motivazione_obiettivo(self) -> str:
        return next((m.motivazione for m in self.motivazioni if m.indicatore_numero is None), "")

    def motivi(self) -> list[tuple[str, str]]:
        """Why it was not fully reached: (heading, text), only the ones present."""
        motivi = []
        if not self.esito.calcolato:
            # «indicatore 2: manca il valore raggiunto», without the scheda's own code
            mancanti = "; ".join(m.split(" › ")[-1] for m in self.esito.mancanti)
            testo = f"{self.esito.stato}" + (f" ({mancanti})" if mancanti else "")
            motivi.append(("Esito", testo))
        if self.esito.non_misurabili:
            testo = "; ".join(m.split(" › ")[-1] for m in self.esito.non_misurabili)
            motivi.append(("Non misurabili", testo))
        if self.condizione:
            motivi.append(("Condizione", self.condizione))
        if self.stato_attuazione:
            motivi.append(("Stato di attuazione", self.stato_attuazione))
        if self.monitoraggio:
            motivi.append(("Monitoraggio", self.monitoraggio))
        for m in self.motivazioni:
            motivi.append((f"Motivazione dell'OIV ({m.oggetto.lower()})", m.motivazione))
        if self.note_oiv:
            motivi.append(("Note dell'OIV", self.note_oiv))
        if not self.stato_attuazione:
            # Said plainly: the relazione must explain every shortfall.
            motivi.append(("Stato di attuazione", "non indicato nella scheda"))
        return motivi


@dataclass
class SezioneSettore:
    settore: Settore
    responsabili: str
    esito: Esito
    obiettivi: list[RigaObiettivo]

    @property
    def titolo(self) -> str:
        return f"{self.settore.codice} {self.settore.nome}".strip()


@dataclass
class Relazione:
    comune: object
    piano: object
    anno: int
    ente: Esito  # counts the OIV's figures; ``ente.testo_calcolato`` the engine's
    settori: list[SezioneSettore]

    @property
    def obiettivi(self) -> list[RigaObiettivo]:
        return [r for s in self.settori for r in s.obiettivi]

    @property
    def non_raggiunti(self) -> list[tuple[SezioneSettore, RigaObiettivo]]:
        """Below the piano's threshold by the score that counts, or not computable / incomplete."""
        return [(s, r) for s in self.settori for r in s.obiettivi if not r.raggiunto]

    @property
    def con_motivazioni(self) -> list[tuple[SezioneSettore, RigaObiettivo]]:
        return [(s, r) for s in self.settori for r in s.obiettivi if r.motivazioni or r.note_oiv]

    @property
    def n_obiettivi(self) -> int:
        return len(self.obiettivi)

    @property
    def n_validati(self) -> int:
        return sum(r.validato for r in self.obiettivi)

    @property
    def n_da_validare(self) -> int:
        """Rendicontati, awaiting the OIV."""
        return sum(r.stato == S.RENDICONTATO for r in self.obiettivi)

    @property
    def n_raggiunti(self) -> int:
        return sum(r.raggiunto for r in self.obiettivi)

    def righe_settori(self) -> list[dict]:
        return [
            {
                "anno": self.anno,
                "codice": s.settore.codice,
                "settore": s.settore.nome,
                "responsabile": s.responsabili,
                "obiettivi": len(s.obiettivi),
                "punteggio": s.esito.punteggio,
                "punteggio_calcolato": _calcolato(s.esito),
                "esito": s.esito.testo,
                "esito_calcolato": s.esito.testo_calcolato,
                "rettificato": s.esito.rettificato,
            }
            for s in self.settori
        ]

    def righe_tabella(self) -> list[dict]:
        """One flat row per obiettivo, for the PDF and Excel exports."""
        righe = []
        for s in self.settori:
            for r in s.obiettivi:
                righe.append(
                    {
                        "anno": self.anno,
                        "settore_codice": s.settore.codice,
                        "settore": s.settore.nome,
                        "responsabile": s.responsabili,
                        "codice": r.codice,
                        "obiettivo": r.denominazione,
                        "stato": r.stato_label,
                        "peso": r.peso,
                        "punteggio_calcolato": r.punteggio_calcolato,
                        "esito_calcolato": r.calcolato_testo,
                        "punteggio_validato": r.punteggio if r.validato else None,
                        "esito_validato": r.validato_testo,
                        "rettificato": r.rettificato,
                        "punteggio": r.punteggio,
                        "esito": r.esito.testo,
                        "raggiunto": r.raggiunto,
                        "validato_il": r.validato_il,
                        "validato_da": r.validato_da,
                        "note_oiv": r.note_oiv,
                        "motivazioni": "\n".join(
                            f"{m.oggetto}: {m.motivazione}" for m in r.motivazioni
                        ),
                        "condizione": r.condizione,
                        "stato_attuazione": r.stato_attuazione,
                        "monitoraggio": r.monitoraggio,
                    }
                )
        return righe


def _calcolato(esito: Esito) -> Decimal | None:
    return esito.punteggio_calcolato if esito.validato else esito.punteggio


def relazione(piano, anno: int, obiettivi_visibili_qs=None, settore=None) -> Relazione:
    """The year's relazione; with ``obiettivi_visibili_qs`` only those schede appear and
    settori and ente are scored on them alone (a responsabile and others' drafts); with
    ``settore`` that settore alone (loaded alone: a section of the page)."""
    schede = obiettivi_visibili_qs if obiettivi_visibili_qs is not None else Obiettivo.objects
    schede = schede.filter(piano=piano, anno=anno)
    if settore is not None:
        schede = schede.filter(settore=settore)
    testi = {
        pk: (denominazione, attuazione, monitoraggio, condizione)
        for pk, denominazione, attuazione, monitoraggio, condizione in schede.values_list(
            "id", "denominazione", "stato_attuazione", "monitoraggio", "condizione"
        )
    }
    punteggi = carica_punteggi(piano, anno=anno, settore=settore)
    if set(punteggi.obiettivi) - set(testi):
        visibili = [o for voci in punteggi.per_settore.values() for o, _ in voci if o.pk in testi]
        punteggi = calcola(
            visibili, Sistema.del_piano(piano), etichetta_ente=str(piano.comune), spiega=False
        )
    validazioni, motivazioni = _validazioni(piano, anno, punteggi, settore)
    # The settori as the piano approved them, the relazione being one of its documents
    # (the settore asked for too: its page's title).
    come_nel_piano(piano, [*punteggi.settori, *([settore] if settore is not None else [])])
    responsabili = _responsabili(punteggi.settori)

    sezioni = []
    for settore, voci in punteggi.per_settore.items():
        righe = []
        for obiettivo, esito in voci:
            denominazione, attuazione, monitoraggio, condizione = testi[obiettivo.pk]
            validazione = validazioni.get(obiettivo.pk)
            righe.append(
                RigaObiettivo(
                    id=obiettivo.pk,
                    codice=obiettivo.codice,
                    denominazione=denominazione,
                    stato=obiettivo.stato,
                    peso=arrotonda(obiettivo.peso) if obiettivo.peso is not None else None,
                    esito=esito,
                    stato_attuazione=attuazione,
                    monitoraggio=monitoraggio,
                    condizione=condizione,
                    validato_il=timezone.localdate(validazione.quando) if validazione else None,
                    validato_da=_nome(validazione.utente) if validazione else "",
                    validato_in_seduta=descrivi(validazione.seduta)
                    if validazione and validazione.seduta
                    else "",
                    note_oiv=validazione.note if validazione else "",
                    motivazioni=motivazioni.get(obiettivo.pk, []),
                    soglia=piano.soglia_raggiunto,
                )
            )
        sezioni.append(
            SezioneSettore(settore, responsabili[settore.pk], punteggi.settori[settore], righe)
        )
    return Relazione(piano.comune, piano, anno, punteggi.ente, sezioni)


def _validazioni(piano, anno: int, punteggi, settore=None) -> tuple[dict, dict]:
    """The validations in force ({obiettivo id: Validazione}) and their motivazioni
    (which are in force: ``valutazione.punteggi``; the rettifiche came with the schede,
    in their ``figli``, from the same function)."""
    schede = Obiettivo.objects.filter(piano=piano, anno=anno)
    if settore is not None:
        schede = schede.filter(settore=settore)
    schede = schede.values("pk")
    validazioni = {
        pk: v for pk, v in validazioni_in_vigore(schede).items() if pk in punteggi.obiettivi
    }
    motivazioni: dict[int, list[Motivazione]] = {}
    rettifiche = [
        r for voci in punteggi.per_settore.values() for o, _ in voci for r in o.figli["rettifiche"]
    ]
    for r in rettifiche:
        # The engine's live figure, else the one stored at validation.
        if r.indicatore_id is None:
            esito = punteggi.obiettivi[r.obiettivo_id]
        else:
            esito = punteggi.dettagli[r.obiettivo_id]["indicatori"].get(r.indicatore_id)
        calcolato = r.punteggio_calcolato
        stato = CALCOLATO if calcolato is not None else "non calcolato"
        if esito is not None and esito.validato:
            calcolato, stato = esito.punteggio_calcolato, esito.stato_calcolato
        motivazioni.setdefault(r.obiettivo_id, []).append(
            Motivazione(
                indicatore_numero=r.indicatore.numero if r.indicatore_id else None,
                indicatore=r.indicatore.denominazione if r.indicatore_id else "",
                punteggio_calcolato=calcolato,
                stato_calcolato=stato,
                punteggio=arrotonda(r.punteggio),
                motivazione=r.motivazione,
            )
        )
    return validazioni, motivazioni


def _responsabili(settori) -> dict[int, str]:
    """The responsabili as printed, else the names of the linked persone (one query);
    for a settore photographed by the piano, its responsabile then."""
    fissati = {s.pk: v.responsabile for s in settori if (v := getattr(s, ATTRIBUTO, None))}
    nomi = {s.pk: s.responsabili_testo for s in settori} | fissati
    senza = [pk for pk, testo in nomi.items() if not testo and pk not in fissati]
    if senza:
        legami = Settore.responsabili.through.objects.filter(settore_id__in=senza)
        trovati: dict[int, list[str]] = {}
        for settore_id, nome in legami.values_list("settore_id", "persona__nome").order_by(
            "settore_id", "persona__nome"
        ):
            trovati.setdefault(settore_id, []).append(nome)
        nomi.update({pk: ", ".join(v) for pk, v in trovati.items()})
    return nomi


def _nome(utente) -> str:
    return utente.get_full_name() or utente.username
