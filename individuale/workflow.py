"""The life of a scheda di valutazione individuale: states, who may move them, what may
change when (docs/valutazione-individuale.md has the flow in words).

The only place of this rule. Nothing here writes: ``individuale.servizio`` asks
``verifica_modifica`` and ``verifica_azione`` under the row's lock before every change,
the pages ask ``modifiche_possibili`` and ``azioni_possibili`` to show only what may be
done. Who is who on a scheda (``chi_sono``) is read from the user's roles in the comune
(``peg.access.ruoli``) and from the scheda itself (its valutatore, its persona's login).

- BOZZA: the evaluator votes the comportamenti (a comment each) and writes the giudizio;
  the segreteria (and the evaluator) assign the obiettivi individuali. For the chain
  Nucleo → sindaco the evaluator is the Nucleo (OIV role), which «propone» in an open
  seduta (→ PROPOSTA); the sindaco «decide» (→ CONSEGNATA). Other chains: the
  evaluator «consegna» (→ CONSEGNATA), with the colloquio.
- CONSEGNATA: the person takes note («presa visione»; for staff without a login the
  evaluator records a paper one), then within ``smvp.giorni_conciliazione`` days accepts
  (→ DEFINITIVA; on paper, again only without a login: the evaluator records the signed
  acceptance) or asks for the conciliazione (→ CONTESTATA); after the term the evaluator
  or the segreteria «rende definitiva».
- CONTESTATA: the evaluator (for the Nucleo's chain: the sindaco) answers → DEFINITIVA.
- Until DEFINITIVA the segreteria and the ufficio personale keep the data of service
  (part-time, days) the premi are weighed with.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from indicators.engine.formatting import data_lunga
from peg.access import OIV, PERSONALE, SEGRETERIA, SINDACO, ruoli

from .models import Categoria, SchedaIndividuale

S = SchedaIndividuale.Stato
V = Categoria.Valutatore

# Who one is on a scheda (beyond the comune's roles).
PERSONA = "persona"  # the person evaluated, from his own login
VALUTATORE = "valutatore"  # who votes: the scheda's valutatore, the Nucleo for its chain
DECIDE = "decide"  # who answers in the merit at the end: the sindaco for the Nucleo's chain
SEGRETERIA_ = "segreteria"
PERSONALE_ = "personale"  # the ufficio personale: the data of service, nothing of the merit


class TransizioneNonAmmessa(PermissionDenied):
    """A move or a change the rules do not allow; the message says why, in Italian (403)."""


def chi_sono(utente, scheda: SchedaIndividuale) -> frozenset[str]:
    """The parts ``utente`` has on ``scheda`` (a page asks many times: kept on the object)."""
    if utente is None:
        return frozenset({SEGRETERIA_})
    cache = scheda.__dict__.setdefault("_parti", {})
    if utente.pk not in cache:
        cache[utente.pk] = _parti(utente, scheda)
    return cache[utente.pk]


def _parti(utente, scheda: SchedaIndividuale) -> frozenset[str]:
    if not utente.is_authenticated:
        return frozenset()
    r = ruoli(utente, scheda.smvp.comune_id)
    parti = set()
    if SEGRETERIA in r.tipi:
        parti.add(SEGRETERIA_)
    if PERSONALE in r.tipi:
        parti.add(PERSONALE_)
    if scheda.persona.utente_id is not None and scheda.persona.utente_id == utente.pk:
        parti.add(PERSONA)
        return frozenset(parti)  # nobody evaluates himself, whatever his roles
    catena = scheda.categoria.valutatore
    if catena == V.NUCLEO_SINDACO:
        if OIV in r.tipi:
            parti.add(VALUTATORE)
        if SINDACO in r.tipi:
            parti.add(DECIDE)
    elif scheda.valutatore_id == utente.pk or (
        catena == V.RESPONSABILE and scheda.valutatore_id is None and scheda.settore_id in r.settori
    ):
        parti |= {VALUTATORE, DECIDE}
    return frozenset(parti)


# ---------------------------------------------------------------- changes in BOZZA

# What may change, in which state, by whom: "voti" the comportamenti's votes and
# comments and the giudizio; "obiettivi" the obiettivi individuali and their weights;
# "servizio" the part-time % and the days of service the premi are weighed with
# (administrative data, not a judgement: until the scores are frozen at DEFINITIVA).
MODIFICHE = {
    "voti": ({S.BOZZA}, {VALUTATORE}),
    "obiettivi": ({S.BOZZA}, {VALUTATORE, SEGRETERIA_}),
    "servizio": ({S.BOZZA, S.PROPOSTA, S.CONSEGNATA, S.CONTESTATA}, {SEGRETERIA_, PERSONALE_}),
}
NOMI_MODIFICHE = {
    "voti": "i voti e il giudizio",
    "obiettivi": "gli obiettivi individuali",
    "servizio": "i dati di servizio",
}
CHI_MODIFICA = {
    "voti": "il valutatore",
    "obiettivi": "il valutatore o la segreteria",
    "servizio": "la segreteria o l'ufficio personale",
}


def puo_modificare(utente, scheda: SchedaIndividuale, cosa: str) -> bool:
    stati, parti = MODIFICHE[cosa]
    return scheda.stato in stati and bool(chi_sono(utente, scheda) & parti)


def modifiche_possibili(utente, scheda: SchedaIndividuale) -> set[str]:
    return {cosa for cosa in MODIFICHE if puo_modificare(utente, scheda, cosa)}


def verifica_modifica(utente, scheda: SchedaIndividuale, cosa: str) -> None:
    if puo_modificare(utente, scheda, cosa):
        return
    stati, parti = MODIFICHE[cosa]
    if not chi_sono(utente, scheda) & parti:
        raise TransizioneNonAmmessa(
            f"{NOMI_MODIFICHE[cosa].capitalize()} della {_nome(scheda)} li modifica solo "
            f"{CHI_MODIFICA[cosa]}."
        )
    raise TransizioneNonAmmessa(
        f"Non si possono modificare {NOMI_MODIFICHE[cosa]} della {_nome(scheda)}: "
        f"la scheda è «{scheda.get_stato_display()}»."
    )


def _nome(scheda: SchedaIndividuale) -> str:
    return f"scheda di {scheda.persona.nome} ({scheda.smvp.anno})"


# ---------------------------------------------------------------- the moves


@dataclass(frozen=True)
class Azione:
    nome: str
    etichetta: str
    da: frozenset
    a: str  # the state after ("" if it does not change)
    parti: frozenset
    conferma: str
    catena: str = ""  # "nucleo": only the Nucleo's chain; "altre": only the others

    def sulla_catena(self, scheda: SchedaIndividuale) -> bool:
        nucleo = scheda.categoria.valutatore == V.NUCLEO_SINDACO
        return not self.catena or (self.catena == "nucleo") == nucleo


AZIONI = {
    a.nome: a
    for a in (
        Azione(
            "proponi",
            "Proponi al sindaco",
            frozenset({S.BOZZA}),
            S.PROPOSTA,
            frozenset({VALUTATORE}),
            "La proposta del Nucleo va al sindaco con i voti di oggi, riferita alla seduta "
            "scelta: i voti non si potranno più cambiare dal Nucleo.",
            catena="nucleo",
        ),
        Azione(
            "decidi",
            "Decidi e consegna",
            frozenset({S.PROPOSTA}),
            S.CONSEGNATA,
            frozenset({DECIDE}),
            "La valutazione è decisa e consegnata al valutato, che ne prende visione e può "
            "chiedere la conciliazione: i voti non si potranno più cambiare.",
            catena="nucleo",
        ),
        Azione(
            "consegna",
            "Consegna al valutato",
            frozenset({S.BOZZA}),
            S.CONSEGNATA,
            frozenset({VALUTATORE}),
            "La scheda è consegnata al valutato con il colloquio: i voti non si potranno "
            "più cambiare, salvo conciliazione.",
            catena="altre",
        ),
        Azione(
            "presa_visione",
            "Presa visione",
            frozenset({S.CONSEGNATA}),
            "",
            frozenset({PERSONA}),
            "Dichiari di aver preso visione della scheda: da oggi decorre il termine per "
            "chiedere la conciliazione.",
        ),
        Azione(
            "presa_visione_cartacea",
            "Registra presa visione su carta",
            frozenset({S.CONSEGNATA}),
            "",
            frozenset({VALUTATORE, DECIDE}),
            "La presa visione firmata su carta viene registrata con la sua data: da quella "
            "data decorre il termine per la conciliazione.",
        ),
        Azione(
            "accetta",
            "Accetto la valutazione",
            frozenset({S.CONSEGNATA}),
            S.DEFINITIVA,
            frozenset({PERSONA}),
            "Accetti la valutazione: diventa definitiva e non potrai più chiedere la "
            "conciliazione.",
        ),
        Azione(
            "accetta_cartacea",
            "Registra accettazione su carta",
            frozenset({S.CONSEGNATA}),
            S.DEFINITIVA,
            frozenset({VALUTATORE, DECIDE}),
            "Il valutato ha firmato su carta che accetta la valutazione e rinuncia alla "
            "conciliazione: la valutazione diventa definitiva e i punteggi restano fissati.",
        ),
        Azione(
            "chiedi_conciliazione",
            "Chiedo la conciliazione",
            frozenset({S.CONSEGNATA}),
            S.CONTESTATA,
            frozenset({PERSONA}),
            "La richiesta di conciliazione va al valutatore con i tuoi motivi: non si può "
            "ritirare.",
        ),
        Azione(
            "rispondi",
            "Rispondi alla conciliazione",
            frozenset({S.CONTESTATA}),
            S.DEFINITIVA,
            frozenset({DECIDE}),
            "La risposta chiude la conciliazione e la valutazione diventa definitiva, con "
            "il punteggio prima e dopo.",
        ),
        Azione(
            "rendi_definitiva",
            "Rendi definitiva",
            frozenset({S.CONSEGNATA}),
            S.DEFINITIVA,
            frozenset({VALUTATORE, DECIDE, SEGRETERIA_}),
            "Il termine per la conciliazione è scaduto: la valutazione diventa definitiva "
            "e i punteggi restano fissati.",
        ),
    )
}


def presa_visione_cartacea_da(scheda: SchedaIndividuale) -> date | None:
    """The first day a paper acknowledgement may bear: the colloquio's (the delivery in
    the office, also when the scheda is recorded later), else the consegna's."""
    if scheda.colloquio_data:
        return scheda.colloquio_data
    return timezone.localtime(scheda.consegnata_il).date() if scheda.consegnata_il else None


