"""The life of a scheda obiettivo: states, who may move them, what may change when.

Defined here once and enforced on the server by every view through ``verifica``
and ``esegui``: bozza → proposto → approvato → in monitoraggio → rendicontato →
validato, with the segreteria's returns and reopenings and the OIV's requests for
integration (rendicontato → in monitoraggio).
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from indicators.scoring import Sistema, con_figli, punteggio_obiettivo
from peg.models import Ruolo

from .models import CambioStato, Obiettivo

S = Obiettivo.Stato
SEGRETERIA, RESPONSABILE, OIV = Ruolo.Tipo.SEGRETERIA, Ruolo.Tipo.RESPONSABILE, Ruolo.Tipo.OIV

# What may change in each state, and by whom: "pianificazione" is the scheda itself
# (fields, indicatori, fasi, risorse), "rendicontazione" the values achieved.
MODIFICHE = {
    S.BOZZA: {"pianificazione": {RESPONSABILE, SEGRETERIA}},
    S.PROPOSTO: {"pianificazione": {SEGRETERIA}},
    # After approval a change of the scheda is a variazione, with a motivazione.
    S.APPROVATO: {"variazione": {SEGRETERIA}},
    S.IN_MONITORAGGIO: {"variazione": {SEGRETERIA}, "rendicontazione": {RESPONSABILE, SEGRETERIA}},
    S.RENDICONTATO: {},
    S.VALIDATO: {},
}


@dataclass(frozen=True)
class Transizione:
    nome: str
    etichetta: str
    da: frozenset
    a: str
    ruoli: frozenset
    motivazione: bool = False  # a written reason is required
    delibera: bool = False  # delibera number and date are required
    # Done from the OIV's review page, which records the validation with it.
    revisione: bool = False


TRANSIZIONI = {
    t.nome: t
    for t in (
        Transizione(
            "proponi",
            "Proponi",
            frozenset({S.BOZZA}),
            S.PROPOSTO,
            frozenset({RESPONSABILE, SEGRETERIA}),
        ),
        Transizione(
            "restituisci",
            "Restituisci al responsabile",
            frozenset({S.PROPOSTO}),
            S.BOZZA,
            frozenset({SEGRETERIA}),
            motivazione=True,
        ),
        Transizione(
            "approva",
            "Approva",
            frozenset({S.PROPOSTO}),
            S.APPROVATO,
            frozenset({SEGRETERIA}),
            delibera=True,
        ),
        Transizione(
            "avvia_monitoraggio",
            "Avvia il monitoraggio",
            frozenset({S.APPROVATO}),
            S.IN_MONITORAGGIO,
            frozenset({SEGRETERIA}),
        ),
        Transizione(
            "rendiconta",
            "Invia la rendicontazione",
            frozenset({S.IN_MONITORAGGIO}),
            S.RENDICONTATO,
            frozenset({RESPONSABILE}),
        ),
        Transizione(
            "valida",
            "Valida",
            frozenset({S.RENDICONTATO}),
            S.VALIDATO,
            frozenset({OIV}),
            revisione=True,
        ),
        Transizione(
            "richiedi_integrazione",
            "Chiedi un'integrazione al responsabile",
            frozenset({S.RENDICONTATO}),
            S.IN_MONITORAGGIO,
            frozenset({OIV}),
            motivazione=True,
            revisione=True,
        ),
        Transizione(
            "riapri_monitoraggio",
            "Riapri la rendicontazione",
            frozenset({S.RENDICONTATO, S.VALIDATO}),
            S.IN_MONITORAGGIO,
            frozenset({SEGRETERIA}),
            motivazione=True,
        ),
        Transizione(
            "riapri_bozza",
            "Riporta in bozza",
            frozenset({S.APPROVATO, S.IN_MONITORAGGIO}),
            S.BOZZA,
            frozenset({SEGRETERIA}),
            motivazione=True,
        ),
    )
}


class TransizioneNonAmmessa(Exception):
    """A move or a change the rules do not allow; the message says why, in Italian."""


def ruoli_utente(utente, obiettivo: Obiettivo) -> set[str]:
    """The user's roles that apply to this obiettivo (responsabile only of its own settori)."""
    if utente.is_superuser:
        return {SEGRETERIA}
    # One page asks several times (buttons, edit links): the roles are read once per object.
    cache = obiettivo.__dict__.setdefault("_ruoli_utente", {})
    if utente.pk not in cache:
        cache[utente.pk] = _ruoli(utente, obiettivo)
    return cache[utente.pk]


def _ruoli(utente, obiettivo: Obiettivo) -> set[str]:
    ruoli = set()
    for ruolo in Ruolo.objects.filter(
        utente=utente, comune_id=obiettivo.piano.comune_id
    ).prefetch_related("settori"):
        if ruolo.tipo != RESPONSABILE or any(
            s.pk == obiettivo.settore_id for s in ruolo.settori.all()
        ):
            ruoli.add(ruolo.tipo)
    return ruoli


def vede_valutazione(utente, obiettivo: Obiettivo) -> bool:
    """The OIV's review and its thread: OIV, segreteria and the settore's responsabili."""
    return bool(ruoli_utente(utente, obiettivo) & {OIV, SEGRETERIA, RESPONSABILE})


def ambito_scheda(obiettivo: Obiettivo) -> str:
    """Changing the scheda is planning before approval, a variazione after it."""
    return "pianificazione" if "pianificazione" in MODIFICHE[obiettivo.stato] else "variazione"


