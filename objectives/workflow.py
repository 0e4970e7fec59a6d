"""The life of a scheda obiettivo: states, who may move them, what may change when.

The only place where this rule lives: bozza → proposto → approvato → in monitoraggio →
rendicontato → validato, with the segreteria's returns and reopenings and the OIV's
requests for integration (rendicontato → in monitoraggio). Nothing here writes: the
service that changes a scheda (``objectives.modifiche``) asks ``verifica_modifica`` and
``verifica_transizione`` before every change, and the pages ask ``puo_modificare`` and
``transizioni_possibili`` to show only what may be done.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery

from indicators.caricamento import carica_figli
from indicators.engine.formatting import data_lunga
from indicators.engine.scoring import Sistema, completezza, punteggio_obiettivo
from indicators.engine.weights import errore_pesi, verifica_pesi
from peg.access import e_segreteria, ruoli_sulla_scheda
from peg.models import Ruolo

from .models import CambioStato, Obiettivo

S = Obiettivo.Stato
SEGRETERIA, RESPONSABILE, OIV = Ruolo.Tipo.SEGRETERIA, Ruolo.Tipo.RESPONSABILE, Ruolo.Tipo.OIV

# What may change in each state, and by whom: "pianificazione" is the scheda itself
# (fields, indicatori, fasi, risorse), "rendicontazione" the values achieved.
# The schede whose content an act approved (approvato and every later state): what the
# PIAO prints and Amministrazione trasparente publishes, never a bozza or a proposta.
APPROVATI = (S.APPROVATO, S.IN_MONITORAGGIO, S.RENDICONTATO, S.VALIDATO)

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

    @property
    def conferma(self) -> str:
        """What the move does, asked for confirmation on the page (``CONFERME``)."""
        return CONFERME.get(self.nome, "")


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


# What a move does that cannot simply be undone: the page asks for confirmation with it.
CONFERME = {
    "approva": (
        "La scheda diventa «Approvato» con questa delibera: da quel momento ogni modifica "
        "sarà una variazione, con motivazione, registrata dalla segreteria."
    ),
    "rendiconta": (
        "La scheda passa a «Rendicontato» e va all'OIV per la validazione: i valori non si "
        "potranno più modificare, salvo riapertura da parte della segreteria."
    ),
    "riapri_monitoraggio": (
        "La scheda torna «In monitoraggio»: il responsabile potrà cambiare i valori e dovrà "
        "inviarla di nuovo; una validazione dell'OIV non varrà più e andrà rifatta."
    ),
    "riapri_bozza": (
        "La scheda torna «Bozza» e perde l'approvazione: dovrà essere proposta e approvata "
        "di nuovo."
    ),
}


class TransizioneNonAmmessa(PermissionDenied):
    """A move or a change the rules do not allow; the message says why, in Italian.

    A PermissionDenied: a view that lets it through answers 403 with the reason."""


def ambito_scheda(obiettivo: Obiettivo) -> str:
    """Changing the scheda is planning before approval, a variazione after it."""
    return "pianificazione" if "pianificazione" in MODIFICHE[obiettivo.stato] else "variazione"


def puo_modificare(utente, obiettivo: Obiettivo, ambito: str) -> bool:
    ruoli = ruoli_sulla_scheda(utente, obiettivo)
    return bool(ruoli & MODIFICHE[obiettivo.stato].get(ambito, set()))


def verifica_modifica(utente, obiettivo: Obiettivo, ambito: str) -> None:
    if obiettivo.pk is None:
        verifica_creazione(obiettivo.piano)
    if puo_modificare(utente, obiettivo, ambito):
        return
    cosa = {
        "pianificazione": "la scheda",
        "variazione": "la scheda (variazione)",
        "rendicontazione": "la rendicontazione",
    }[ambito]
    scheda = f"{obiettivo.codice} ({obiettivo.anno})"
    in_qualche_stato = set().union(*(m.get(ambito, set()) for m in MODIFICHE.values()))
    if not ruoli_sulla_scheda(utente, obiettivo) & in_qualche_stato:
        # Not a matter of state: say so, rather than naming the state.
        raise TransizioneNonAmmessa(f"Il tuo ruolo non permette di modificare {cosa} di {scheda}.")
    raise TransizioneNonAmmessa(
        f"Non puoi modificare {cosa} di {scheda} nello stato «{obiettivo.get_stato_display()}»."
    )


def integrazione_richiesta(obiettivo: Obiettivo) -> CambioStato | None:
    """The OIV's pending request for integration: the last move sent the scheda back."""
    if obiettivo.stato != S.IN_MONITORAGGIO:
        return None
    ultimo = obiettivo.cambi_stato.select_related("utente").order_by("-quando", "-id").first()
    return ultimo if ultimo and ultimo.azione == "richiedi_integrazione" else None