def verifica_data_cartacea(scheda: SchedaIndividuale, il: date | None) -> None:
    """The paper acknowledgement's date: from ``presa_visione_cartacea_da`` to today."""
    da = presa_visione_cartacea_da(scheda)
    if il is None or il > timezone.localdate() or (da and il < da):
        raise TransizioneNonAmmessa(
            "La data della presa visione su carta va "
            + (f"dal {data_lunga(da)}, giorno del colloquio o della consegna," if da else "fino")
            + " a oggi."
        )


def scadenza_conciliazione(scheda: SchedaIndividuale) -> date | None:
    """The last day to ask for the conciliazione (None before the presa visione)."""
    if scheda.presa_visione_il is None:
        return None
    inizio = timezone.localtime(scheda.presa_visione_il).date()
    return inizio + timedelta(days=scheda.smvp.giorni_conciliazione)


def nel_termine(scheda: SchedaIndividuale, oggi: date | None = None) -> bool:
    scadenza = scadenza_conciliazione(scheda)
    return scadenza is not None and (oggi or timezone.localdate()) <= scadenza


def _perche_no(scheda: SchedaIndividuale, azione: Azione, oggi: date) -> str:
    """Why the move is not possible now for reasons of the scheda ("" if it is)."""
    vista = scheda.presa_visione_il is not None
    scadenza = scadenza_conciliazione(scheda)
    if azione.nome in ("presa_visione", "presa_visione_cartacea") and vista:
        return f"la presa visione è già registrata ({scheda.get_presa_visione_modo_display()})."
    if azione.nome in ("presa_visione_cartacea", "accetta_cartacea") and scheda.persona.utente_id:
        # Paper is for staff without a login: who has one takes note and accepts from
        # it, so that the act is his own (and the term counts from his own presa visione).
        return (
            f"{scheda.persona.nome} ha un accesso: prende visione e accetta la valutazione "
            "dal proprio accesso, non su carta."
        )
    if azione.nome in ("accetta", "chiedi_conciliazione") and not vista:
        return "prima serve la presa visione della scheda."
    if azione.nome == "accetta_cartacea" and scheda.presa_visione_modo != "cartacea":
        # With a login the person accepts by himself; on paper, after the paper presa visione.
        return "si registra dopo la presa visione su carta (chi ha un accesso accetta da sé)."
    if azione.nome == "chiedi_conciliazione" and not nel_termine(scheda, oggi):
        return f"il termine per chiedere la conciliazione è scaduto il {data_lunga(scadenza)}."
    if azione.nome == "rendi_definitiva":
        if not vista:
            return "il valutato non ha ancora preso visione della scheda."
        if nel_termine(scheda, oggi):
            return (
                f"il valutato può chiedere la conciliazione fino al {data_lunga(scadenza)}: "
                "fino ad allora la valutazione non si rende definitiva d'ufficio."
            )
    return ""