def puo_modificare(utente, obiettivo: Obiettivo, ambito: str) -> bool:
    return bool(ruoli_utente(utente, obiettivo) & MODIFICHE[obiettivo.stato].get(ambito, set()))


def verifica_modifica(utente, obiettivo: Obiettivo, ambito: str) -> None:
    if not puo_modificare(utente, obiettivo, ambito):
        cosa = {
            "pianificazione": "la scheda",
            "variazione": "la scheda (variazione)",
            "rendicontazione": "la rendicontazione",
        }[ambito]
        raise TransizioneNonAmmessa(
            f"Non puoi modificare {cosa} di {obiettivo.codice} ({obiettivo.anno}) nello stato «{obiettivo.get_stato_display()}»."
        )


def integrazione_richiesta(obiettivo: Obiettivo) -> CambioStato | None:
    """The OIV's pending request for integration: the last move sent the scheda back."""
    if obiettivo.stato != S.IN_MONITORAGGIO:
        return None
    ultimo = obiettivo.cambi_stato.order_by("-quando", "-id").first()
    return ultimo if ultimo and ultimo.azione == "richiedi_integrazione" else None


def transizioni_possibili(utente, obiettivo: Obiettivo) -> list[Transizione]:
    ruoli = ruoli_utente(utente, obiettivo)
    return [t for t in TRANSIZIONI.values() if obiettivo.stato in t.da and ruoli & t.ruoli]


@transaction.atomic
def esegui(
    obiettivo: Obiettivo,
    utente,
    nome: str,
    *,
    motivazione: str = "",
    delibera_numero: str = "",
    delibera_data: date | None = None,
) -> CambioStato:
    """Move the obiettivo; raises TransizioneNonAmmessa with the reason."""
    transizione = TRANSIZIONI.get(nome)
    if transizione is None:
        raise TransizioneNonAmmessa(f"Azione sconosciuta: «{nome}».")
    obiettivo = Obiettivo.objects.select_for_update().select_related("piano").get(pk=obiettivo.pk)
    if obiettivo.stato not in transizione.da:
        raise TransizioneNonAmmessa(
            f"«{transizione.etichetta}» non è possibile: {obiettivo.codice} ({obiettivo.anno}) è «{obiettivo.get_stato_display()}»."
        )
    if not ruoli_utente(utente, obiettivo) & transizione.ruoli:
        raise TransizioneNonAmmessa(
            f"Il tuo ruolo non permette «{transizione.etichetta}» su questo obiettivo."
        )
    if transizione.motivazione and not motivazione.strip():
        raise TransizioneNonAmmessa(f"«{transizione.etichetta}» richiede una motivazione.")
    if transizione.delibera and not (delibera_numero.strip() and delibera_data):
        raise TransizioneNonAmmessa("L'approvazione richiede numero e data della delibera.")
    if transizione.nome == "rendiconta":
        _verifica_completa(obiettivo)
    da = obiettivo.stato
    obiettivo.stato = transizione.a
    if transizione.delibera:
        obiettivo.delibera_numero, obiettivo.delibera_data = delibera_numero.strip(), delibera_data
    obiettivo.versione += 1
    obiettivo._change_reason = f"{transizione.etichetta}: {motivazione}".strip(": ")
    obiettivo.save()
    return CambioStato.objects.create(
        obiettivo=obiettivo,
        da=da,
        a=transizione.a,
        azione=transizione.nome,
        utente=utente,
        quando=timezone.now(),
        motivazione=motivazione.strip(),
    )


def _verifica_completa(obiettivo: Obiettivo) -> None:
    """The final values must all be there before the rendicontazione is sent."""
    scheda = con_figli(Obiettivo.objects).get(pk=obiettivo.pk)
    esito, _ = punteggio_obiettivo(scheda, Sistema.del_piano(obiettivo.piano), spiega=False)
    if esito.mancanti:
        raise TransizioneNonAmmessa("Prima di inviare mancano: " + "; ".join(esito.mancanti) + ".")


def e_segreteria(utente, comune) -> bool:
    return (
        utente.is_superuser
        or Ruolo.objects.filter(utente=utente, comune=comune, tipo=SEGRETERIA).exists()
    )


@transaction.atomic
def approva_piano(piano, utente, delibera_numero: str, delibera_data: date | None) -> int:
    """The giunta approves the piano with one delibera: every proposed scheda is approved
    with it (drafts stay drafts). Returns how many schede were approved."""
    if not e_segreteria(utente, piano.comune):
        raise TransizioneNonAmmessa("Solo la segreteria approva il piano.")
    if not (delibera_numero.strip() and delibera_data):
        raise TransizioneNonAmmessa("L'approvazione richiede numero e data della delibera.")
    proposte = list(piano.obiettivi.filter(stato=S.PROPOSTO).order_by("pk"))
    if not proposte and piano.stato != piano.Stato.BOZZA:
        raise TransizioneNonAmmessa("Nel piano non ci sono schede proposte da approvare.")
    for obiettivo in proposte:
        esegui(
            obiettivo,
            utente,
            "approva",
            delibera_numero=delibera_numero,
            delibera_data=delibera_data,
        )
    if piano.stato == piano.Stato.BOZZA:
        piano.stato = piano.Stato.APPROVATO
        piano.delibera_numero, piano.delibera_data = delibera_numero.strip(), delibera_data
        piano.save(update_fields=["stato", "delibera_numero", "delibera_data"])
    return len(proposte)
