"""When an SMVP can no longer change, and why (in Italian, for the pages).

- Weights, comportamenti, scale and fasce: once a scheda of the year is DEFINITIVA or a
  fondo has been distributed (``motivo_blocco``): a year's evaluations keep the SMVP
  they were made with; the segreteria copies it to the next year instead.
- The validation gate (``richiede_validazione``) and the conciliazione's term
  (``giorni_conciliazione``): once any scheda has left BOZZA
  (``motivo_blocco_impostazioni``): turning the gate off then would let schede become
  DEFINITIVA on unvalidated results; a term cut short would expire for someone who
  already took note counting on the old one.

The forms ask these to put the refusal beside the field; the saves of
``individuale.smvp`` ask again inside their transaction, with the SMVP row locked
(``bloccato_per_salvare``), so a scheda moved meanwhile is not missed.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from .models import SchedaIndividuale, Smvp

S = SchedaIndividuale.Stato
BLOCCATI_IMPOSTAZIONI = ("richiede_validazione", "giorni_conciliazione")


class SmvpBloccato(ValidationError):
    """The SMVP is in use: its weights and fasce are those its evaluations were made with."""


def bloccato_per_salvare(smvp: Smvp) -> Smvp:
    """The SMVP's row locked until the end of the transaction (``select_for_update``):
    a scheda cannot be moved by a service that locks it too, while we check and save."""
    return Smvp.objects.select_for_update().get(pk=smvp.pk)


def motivo_blocco(smvp: Smvp) -> str:
    """Why the weights and fasce cannot change, or "" (two small queries)."""
    definitive = smvp.schede.filter(stato=S.DEFINITIVA).count()
    distribuzioni = smvp.distribuzioni.exists()
    if not (definitive or distribuzioni):
        return ""
    perche = []
    if definitive:
        perche.append(
            f"{definitive} {'scheda è definitiva' if definitive == 1 else 'schede sono definitive'}"
        )
    if distribuzioni:
        perche.append("un fondo è già stato distribuito")
    return (
        f"Il sistema {smvp.anno} è in uso ({' e '.join(perche)}): le valutazioni dell'anno "
        f"restano con il sistema con cui sono state fatte, quindi pesi, comportamenti, scala "
        f"e fasce non si cambiano. Per cambiarli copia il sistema nel {smvp.anno + 1}."
    )


def verifica_modificabile(smvp: Smvp) -> None:
    if motivo := motivo_blocco(smvp):
        raise SmvpBloccato(motivo)


def motivo_blocco_impostazioni(smvp: Smvp) -> str:
    """Why the validation gate and the conciliazione's term cannot change, or ""."""
    uscite = smvp.schede.exclude(stato=S.BOZZA).count() if smvp.pk else 0
    if not uscite:
        return ""
    quante = "1 scheda è già uscita" if uscite == 1 else f"{uscite} schede sono già uscite"
    return (
        f"La validazione richiesta e i giorni per la conciliazione non si cambiano più: "
        f"{quante} dalla compilazione (proposta, consegnata o oltre) con queste regole. "
        "Spegnere la validazione lascerebbe diventare definitive valutazioni su risultati "
        "non validati; accorciare il termine lo farebbe scadere per chi ha già preso "
        f"visione contando su quello di prima. Per cambiarli copia il sistema nel "
        f"{smvp.anno + 1}."
    )


def verifica_impostazioni_modificabili(smvp: Smvp) -> None:
    if motivo := motivo_blocco_impostazioni(smvp):
        raise SmvpBloccato(motivo)
