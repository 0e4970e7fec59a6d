"""What the page of a scheda individuale shows and what its forms do: the context (the
scheda read once, the live or frozen scores, the buttons ``individuale.workflow``
allows, a form per move) and, per move, the form and the service call
(``ESECUZIONI``). The views only read the request and answer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone

from . import forms_schede as f
from . import servizio, workflow
from .forms_servizio import ServizioForm
from .models import Contestazione, SchedaIndividuale, VotoComportamento
from .storico_scheda import storico_scheda

S = SchedaIndividuale.Stato
COMPONENTI = (
    ("ente", "Performance organizzativa dell'ente"),
    ("settore", "Performance organizzativa del settore"),
    ("obiettivi", "Obiettivi individuali"),
    ("comportamenti", "Comportamenti organizzativi"),
    ("differenziazione", "Capacità di differenziare i giudizi"),
)


@dataclass
class Punteggio:
    """The scores shown: frozen on the row at DEFINITIVA, else computed now."""

    valori: object | None  # the row or individuale.punteggi.Punteggi; None: not available
    congelati: bool
    provvisorio: bool  # computed on results the Nucleo has not all validated

    def _di(self, nome: str):
        if self.valori is None:
            return None
        return getattr(self.valori, f"punteggio_{nome}" if self.congelati else nome)

    @property
    def finale(self):
        return self._di("finale")

    def componenti(self, categoria) -> list[tuple[str, object, object]]:
        """(label, weight, score) of the components the categoria weighs."""
        return [
            (etichetta, getattr(categoria, f"peso_{nome}"), self._di(nome))
            for nome, etichetta in COMPONENTI
            if getattr(categoria, f"peso_{nome}")
        ]


def punteggio(scheda: SchedaIndividuale, calcolati: dict | None = None) -> Punteggio:
    if scheda.stato == S.DEFINITIVA:
        return Punteggio(scheda, True, False)
    if calcolati is None:
        calcolati = servizio.punteggi_di([scheda])
    valori = calcolati.get(scheda.pk)
    return Punteggio(valori, False, valori is not None and not valori.validati)


def leggi(scheda: SchedaIndividuale) -> SchedaIndividuale:
    """The rows the page and the PDF read, in a few queries."""
    prefetch_related_objects(
        [scheda],
        Prefetch("voti", queryset=VotoComportamento.objects.select_related("comportamento")),
        Prefetch("categoria__comportamenti"),
        Prefetch("obiettivi_assegnati__obiettivo__settore"),
        Prefetch(
            "contestazioni",
            queryset=Contestazione.objects.select_related(
                "voto__comportamento", "presentata_da", "risposta_da"
            ),
        ),
    )
    return scheda


def righe_voti(scheda: SchedaIndividuale) -> list[tuple]:
    """(comportamento, its vote row or None) in the catalogue's order."""
    voti = {v.comportamento_id: v for v in scheda.voti.all()}
    return [(c, voti.get(c.pk)) for c in scheda.categoria.comportamenti.all()]


# ---------------------------------------------------------------- the moves' forms


@dataclass(frozen=True)
class Esecuzione:
    form: Callable | None  # (data, scheda) -> form; None: a plain button
    esegui: Callable  # (scheda, utente, cleaned_data) -> servizio.Cambio
    fatto: str  # the message after it


def _versione(d) -> int:
    return d["versione"]


def _decidi_voti(d: dict) -> dict:
    """The sindaco's votes, by comportamento id."""
    return {int(k.removeprefix("voto_")): (v, "") for k, v in d.items() if k.startswith("voto_")}


