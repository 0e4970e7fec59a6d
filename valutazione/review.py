"""The OIV's decisions on a rendicontazione: validate (as computed or with different
scores, each with its motivazione), ask the responsabile for an integration, discuss.

Every move goes through ``objectives.modifiche`` (the rule is ``objectives.workflow``):
the OIV validates only what is rendicontato, the responsabile never validates, and
validation locks the scheda; what the OIV records commits with the move.

The seduta (``valutazione.nucleo``): a validation or an integration request is decided
in a seduta of the Nucleo when the comune has one open — then it is required and must
be open and of the scheda's comune (locked until the decision commits, so a verbale
closed meanwhile refuses it); with no open seduta (a monocratic OIV, a Nucleo that does
not keep verbali here) the decision stands alone. ``valida_in_blocco`` validates several
schede as computed, in one transaction, through ``valida``.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core import mail
from django.db import transaction
from django.utils import timezone

from indicators.caricamento import carica_figli
from indicators.engine.formatting import CENTO, ZERO, arrotonda, percentuale
from indicators.engine.scoring import Sistema, punteggio_obiettivo
from objectives.models import Obiettivo
from objectives.modifiche import ModificaConcorrente, transizione
from objectives.workflow import TransizioneNonAmmessa
from peg import posta
from peg.access import responsabili_per_settore

from .access import puo_commentare
from .models import Commento, PunteggioValidato, Seduta, Validazione
from .nucleo import chiusa_testo, sedute_aperte

S = Obiettivo.Stato


@dataclass(frozen=True)
class Rettifica:
    """A score the OIV sets instead of the computed one; ``indicatore_id`` None: obiettivo."""

    indicatore_id: int | None
    punteggio: Decimal
    motivazione: str


def _scheda(obiettivo: Obiettivo) -> Obiettivo:
    """The scheda with what scoring reads, and the validated figures in force."""
    (scheda,) = carica_figli(
        Obiettivo.objects.select_related("piano__comune", "settore").filter(pk=obiettivo.pk)
    )
    return scheda


def _effettiva(r: Rettifica, esito, oggetto: str):
    """(rettifica, rounded score, computed esito), or None when it changes nothing."""
    if not ZERO <= r.punteggio <= CENTO:
        raise TransizioneNonAmmessa(
            f"Punteggio validato per {oggetto}: deve essere compreso tra 0 e 100."
        )
    punteggio = arrotonda(r.punteggio)
    if esito.calcolato and esito.punteggio == punteggio:
        return None
    if not r.motivazione.strip():
        raise TransizioneNonAmmessa(
            f"Punteggio validato per {oggetto}: un valore diverso da quello calcolato "
            f"({esito.testo}) richiede la motivazione."
        )
    return r, punteggio, esito


@transaction.atomic
def valida(
    obiettivo: Obiettivo,
    utente,
    rettifiche: list[Rettifica],
    note: str = "",
    versione: int | None = None,
    seduta: Seduta | None = None,
) -> Validazione:
    """Validate the rendicontazione; the computed scores are recorded next to the OIV's.

    A rettifica equal to the computed score changes nothing and is not recorded.
    ``versione``: the one of the figures the OIV saw; if the scheda changed since, the
    validation is refused with what changed (the figures computed here are then moot).
    ``seduta``: the Nucleo's, see the module's docstring."""
    scheda = _scheda(obiettivo)
    seduta = verifica_seduta(scheda.piano.comune, seduta)
    sistema = Sistema.del_piano(scheda.piano)
    calcolo, dettagli = punteggio_obiettivo(scheda, sistema, spiega=False)
    indicatori = {i.pk: i for i in scheda.figli["indicatori"]}
    per_indicatore = [r for r in rettifiche if r.indicatore_id is not None]
    per_obiettivo = [r for r in rettifiche if r.indicatore_id is None][:1]
    effettive = []
    for r in per_indicatore:
        if r.indicatore_id not in indicatori:
            raise TransizioneNonAmmessa("L'indicatore indicato non appartiene a questo obiettivo.")
        oggetto = f"indicatore {indicatori[r.indicatore_id].numero}"
        effettiva = _effettiva(r, dettagli["indicatori"][r.indicatore_id], oggetto)
        if effettiva:
            effettive.append(effettiva)
    if per_obiettivo:
        # The obiettivo's figure is compared with the one the indicatori's new scores give.
        base = calcolo
        if effettive:
            prova = {
                r.indicatore_id: Rettifica(r.indicatore_id, p, r.motivazione)
                for r, p, _ in effettive
            }
            base, _ = punteggio_obiettivo(scheda, sistema, spiega=False, rettifiche=prova)
        effettiva = _effettiva(per_obiettivo[0], base, "l'obiettivo")
        if effettiva:
            r, punteggio, _ = effettiva
            effettive.append((r, punteggio, calcolo))

    with transizione(scheda, utente, "valida", motivazione=note, versione=versione):
        return _registra_validazione(
            scheda, utente, sistema, calcolo, effettive, indicatori, note, seduta
        )


def verifica_seduta(comune, seduta: Seduta | None) -> Seduta | None:
    """The seduta a decision is recorded in, locked (see the module's docstring);
    TransizioneNonAmmessa with why when it cannot be."""
    if seduta is None:
        if sedute_aperte(comune).exists():
            raise TransizioneNonAmmessa(
                "Indica la seduta del nucleo in cui è presa la decisione: il nucleo ha "
                "sedute aperte."
            )
        return None
    bloccata = Seduta.objects.select_for_update().filter(pk=seduta.pk).first()
    if bloccata is None or bloccata.comune_id != comune.pk:
        raise TransizioneNonAmmessa(
            "La seduta indicata non è una seduta del nucleo per questo comune."
        )
    if bloccata.chiusa:
        raise TransizioneNonAmmessa(chiusa_testo(bloccata) + " Scegli una seduta aperta.")
    return bloccata


def _registra_validazione(scheda, utente, sistema, calcolo, effettive, indicatori, note, seduta):
    """The validation and its rettifiche, with the move to validato (same transaction)."""
    ora = timezone.now()
    Validazione.objects.filter(obiettivo=scheda, attiva=True).update(attiva=False)
    PunteggioValidato.objects.filter(obiettivo=scheda, attivo=True).update(attivo=False)
    validazione = Validazione.objects.create(
        obiettivo=scheda,
        utente=utente,
        quando=ora,
        punteggio_calcolato=calcolo.punteggio,
        note=note.strip(),
        seduta=seduta,
    )
    PunteggioValidato.objects.bulk_create(
        PunteggioValidato(
            validazione=validazione,
            obiettivo=scheda,
            indicatore_id=r.indicatore_id,
            punteggio_calcolato=esito.punteggio,
            punteggio=punteggio,
            motivazione=r.motivazione.strip(),
        )
        for r, punteggio, esito in effettive
    )
    finale, _ = punteggio_obiettivo(_scheda(scheda), sistema, spiega=False)
    validazione.punteggio = finale.punteggio
    validazione.save(update_fields=["punteggio"])
    testo = f"Rendicontazione validata: {finale.testo}"
    if finale.rettificato:
        testo += f" (calcolato {calcolo.testo})"
    for r, punteggio, esito in effettive:
        oggetto = (
            f"indicatore {indicatori[r.indicatore_id].numero}" if r.indicatore_id else "obiettivo"
        )
        testo += f"\n- {oggetto}: {percentuale(punteggio)} invece di {esito.testo}. {r.motivazione.strip()}"
    if note.strip():
        testo += f"\n{note.strip()}"
    Commento.objects.create(
        obiettivo=scheda,
        autore=utente,
        tipo=Commento.Tipo.VALIDAZIONE,
        testo=testo,
        quando=ora,
        seduta=seduta,
    )
    return validazione


@transaction.atomic
def richiedi_integrazione(
    obiettivo: Obiettivo,
    utente,
    messaggio: str,
    versione: int | None = None,
    seduta: Seduta | None = None,
) -> Commento:
    """Send the scheda back to the responsabile with what is missing; e-mail him."""
    if not messaggio.strip():
        raise TransizioneNonAmmessa("Scrivi al responsabile che cosa deve integrare.")
    seduta = verifica_seduta(obiettivo.piano.comune, seduta)
    with transizione(
        obiettivo, utente, "richiedi_integrazione", motivazione=messaggio, versione=versione
    ) as m:
        commento = Commento.objects.create(
            obiettivo=obiettivo,
            autore=utente,
            tipo=Commento.Tipo.INTEGRAZIONE,
            testo=messaggio.strip(),
            quando=m.cambio.quando,
            seduta=seduta,
        )
    transaction.on_commit(lambda: _avvisa_responsabili(obiettivo, messaggio.strip()))
    return commento


def _avvisa_responsabili(obiettivo: Obiettivo, messaggio: str) -> None:
    destinatari = [
        u.email
        for u in responsabili_per_settore(obiettivo.piano.comune_id).get(obiettivo.settore_id, [])
        if u.email
    ]
    if not destinatari:
        return
    link = posta.link("rendicontazione", obiettivo.piano.comune.slug, obiettivo.pk)
    oggetto = (
        f"[PEG {obiettivo.piano.comune.nome}] {obiettivo.codice} ({obiettivo.anno}): "
        "l'OIV chiede un'integrazione"
    )
    corpo = "\n".join(
        [
            f"Il nucleo di valutazione chiede un'integrazione della rendicontazione di "
            f"{obiettivo.codice} ({obiettivo.anno}) - {obiettivo.denominazione[:120]}:",
            "",
            messaggio,
            "",
            f"Completa la rendicontazione e inviala di nuovo: {link}",
            "",
            "Messaggio inviato da PEG - Piano degli obiettivi.",
        ]
    )
    posta.invia([mail.EmailMessage(oggetto, corpo, to=destinatari)])


def commenta(obiettivo: Obiettivo, utente, testo: str) -> Commento:
    if not puo_commentare(utente, obiettivo):
        raise TransizioneNonAmmessa(
            "Non puoi commentare questo obiettivo"
            + (": è già validato." if obiettivo.stato == S.VALIDATO else ".")
        )
    if not testo.strip():
        raise TransizioneNonAmmessa("Il commento è vuoto.")
    return Commento.objects.create(
        obiettivo=obiettivo, autore=utente, testo=testo.strip(), quando=timezone.now()
    )


class BloccoRifiutato(TransizioneNonAmmessa):
    """A bulk validation refused as a whole: which scheda and why (nothing was validated)."""

    def __init__(self, obiettivo: Obiettivo | None, motivo: str):
        self.obiettivo = obiettivo
        self.motivo = motivo
        chi = f"{obiettivo.codice} ({obiettivo.anno}): " if obiettivo is not None else ""
        super().__init__(f"Nessuna scheda è stata validata. {chi}{motivo}")


def valida_in_blocco(comune, utente, versioni: dict[int, int], seduta: Seduta) -> list[Validazione]:
    """Validate the schede ``{id: versione seen}`` of ``comune`` as computed, in one
    transaction, referencing ``seduta`` (required: a bulk act is a collegial decision).
    If one scheda fails (changed since the page showed it, not rendicontata, another
    comune's, deleted) nothing is validated: ``BloccoRifiutato`` says which and why.
    Each scheda goes through ``valida`` (the same rule, the same records)."""
    if not versioni:
        raise BloccoRifiutato(None, "Seleziona almeno una scheda da validare.")
    if seduta is None:
        raise BloccoRifiutato(None, "Indica la seduta del nucleo in cui si validano le schede.")
    schede = {
        o.pk: o
        for o in Obiettivo.objects.select_related("piano__comune").filter(
            pk__in=list(versioni), piano__comune=comune
        )
    }
    validazioni = []
    with transaction.atomic():
        for pk in sorted(versioni):  # in id order, as the service locks rows
            obiettivo = schede.get(pk)
            if obiettivo is None:
                raise BloccoRifiutato(
                    None, f"La scheda con id {pk} non è di questo comune o è stata eliminata."
                )
            try:
                validazioni.append(
                    valida(obiettivo, utente, [], versione=versioni[pk], seduta=seduta)
                )
            except ModificaConcorrente:
                raise BloccoRifiutato(
                    obiettivo, "è stata modificata dopo che hai aperto la coda: ricaricala."
                ) from None
            except TransizioneNonAmmessa as exc:
                raise BloccoRifiutato(obiettivo, str(exc)) from None
    return validazioni
