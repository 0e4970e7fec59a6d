"""Publishing and withdrawing (the segreteria's actions) and when a document may go
public. The rules, in one place:

- Piano della performance and Sistema di misurazione: once at least one scheda of the
  year is approvato or in a later state (only those schede are ever shown).
- Relazione sulla performance: once every scheda of the year is validato by the OIV.
- Documento dell'OIV di validazione della Relazione (Controlli e rilievi
  sull'amministrazione, art. 31): under the relazione's rule, every scheda validated.
- Premi (ammontare, dati; D.Lgs 33/2013 art. 20): once a distribution of the year's
  premi is in force (``individuale.premi``); the public pages show the aggregated
  tables of ``individuale.art20`` (no names, small groups merged or withheld). While
  they are in force a new real run of the year's premi is refused (``premi_pubblicati``,
  registered with ``individuale.vigore``): withdraw first, with the reason.

One document of a kind per comune and year is in force; withdrawing needs a reason and
keeps the row (and its history) as the record of what was online.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from indicators.engine.formatting import data_lunga
from individuale.premi import anni_distribuiti
from objectives.models import Obiettivo
from objectives.workflow import APPROVATI
from peg.storia import autore
from reporting.validazione_relazione import sedute_dell_anno

from .models import Pubblicazione

T = Pubblicazione.Tipo
S = Obiettivo.Stato
# Approved or any later state: what a published piano shows.
STATI_PUBBLICI = APPROVATI
PREMI = (T.PREMI_AMMONTARE, T.PREMI_DATI)
PREMI_NON_DISPONIBILI = (
    "I dati sui premi non sono ancora disponibili: si pubblicano dopo la distribuzione "
    "dei premi dell'anno."
)

COSA_DIVENTA_PUBBLICO = {
    T.PREMI_AMMONTARE: "l'ammontare dei premi stanziati e distribuiti nell'anno, per fondo, "
    "dalla distribuzione in vigore (senza nomi; i gruppi con meno di tre persone accorpati)",
    T.PREMI_DATI: "i criteri di distribuzione del sistema di valutazione, la distribuzione "
    "dei premi per fascia di merito e il grado di differenziazione (senza nomi; i gruppi "
    "con meno di tre persone accorpati)",
    T.PIANO: "gli obiettivi delle schede approvate (o in uno stato successivo) con "
    "indicatori e valori attesi, la stampa del piano nella variante pubblicabile (senza "
    "dati del personale), le variazioni approvate e i dati aperti in CSV e JSON",
    T.SISTEMA: "le regole del sistema di misurazione del piano (come si calcolano i "
    "punteggi di indicatori, obiettivi e settori)",
    T.RELAZIONE: "i risultati validati dall'OIV di ogni scheda dell'anno, i punteggi di "
    "obiettivi, settori ed ente, la relazione in PDF e i risultati nei dati aperti",
    T.VALIDAZIONE: "il documento del nucleo di valutazione che valida la relazione: "
    "composizione del nucleo, sedute, esito per settore, rettifiche motivate, conclusione",
}


def _motivo_premi(piano, anno: int, anni_premi: set[int] | None) -> str | None:
    if anni_premi is None:
        anni_premi = anni_distribuiti(piano.comune_id)
    if anno in anni_premi:
        return None
    return (
        f"Nessuna distribuzione dei premi del {anno} è in vigore: le tabelle si pubblicano "
        "dopo la distribuzione (pagina Premi dell'anno)."
    )


def premi_pubblicati(smvp) -> str | None:
    """The vincolo registered with ``individuale.vigore`` (see apps.py): the published
    tables read the distribution in force, so a new real run would change what is online
    without anybody deciding it. None when no premi table of the year is in force."""
    pubblicata = (
        Pubblicazione.objects.filter(
            comune_id=smvp.comune_id, anno=smvp.anno, tipo__in=PREMI, ritirata_il__isnull=True
        )
        .order_by("tipo")
        .first()
    )
    if pubblicata is None:
        return None
    return (
        f"{pubblicata.get_tipo_display()} {smvp.anno} è pubblicato in Amministrazione "
        f"trasparente dal {data_lunga(pubblicata.data_pubblicazione)} e mostra la "
        "distribuzione in vigore: una nuova distribuzione cambierebbe ciò che è online. Se "
        "va rifatta, ritirala prima indicando il motivo (Amministrazione trasparente › "
        "Performance, «Ritira»; resta nello storico), poi distribuisci e pubblica di nuovo."
    )


def _in_vigore(comune_id, filtro=None) -> set[tuple[int, str]]:
    """(anno, tipo) of the comune's publications in force (of every piano: one per kind
    and year)."""
    righe = Pubblicazione.objects.filter(comune_id=comune_id, ritirata_il__isnull=True)
    return set((righe.filter(filtro) if filtro else righe).values_list("anno", "tipo"))


def stati_dell_anno(piano, anno: int) -> list[str]:
    return list(Obiettivo.objects.filter(piano=piano, anno=anno).values_list("stato", flat=True))


def gia_in_vigore(tipo: str, anno: int) -> str:
    return (
        f"{T(tipo).label} {anno}: c'è già una pubblicazione in vigore; per sostituirla, "
        "ritirala prima."
    )


def motivo_non_pubblicabile(
    piano, anno: int, tipo: str, *, in_vigore=None, stati=None, anni_premi=None
) -> str | None:
    """Why ``tipo`` of the piano's ``anno`` cannot be published now (None: it can).
    ``in_vigore`` (the comune's (anno, tipo) in force) and ``stati`` (the year's
    schede's states), ``anni_premi`` (the years with premi distributed), when the caller
    has read them for several documents at once."""
    if not piano.anno_inizio <= anno <= piano.anno_fine:
        return f"Il piano «{piano.titolo}» non comprende l'anno {anno}."
    if in_vigore is None:
        in_vigore = _in_vigore(piano.comune_id, Q(anno=anno, tipo=tipo))
    if (anno, tipo) in in_vigore:
        return gia_in_vigore(tipo, anno)
    if tipo in PREMI:
        return _motivo_premi(piano, anno, anni_premi)
    if stati is None:
        stati = stati_dell_anno(piano, anno)
    if not stati:
        return f"Il piano non ha schede per il {anno}."
    if tipo in (T.RELAZIONE, T.VALIDAZIONE):
        mancano = sum(1 for s in stati if s != S.VALIDATO)
        if mancano:
            documento = "La relazione" if tipo == T.RELAZIONE else "Il documento di validazione"
            return (
                f"{documento} si pubblica quando l'OIV ha validato tutte le schede del "
                f"{anno}: ne mancano {mancano} su {len(stati)}."
            )
        if tipo == T.VALIDAZIONE:
            # Published, the documento is final: its verbali (presenti, signatures) too.
            aperte = [s for s in sedute_dell_anno(piano, anno) if not s.chiusa]
            if aperte:
                return (
                    "Il documento di validazione si pubblica a verbali chiusi: "
                    + ", ".join(f"verbale n. {s.numero}/{s.anno}" for s in aperte)
                    + " ancora aperto (chiudilo dalla pagina della seduta)."
                )
        return None
    if not any(s in STATI_PUBBLICI for s in stati):
        return f"Nessuna scheda del {anno} è approvata: non c'è nulla da pubblicare."
    return None


def pubblica(
    piano,
    anno: int,
    tipo: str,
    *,
    utente,
    delibera_numero: str = "",
    delibera_data: date | None = None,
    data: date | None = None,
    motivo: str = "Pubblicazione",
) -> Pubblicazione:
    """Publish; ValidationError with the reason when the rules above say no."""
    if tipo not in T.values:
        raise ValidationError(f"«{tipo}» non è un documento della sezione Performance.")
    perche = motivo_non_pubblicabile(piano, anno, tipo)
    if perche:
        raise ValidationError(perche)
    pubblicazione = Pubblicazione(
        comune_id=piano.comune_id,
        piano=piano,
        anno=anno,
        tipo=tipo,
        data_pubblicazione=data or timezone.localdate(),
        delibera_numero=(delibera_numero or "").strip(),
        delibera_data=delibera_data,
        pubblicata_da=utente if getattr(utente, "pk", None) else None,
    )
    try:
        with transaction.atomic(), autore(utente, motivo):
            pubblicazione.save()
    except IntegrityError as exc:
        raise ValidationError(gia_in_vigore(tipo, anno)) from exc
    return pubblicazione


def ritira(pubblicazione: Pubblicazione, *, utente, motivo: str) -> Pubblicazione:
    """Withdraw with the stated reason; the row stays."""
    motivo = (motivo or "").strip()
    if not motivo:
        raise ValidationError("Indica il motivo del ritiro: resta nello storico.")
    with transaction.atomic():
        riga = Pubblicazione.objects.select_for_update().get(pk=pubblicazione.pk)
        if riga.ritirata_il is not None:
            raise ValidationError("Questa pubblicazione è già stata ritirata.")
        riga.ritirata_il = timezone.localdate()
        riga.motivo_ritiro = motivo
        riga.ritirata_da = utente if getattr(utente, "pk", None) else None
        with autore(utente, f"Ritiro: {motivo}"):
            riga.save()
    return riga


def situazione(piano) -> list[dict]:
    """Per year of the piano and kind of document: the publication in force, the past
    ones and why it cannot be published (the segreteria's page)."""
    righe = list(Pubblicazione.objects.filter(piano=piano).select_related("pubblicata_da"))
    in_vigore = _in_vigore(piano.comune_id)
    anni_premi = anni_distribuiti(piano.comune_id)
    stati: dict[int, list[str]] = {}
    for anno, stato in Obiettivo.objects.filter(piano=piano).values_list("anno", "stato"):
        stati.setdefault(anno, []).append(stato)
    anni = []
    for anno in range(piano.anno_inizio, piano.anno_fine + 1):
        documenti = []
        for tipo in T:
            mie = [p for p in righe if p.anno == anno and p.tipo == tipo]
            documenti.append(
                {
                    "tipo": tipo,
                    "in_vigore": next((p for p in mie if p.in_vigore), None),
                    "ritirate": [p for p in mie if not p.in_vigore],
                    "motivo": motivo_non_pubblicabile(
                        piano,
                        anno,
                        tipo,
                        in_vigore=in_vigore,
                        stati=stati.get(anno, []),
                        anni_premi=anni_premi,
                    ),
                    "cosa": COSA_DIVENTA_PUBBLICO.get(tipo, ""),
                }
            )
        anni.append({"anno": anno, "documenti": documenti})
    return anni