RESTITUZIONI = ("restituisci", "riapri_bozza")


def ultima_azione() -> Subquery:
    """The azione of a scheda's last move: schede annotated with it
    (``.annotate(ultima_azione=ultima_azione())``) tell ``richieste_al_responsabile``
    which of them may wait for their responsabile."""
    return Subquery(
        CambioStato.objects.filter(obiettivo_id=OuterRef("pk"))
        .order_by("-quando", "-id")
        .values("azione")[:1]
    )


def richieste_al_responsabile(obiettivi) -> dict[int, CambioStato]:
    """Per scheda, the move that waits for its responsabile, when its last move is one: the
    OIV's request for integration (still in monitoraggio) or the proposal sent back, or
    the scheda brought back to bozza (still in bozza), with the motivazione. One query,
    none if the schede carry ``ultima_azione`` and none of them waits."""
    attesa = {"richiedi_integrazione": S.IN_MONITORAGGIO, **dict.fromkeys(RESTITUZIONI, S.BOZZA)}
    stati = {
        o.pk: o.stato
        for o in obiettivi
        if not hasattr(o, "ultima_azione") or attesa.get(o.ultima_azione) == o.stato
    }
    if not stati:
        return {}
    ultimo = (
        CambioStato.objects.filter(obiettivo_id=OuterRef("obiettivo_id"))
        .order_by("-quando", "-id")
        .values("pk")[:1]
    )
    cambi = (
        CambioStato.objects.filter(
            obiettivo_id__in=stati, azione__in=("richiedi_integrazione", *RESTITUZIONI)
        )
        .filter(pk=Subquery(ultimo))
        .select_related("utente")
    )
    return {c.obiettivo_id: c for c in cambi if stati[c.obiettivo_id] == attesa[c.azione]}


def transizioni_possibili(utente, obiettivo: Obiettivo) -> list[Transizione]:
    ruoli = ruoli_sulla_scheda(utente, obiettivo)
    return [t for t in TRANSIZIONI.values() if obiettivo.stato in t.da and ruoli & t.ruoli]


def verifica_transizione(
    utente,
    obiettivo: Obiettivo,
    nome: str,
    *,
    motivazione: str = "",
    delibera_numero: str = "",
    delibera_data: date | None = None,
) -> Transizione:
    """The transition, if this user may make it now with these data; else
    TransizioneNonAmmessa with the reason."""
    transizione = TRANSIZIONI.get(nome)
    if transizione is None:
        raise TransizioneNonAmmessa(f"Azione sconosciuta: «{nome}».")
    if obiettivo.stato not in transizione.da:
        raise TransizioneNonAmmessa(
            f"«{transizione.etichetta}» non è possibile: {obiettivo.codice} ({obiettivo.anno}) è «{obiettivo.get_stato_display()}»."
        )
    if not ruoli_sulla_scheda(utente, obiettivo) & transizione.ruoli:
        raise TransizioneNonAmmessa(
            f"Il tuo ruolo non permette «{transizione.etichetta}» su questo obiettivo."
        )
    if transizione.motivazione and not motivazione.strip():
        raise TransizioneNonAmmessa(f"«{transizione.etichetta}» richiede una motivazione.")
    if transizione.delibera:
        verifica_delibera(delibera_numero, delibera_data)
    if transizione.nome in ("proponi", "approva"):
        _verifica_pesi(obiettivo, transizione)
    if transizione.nome == "rendiconta":
        _verifica_completa(obiettivo)
    return transizione


