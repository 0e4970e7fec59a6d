"""The e-mails of the schede individuali, queued (``peg.posta``): to the person when his
scheda is delivered, to the evaluator (for the Nucleo's chain: the segreteria, who
forwards it to the sindaco) when a conciliazione is asked."""

from django.core.mail import EmailMessage

from peg import posta
from peg.access import utenti_segreteria

from .models import SchedaIndividuale


def consegna(s: SchedaIndividuale) -> None:
    indirizzo = posta.link("scheda_individuale", s.smvp.comune.slug, s.pk)
    posta.invia(
        [
            EmailMessage(
                f"La tua valutazione {s.smvp.anno} è stata consegnata",
                f"Buongiorno {s.persona.nome},\n\nla tua scheda di valutazione individuale "
                f"{s.smvp.anno} ({s.smvp.comune}) è stata consegnata. Puoi leggerla e prenderne "
                f"visione qui:\n{indirizzo}\n\nDalla presa visione hai "
                f"{s.smvp.giorni_conciliazione} giorni per chiedere la conciliazione.",
                to=[s.persona.utente.email],
            )
        ]
    )


def conciliazione(s: SchedaIndividuale) -> None:
    destinatari = [s.valutatore] if s.valutatore_id else utenti_segreteria(s.smvp.comune)
    indirizzi = [u.email for u in destinatari if u.email]
    if not indirizzi:
        return
    indirizzo = posta.link("scheda_individuale", s.smvp.comune.slug, s.pk)
    posta.invia(
        [
            EmailMessage(
                f"Richiesta di conciliazione: {s.persona.nome} ({s.smvp.anno})",
                f"{s.persona.nome} ha chiesto la conciliazione sulla scheda di valutazione "
                f"{s.smvp.anno}. I motivi e il modulo per rispondere sono qui:\n{indirizzo}",
                to=indirizzi,
            )
        ]
    )
