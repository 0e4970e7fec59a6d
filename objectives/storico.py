"""The audit trail of a scheda: every recorded change to it and to what hangs off it.

Reads the django-simple-history tables in one query per kind of object and works
out old → new in Python (``diff_against`` would query once per record).
"""

from dataclasses import dataclass, field
from datetime import datetime

from indicators.models import Indicatore, Rilevazione
from peg.formatting import in_parole

from .models import Fase, Obiettivo, RisorsaFinanziaria, RisorsaStrumentale, RisorsaUmana

TIPI = {"+": "creato", "~": "modificato", "-": "eliminato"}
IGNORATI = {"id", "versione", "regola"}  # derived or technical


@dataclass
class Voce:
    quando: datetime
    utente: str
    oggetto: str
    tipo: str
    motivo: str
    cambi: list = field(default_factory=list)  # [(campo, prima, dopo)]


def _fonti(obiettivo_id: int):
    yield Obiettivo, Obiettivo.history.filter(id=obiettivo_id), lambda r: "obiettivo"
    yield (
        Indicatore,
        Indicatore.history.filter(obiettivo_id=obiettivo_id),
        lambda r: f"indicatore {r.numero}",
    )
    yield Fase, Fase.history.filter(obiettivo_id=obiettivo_id), lambda r: f"fase {r.numero}"
    yield (
        Rilevazione,
        Rilevazione.history.filter(indicatore__obiettivo_id=obiettivo_id).select_related(
            "indicatore"
        ),
        lambda r: f"rilevazione {r.get_tipo_display().lower()} (indicatore {r.indicatore.numero})",
    )
    for model, nome in (
        (RisorsaFinanziaria, "risorsa finanziaria"),
        (RisorsaUmana, "risorsa umana"),
        (RisorsaStrumentale, "risorsa strumentale"),
    ):
        yield model, model.history.filter(obiettivo_id=obiettivo_id), lambda r, nome=nome: nome


def _valore(record, campo, nomi: dict) -> str:
    return in_parole(getattr(record, campo.attname), campo, nomi)


def storico_obiettivo(obiettivo: Obiettivo, limite: int = 300) -> list[Voce]:
    voci = []
    nomi = {}
    for model, queryset, nome in _fonti(obiettivo.pk):
        campi = [f for f in model._meta.concrete_fields if f.name not in IGNORATI]
        precedenti = {}
        for record in queryset.select_related("history_user").order_by(
            "history_date", "history_id"
        ):
            voce = Voce(
                quando=record.history_date,
                utente=record.history_user.get_full_name() or record.history_user.username
                if record.history_user
                else "sistema",
                oggetto=nome(record),
                tipo=TIPI[record.history_type],
                motivo=record.history_change_reason or "",
            )
            prima = precedenti.get(record.id)
            if prima is not None and record.history_type == "~":
                voce.cambi = [
                    (str(c.verbose_name), _valore(prima, c, nomi), _valore(record, c, nomi))
                    for c in campi
                    if getattr(prima, c.attname) != getattr(record, c.attname)
                ]
                if not voce.cambi and not voce.motivo:
                    precedenti[record.id] = record
                    continue
            precedenti[record.id] = record
            voci.append(voce)
    voci.sort(key=lambda v: v.quando, reverse=True)
    return voci[:limite]
