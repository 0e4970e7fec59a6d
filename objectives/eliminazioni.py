"""What deleting a scheda, or one of its rows, would take with it.

A deletion cascades (``on_delete``): an indicatore takes its rilevazioni, the allegati
about it and the OIV's validated scores on it; a fase its allegati; a scheda all of
these. What the rendicontazione and the OIV recorded never goes as a side effect of
removing a row, and no indicatore or fase of a scheda the OIV has validated (even a
validation since superseded or reopened) is removed: the scores were decided on them.
Such a deletion is refused with what it would take; the row can still be changed by a
variazione (e.g. its peso set to 0). The admin asks here before every deletion.
"""

from django.contrib.admin.utils import NestedObjects
from django.db import router

from indicators.engine.formatting import data_lunga, numero_compatto, percentuale
from indicators.models import Indicatore

from .models import Fase, Obiettivo

# What the rendicontazione and the OIV record, by model label: (one, many).
TRACCE = {
    "indicators.rilevazione": ("valore rilevato", "valori rilevati"),
    "valutazione.allegato": ("allegato", "allegati"),
    "valutazione.punteggiovalidato": ("punteggio validato dall'OIV", "punteggi validati dall'OIV"),
    "valutazione.commento": ("messaggio del dialogo con l'OIV", "messaggi del dialogo con l'OIV"),
}
# Rows whose figures make the score the OIV validated.
VALUTATE = (Indicatore, Fase)


def _nome(oggetto) -> str:
    if isinstance(oggetto, Obiettivo):
        return f"la scheda {oggetto.codice} ({oggetto.anno})"
    scheda = oggetto.obiettivo
    articolo = "la " if isinstance(oggetto, Fase) else "l'"
    return f"{articolo}{oggetto._meta.verbose_name} {oggetto.numero} di {scheda.codice} ({scheda.anno})"


def cosa_si_perderebbe(oggetto) -> list[str]:
    """What deleting ``oggetto`` would lose of what was recorded, in words; [] if
    nothing."""
    scheda = oggetto if isinstance(oggetto, Obiettivo) else getattr(oggetto, "obiettivo", None)
    perdite = []
    if (
        isinstance(oggetto, (Obiettivo, *VALUTATE))
        and scheda is not None
        and scheda.validazioni.exists()
    ):
        perdite.append("la scheda è stata validata dall'OIV")
    raccolta = NestedObjects(using=router.db_for_write(type(oggetto)))
    raccolta.collect([oggetto])
    for etichetta, (uno, molti) in TRACCE.items():
        n = sum(len(v) for m, v in raccolta.model_objs.items() if m._meta.label_lower == etichetta)
        if n:
            dettagli = valori_registrati(oggetto) if etichetta == "indicators.rilevazione" else ""
            perdite.append(
                f"{n} {uno if n == 1 else molti}" + (f" ({dettagli})" if dettagli else "")
            )
    if isinstance(oggetto, Fase) and (propri := valori_registrati(oggetto)):
        perdite.append(propri)
    return perdite


def valori_registrati(riga) -> str:
    """What the rendicontazione recorded on an indicatore or a fase, in words ("" if
    nothing): deleting the row would lose it."""
    if isinstance(riga, Indicatore):
        voci = []
        for r in riga.rilevazioni.order_by("tipo"):
            dettagli = [
                numero_compatto(r.valore) if r.valore is not None else r.valore_testo,
                f"del {data_lunga(r.data)}" if r.data else "",
                f"note «{r.note[:40]}»" if r.note else "",
            ]
            testo = " ".join(d for d in dettagli if d) or "senza valore"
            voci.append(f"rilevazione {r.get_tipo_display().lower()}: {testo}")
        return "; ".join(voci)
    if isinstance(riga, Fase):
        voci = [
            f"avanzamento {percentuale(riga.avanzamento)}" if riga.avanzamento is not None else "",
            f"iniziata il {data_lunga(riga.data_inizio_effettiva)}"
            if riga.data_inizio_effettiva
            else "",
            f"conclusa il {data_lunga(riga.data_fine_effettiva)}"
            if riga.data_fine_effettiva
            else "",
            f"raggiunto «{riga.raggiunto[:40]}»" if riga.raggiunto else "",
            f"monitoraggio «{riga.monitoraggio[:40]}»" if riga.monitoraggio else "",
        ]
        return "; ".join(v for v in voci if v)
    return ""


def eliminazione_negata(oggetto) -> str | None:
    """Why ``oggetto`` may not be deleted, or None."""
    perdite = cosa_si_perderebbe(oggetto)
    if not perdite:
        return None
    invece = (
        ""
        if isinstance(oggetto, Obiettivo)
        else " Per non contarla più, cambiala con una variazione (per esempio peso 0)."
    )
    return (
        f"Non puoi eliminare {_nome(oggetto)}: {'; '.join(perdite)}. Nulla è stato eliminato: "
        "ciò che hanno registrato la rendicontazione e l'OIV non si cancella insieme a "
        f"ciò a cui si riferisce.{invece}"
    )