ESECUZIONI = {
    "proponi": Esecuzione(
        lambda data, s: f.ProponiForm(data, scheda=s, prefix="proponi"),
        lambda s, u, d: servizio.proponi(s, u, _versione(d), d["seduta"]),
        "Proposta registrata: la decisione spetta ora al sindaco.",
    ),
    "decidi": Esecuzione(
        lambda data, s: f.DecidiForm(data, scheda=s, voti=s.voti.all(), prefix="decidi"),
        lambda s, u, d: servizio.decidi(
            s,
            u,
            _versione(d),
            d["colloquio_data"],
            d["colloquio_note"],
            _decidi_voti(d),
            d["motivazione"],
        ),
        "Valutazione decisa e consegnata al valutato.",
    ),
    "consegna": Esecuzione(
        lambda data, s: f.ColloquioForm(data, scheda=s, prefix="consegna"),
        lambda s, u, d: servizio.consegna(
            s, u, _versione(d), d["colloquio_data"], d["colloquio_note"]
        ),
        "Scheda consegnata al valutato.",
    ),
    "presa_visione": Esecuzione(
        None,
        lambda s, u, d: servizio.presa_visione(s, u),
        "Presa visione registrata.",
    ),
    "presa_visione_cartacea": Esecuzione(
        lambda data, s: f.CartaceaForm(data, scheda=s, prefix="cartacea"),
        lambda s, u, d: servizio.presa_visione_cartacea(s, u, d["il"]),
        "Presa visione su carta registrata.",
    ),
    "accetta": Esecuzione(
        None, lambda s, u, d: servizio.accetta(s, u), "Valutazione accettata: è definitiva."
    ),
    "accetta_cartacea": Esecuzione(
        None,
        lambda s, u, d: servizio.accetta_cartacea(s, u),
        "Accettazione su carta registrata: la valutazione è definitiva.",
    ),
    "chiedi_conciliazione": Esecuzione(
        lambda data, s: f.ConciliazioneForm(data, scheda=s, prefix="conciliazione"),
        lambda s, u, d: servizio.chiedi_conciliazione(
            s, u, d["motivi"], d["voto"].pk if d["voto"] else None
        ),
        "Richiesta di conciliazione inviata al valutatore.",
    ),
    "rispondi": Esecuzione(
        lambda data, s: f.RispostaForm(
            data, scheda=s, richiesta=servizio.contestazione_aperta(s), prefix="risposta"
        ),
        lambda s, u, d: servizio.rispondi(
            s,
            u,
            _versione(d),
            d["esito"],
            d["risposta"],
            d["voto_dopo"],
            d["voto"].pk if d.get("voto") else None,
        ),
        "Risposta registrata: la valutazione è definitiva.",
    ),
    "rendi_definitiva": Esecuzione(
        None,
        lambda s, u, d: servizio.rendi_definitiva(s, u),
        "La valutazione è definitiva.",
    ),
}


def modulo_azione(nome: str, scheda: SchedaIndividuale, data=None):
    esecuzione = ESECUZIONI.get(nome)
    return esecuzione.form(data, scheda) if esecuzione and esecuzione.form else None


# ---------------------------------------------------------------- the page


def contesto(utente, scheda: SchedaIndividuale, **legati) -> dict:
    """The page's context; ``legati``: forms posted again with their errors (by name:
    "voti", "obiettivi", "servizio" or a move's name)."""
    leggi(scheda)
    oggi = timezone.localdate()
    azioni = workflow.azioni_possibili(utente, scheda, oggi)
    modifiche = workflow.modifiche_possibili(utente, scheda)
    moduli = {a.nome: legati.get(a.nome) or modulo_azione(a.nome, scheda) for a in azioni}
    if "voti" in modifiche:
        moduli["voti"] = legati.get("voti") or f.VotiForm(
            scheda=scheda,
            comportamenti=scheda.categoria.comportamenti.all(),
            voti=scheda.voti.all(),
            prefix="voti",
        )
    if "obiettivi" in modifiche:
        moduli["obiettivi"] = legati.get("obiettivi") or f.ObiettiviForm(
            scheda=scheda, assegnati=scheda.obiettivi_assegnati.all(), prefix="obiettivi"
        )
    if "servizio" in modifiche:
        moduli["servizio"] = legati.get("servizio") or ServizioForm(
            scheda=scheda, prefix="servizio"
        )
    calcolato = punteggio(scheda)
    return {
        "comune": scheda.smvp.comune,
        "scheda": scheda,
        "smvp": scheda.smvp,
        "righe_voti": righe_voti(scheda),
        "punteggio": calcolato,
        "componenti": calcolato.componenti(scheda.categoria),
        "azioni": [(a, moduli.get(a.nome)) for a in azioni],
        "moduli": moduli,
        "parti": workflow.chi_sono(utente, scheda),
        "scadenza": workflow.scadenza_conciliazione(scheda),
        "nel_termine": workflow.nel_termine(scheda, oggi),
        "storico": storico_scheda(scheda),
    }