def azioni_possibili(utente, scheda: SchedaIndividuale, oggi: date | None = None) -> list[Azione]:
    """The moves ``utente`` may make now (the page's buttons)."""
    oggi = oggi or timezone.localdate()
    parti = chi_sono(utente, scheda)
    return [
        a
        for a in AZIONI.values()
        if scheda.stato in a.da
        and parti & a.parti
        and a.sulla_catena(scheda)
        and not _perche_no(scheda, a, oggi)
    ]


def verifica_azione(
    utente, scheda: SchedaIndividuale, nome: str, oggi: date | None = None
) -> Azione:
    """The move, if ``utente`` may make it now; else TransizioneNonAmmessa with why."""
    azione = AZIONI.get(nome)
    if azione is None or not azione.sulla_catena(scheda):
        raise TransizioneNonAmmessa(f"Azione non prevista per questa scheda: «{nome}».")
    if scheda.stato not in azione.da:
        raise TransizioneNonAmmessa(
            f"«{azione.etichetta}» non è possibile: la {_nome(scheda)} è "
            f"«{scheda.get_stato_display()}»."
        )
    if not chi_sono(utente, scheda) & azione.parti:
        raise TransizioneNonAmmessa(f"«{azione.etichetta}» spetta {_a_chi(azione, scheda)}.")
    if motivo := _perche_no(scheda, azione, oggi or timezone.localdate()):
        raise TransizioneNonAmmessa(f"«{azione.etichetta}» non è possibile: {motivo}")
    return azione


