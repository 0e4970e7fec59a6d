"""The history of a scheda individuale: its own rows, its votes' and its conciliazioni's
(django-simple-history, who and why from ``peg.storia.autore``), as the schede obiettivo
show theirs (``objectives.storico.Voce``): three queries, old → new worked out here."""

from objectives.storico import TIPI, Voce
from peg.formatting import in_parole

from .models import Contestazione, SchedaIndividuale, VotoComportamento

IGNORATI = {"id", "versione"}


def _campi(model) -> list:
    return [f for f in model._meta.concrete_fields if f.name not in IGNORATI]


def _utente(record) -> str:
    u = record.history_user
    if u is None:
        return "sistema"
    return u.get_full_name() or u.username


def _fonti(scheda: SchedaIndividuale):
    yield (
        SchedaIndividuale,
        SchedaIndividuale.history.filter(id=scheda.pk),
        lambda r: "scheda",
    )
    nomi = dict(scheda.categoria.comportamenti.values_list("pk", "nome"))
    yield (
        VotoComportamento,
        VotoComportamento.history.filter(scheda_id=scheda.pk),
        lambda r: f"voto «{nomi.get(r.comportamento_id, 'comportamento eliminato')}»",
    )
    yield (
        Contestazione,
        Contestazione.history.filter(scheda_id=scheda.pk),
        lambda r: "richiesta di conciliazione",
    )


def storico_scheda(scheda: SchedaIndividuale, limite: int = 300) -> list[Voce]:
    voci, nomi = [], {}
    for model, righe, nome in _fonti(scheda):
        campi = _campi(model)
        precedenti = {}
        for record in righe.select_related("history_user").order_by("history_date", "history_id"):
            voce = Voce(
                quando=record.history_date,
                utente=_utente(record),
                oggetto=nome(record),
                tipo=TIPI[record.history_type],
                motivo=record.history_change_reason or "",
            )
            prima = precedenti.get(record.id)
            precedenti[record.id] = record
            if prima is not None and record.history_type == "~":
                voce.cambi = [
                    (
                        str(c.verbose_name),
                        in_parole(getattr(prima, c.attname), c, nomi, breve=True),
                        in_parole(getattr(record, c.attname), c, nomi, breve=True),
                    )
                    for c in campi
                    if getattr(prima, c.attname) != getattr(record, c.attname)
                ]
                if not voce.cambi and not voce.motivo:
                    continue
            voci.append(voce)
    voci.sort(key=lambda v: v.quando, reverse=True)
    return voci[:limite]
