"""A dump of a scheda and everything that hangs off it, to compare before and after a
save: the rows' values, their history rows, the variazioni and the versione."""

from indicators.models import Indicatore, Rilevazione, ValoreStorico
from objectives.models import (
    CambioStato,
    Fase,
    Obiettivo,
    RisorsaFinanziaria,
    RisorsaStrumentale,
    RisorsaUmana,
    Variazione,
)
from valutazione.models import Allegato, PunteggioValidato, Validazione

FIGLI = {
    Indicatore: "obiettivo_id",
    Fase: "obiettivo_id",
    RisorsaFinanziaria: "obiettivo_id",
    RisorsaUmana: "obiettivo_id",
    RisorsaStrumentale: "obiettivo_id",
    Rilevazione: "indicatore__obiettivo_id",
    ValoreStorico: "indicatore__obiettivo_id",
    Validazione: "obiettivo_id",
    PunteggioValidato: "obiettivo_id",
    Allegato: "obiettivo_id",
    Variazione: "obiettivo_id",
    CambioStato: "obiettivo_id",
}


def _righe(queryset) -> list[dict]:
    return [
        {k: v for k, v in riga.items() if k not in ("modificato_il", "aggiornato_il")}
        for riga in queryset.order_by("pk").values()
    ]


def fotografia(obiettivo: int | Obiettivo) -> dict:
    """Every row of the scheda (values as stored), the m2m links and the history counts."""
    obiettivo_id = getattr(obiettivo, "pk", obiettivo)
    scheda = Obiettivo.objects.filter(pk=obiettivo_id).first()  # None: deleted
    foto = {
        "obiettivo": _righe(Obiettivo.objects.filter(pk=obiettivo_id)),
        "m2m": {
            nome: sorted(getattr(scheda, nome).values_list("pk", flat=True)) if scheda else []
            for nome in ("ambiti", "nodi_dup", "responsabili")
        },
        "storico obiettivo": Obiettivo.history.filter(id=obiettivo_id).count(),
    }
    for modello, campo in FIGLI.items():
        righe = modello.objects.filter(**{campo: obiettivo_id})
        foto[modello.__name__] = _righe(righe)
        if hasattr(modello, "history"):
            foto[f"storico {modello.__name__}"] = modello.history.filter(
                **{campo: obiettivo_id}
            ).count()
    return foto
