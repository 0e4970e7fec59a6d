"""The audit trail of a scheda: every recorded change to it and to what hangs off it.

Reads the django-simple-history tables in one query per kind of object and works
out old → new in Python (``diff_against`` would query once per record).
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db import models

from indicators.engine.formatting import data_lunga, numero, numero_compatto
from indicators.models import Indicatore, Rilevazione
from peg.formatting import data_ora

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
    """A stored value the Italian way: 30,00 (two decimals for a weight, a percentage or
    an amount; 0,6 for a value kept with four), 3 ottobre 2019, Sì/No, "—" for empty, a
    linked record by its name (``nomi``: a cache of those looked up)."""
    value = getattr(record, campo.attname)
    if value is None or value == "":
        return "—"
    if campo.choices:
        return str(dict(campo.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Sì" if value else "No"
    if isinstance(value, Decimal):
        return numero(value) if (campo.decimal_places or 0) <= 2 else numero_compatto(value)
    if isinstance(value, datetime):
        return data_ora(value)
    if isinstance(value, date):
        return data_lunga(value)
    if isinstance(campo, models.ForeignKey):
        chiave = (campo.related_model, value)
        if chiave not in nomi:
            collegato = campo.related_model._default_manager.filter(pk=value).first()
            nomi[chiave] = str(collegato) if collegato is not None else f"(eliminato, id {value})"
        return nomi[chiave]
    return str(value)


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