def _a_chi(azione: Azione, scheda: SchedaIndividuale) -> str:
    nucleo = scheda.categoria.valutatore == V.NUCLEO_SINDACO
    chi = {
        PERSONA: "al valutato, dal proprio accesso",
        VALUTATORE: "al Nucleo di valutazione" if nucleo else "al valutatore",
        DECIDE: "al sindaco" if nucleo else "al valutatore",
        SEGRETERIA_: "alla segreteria",
    }
    return " o ".join(dict.fromkeys(chi[p] for p in sorted(azione.parti)))


def verifica_voti_completi(scheda: SchedaIndividuale, voti, comportamenti) -> None:
    """Before the scheda leaves the evaluator: every comportamento voted, with a comment,
    within the categoria's scale."""
    per_comportamento = {v.comportamento_id: v for v in voti}
    mancanti = [
        c.nome
        for c in comportamenti
        if (v := per_comportamento.get(c.pk)) is None or v.voto is None or not v.commento.strip()
    ]
    if mancanti:
        raise TransizioneNonAmmessa(
            "Mancano il voto o il commento di: " + "; ".join(mancanti) + "."
        )


def verifica_validati(scheda: SchedaIndividuale, punteggi) -> None:
    """The validation gate (``smvp.richiede_validazione``): no DEFINITIVA on results the
    Nucleo has not validated, nor without a final score."""
    if punteggi is None:
        raise TransizioneNonAmmessa(
            "Il punteggio della scheda non è disponibile: la valutazione non può diventare "
            "definitiva."
        )
    if punteggi.finale is None:
        raise TransizioneNonAmmessa(
            "La valutazione non può diventare definitiva senza punteggio finale: manca "
            + "; ".join(punteggi.mancanti or ["un voto"])
            + "."
        )
    if scheda.smvp.richiede_validazione and not punteggi.validati:
        attesa = "; ".join(getattr(punteggi, "da_validare", []))
        raise TransizioneNonAmmessa(
            "La valutazione non può diventare definitiva: il sistema di valutazione chiede "
            "risultati organizzativi validati dal Nucleo e "
            + (f"attendono ancora la validazione: {attesa}." if attesa else "non lo sono tutti.")
        )
