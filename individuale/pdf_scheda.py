"""The scheda di valutazione individuale in PDF (WeasyPrint, through ``reporting.pdf``):
the comune's header with its stemma, the person, the components with weights and
scores, each comportamento with vote and comment, the obiettivi individuali, the
giudizio, the colloquio, the conciliazione with both texts, the final score, and the
lines where valutatore and valutato sign (by hand or digitally, later)."""

from django.utils.text import slugify

from reporting.pdf import contesto_base, render_pdf

from . import pagina_scheda
from .models import SchedaIndividuale


def contesto_pdf(scheda: SchedaIndividuale) -> dict:
    pagina_scheda.leggi(scheda)
    titolo = f"Scheda di valutazione individuale {scheda.smvp.anno}"
    contesto = contesto_base(scheda.smvp.comune, titolo)
    contesto["pagina"]["formato"] = "A4"
    punteggio = pagina_scheda.punteggio(scheda)
    contesto.update(
        scheda=scheda,
        smvp=scheda.smvp,
        punteggio=punteggio,
        componenti=punteggio.componenti(scheda.categoria),
        righe_voti=pagina_scheda.righe_voti(scheda),
        bozza=scheda.stato != SchedaIndividuale.Stato.DEFINITIVA,
    )
    return contesto


def pdf_scheda(scheda: SchedaIndividuale) -> bytes:
    return render_pdf("individuale/schede/pdf.html", contesto_pdf(scheda))


def nome_file(scheda: SchedaIndividuale) -> str:
    return f"valutazione-{scheda.smvp.anno}-{slugify(scheda.persona.nome) or scheda.pk}.pdf"