def _verifica_pesi(obiettivo: Obiettivo, transizione: Transizione) -> None:
    """Weights given must total 100,00% for the scheda to be proposed or approved, unless
    the piano rescales them; none at all is the piano's rule (equal weights). Indicatori
    and fasi both: the scheda prints «100,00% OK» under each table."""
    if obiettivo.piano.riproporziona_pesi:
        return
    errori = [
        errore_pesi(verifica_pesi(gruppo.values_list("peso", flat=True)), nome)
        for nome, gruppo in (("indicatori", obiettivo.indicatori), ("fasi", obiettivo.fasi))
    ]
    if errori := [e for e in errori if e]:
        raise TransizioneNonAmmessa(
            f"«{transizione.etichetta}» non è possibile per {obiettivo.codice} "
            f"({obiettivo.anno}). " + " ".join(errori) + " Correggi i pesi nella scheda."
        )


def _verifica_completa(obiettivo: Obiettivo) -> None:
    """Every final value (or date) must be there before the rendicontazione is sent: of
    every indicatore, and of the fasi the score needs. An indicatore without a target is
    not waited for (only a variazione can add it): it goes as «non misurabile»."""
    (scheda,) = carica_figli(Obiettivo.objects.filter(pk=obiettivo.pk))
    esito, dettagli = punteggio_obiettivo(scheda, Sistema.del_piano(obiettivo.piano), spiega=False)
    if mancanti := completezza(esito, dettagli).mancanti:
        raise TransizioneNonAmmessa("Prima di inviare mancano: " + "; ".join(mancanti) + ".")


def verifica_delibera(delibera_numero: str, delibera_data: date | None) -> None:
    """An approval (of a scheda or of the whole piano) names the giunta's delibera."""
    if not (delibera_numero.strip() and delibera_data):
        raise TransizioneNonAmmessa("L'approvazione richiede numero e data della delibera.")


def verifica_approvazione_piano(utente, piano) -> None:
    """The giunta's delibera on the whole piano is recorded by the segreteria, once:
    schede proposed later are approved one by one, each with its delibera."""
    if not e_segreteria(utente, piano.comune):
        raise TransizioneNonAmmessa("Solo la segreteria approva il piano.")
    if piano.stato != piano.Stato.BOZZA:
        delibera = f" con la delibera n. {piano.delibera_numero}" if piano.delibera_numero else ""
        if delibera and piano.delibera_data:
            delibera += f" del {data_lunga(piano.delibera_data)}"
        raise TransizioneNonAmmessa(
            f"Il piano è già approvato{delibera}: approva le schede proposte dopo "
            "dalla pagina di ciascuna, con la sua delibera."
        )


# A piano whose results are reported or validated takes no new schede.
PIANI_CHIUSI = ("rendicontato", "validato")


def puo_creare_schede(piano) -> bool:
    return piano.stato not in PIANI_CHIUSI


def verifica_creazione(piano) -> None:
    """New schede only in a piano still open (bozza, approvato, in monitoraggio)."""
    if not puo_creare_schede(piano):
        raise TransizioneNonAmmessa(
            f"Il piano «{piano.titolo}» è «{piano.get_stato_display()}»: "
            "non si possono creare nuove schede."
        )


def sistema_bloccato(piano) -> str:
    """Why the piano's measurement system can no longer change ("" while it can). Scores
    are computed live from it: once a scheda is rendicontata or validata, a change would
    move a score the responsabile sent or the OIV validated, unseen."""
    chiuse = piano.obiettivi.filter(stato__in=(S.RENDICONTATO, S.VALIDATO)).count()
    if not chiuse:
        return ""
    quante = (
        "1 scheda è rendicontata o validata"
        if chiuse == 1
        else (f"{chiuse} schede sono rendicontate o validate")
    )
    return (
        f"Il sistema di misurazione non si può più cambiare: {quante} e il punteggio "
        "cambierebbe senza che nessuno lo veda. Per cambiarlo la segreteria riapre prima "
        "le schede."
    )
