"""The Nucleo di valutazione as a collegial body: its members in carica, its sedute and
their verbali (numbered per comune and year), what was decided in a seduta.

The rules, in one place:

- the Nucleo of a comune is the one that serves it (``Nucleo.comuni``; the first by
  name if, by mistake, several do);
- with more than one member in carica one of them is the presidente (a monocratic
  OIV needs none);
- a seduta's verbale takes the next number of its comune and year, also when two are
  recorded at once (the unique constraint refuses the second, which tries again);
- a closed seduta is final: its verbale, presenti and decisions no longer change.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from indicators.engine.formatting import data_lunga
from peg.storia import autore

from .models import Commento, Componente, Nucleo, Seduta, Validazione

TENTATIVI_NUMERO = 5


def nucleo_del_comune(comune) -> Nucleo | None:
    return comune.nuclei.order_by("nome", "pk").first()


def in_carica(nucleo: Nucleo | None, il: date | None = None):
    """The members in carica on ``il`` (today): started by then, not ended before."""
    if nucleo is None:
        return Componente.objects.none()
    il = il or timezone.localdate()
    return nucleo.componenti.filter(
        Q(dal__isnull=True) | Q(dal__lte=il), Q(al__isnull=True) | Q(al__gte=il)
    )


def verifica_presidenza(nucleo: Nucleo) -> str | None:
    """Why the composition is incomplete (None: it is fine)."""
    membri = list(in_carica(nucleo))
    if len(membri) > 1 and not any(m.presidente for m in membri):
        return (
            f"Il nucleo ha {len(membri)} componenti in carica: indica chi è il presidente "
            "(un nucleo collegiale ha un presidente)."
        )
    return None


def salva_componente(componente: Componente, utente) -> Componente:
    """Save a member; refused (ValidationError) if the Nucleo would be left collegial
    without a presidente, or with two."""
    with transaction.atomic(), autore(utente, "Componente del nucleo"):
        componente.full_clean()
        componente.save()
        perche = verifica_presidenza(componente.nucleo)
        if perche:
            raise ValidationError(perche)
    return componente


def crea_nucleo(comune, nome: str, utente) -> Nucleo:
    with transaction.atomic(), autore(utente, "Nucleo di valutazione"):
        nucleo = Nucleo(nome=nome.strip())
        nucleo.full_clean()
        nucleo.save()
        nucleo.comuni.add(comune)
    return nucleo


# ---------------------------------------------------------------- sedute


def prossimo_numero(nucleo: Nucleo, comune, anno: int) -> int:
    ultimo = Seduta.objects.filter(comune=comune, anno=anno).aggregate(n=Max("numero"))["n"]
    return (ultimo or 0) + 1


def registra_seduta(
    nucleo: Nucleo, comune, *, data: date, presenti, ordine_del_giorno: str, verbale: str, utente
) -> Seduta:
    """A new seduta with the next verbale number of its comune and year. Two recorded at
    the same moment would take the same number: the database refuses the second, which
    takes the next one."""
    presenti = list(presenti)
    _verifica_presenti(nucleo, presenti, data)
    for tentativo in range(TENTATIVI_NUMERO):
        try:
            with transaction.atomic(), autore(utente, "Seduta del nucleo"):
                seduta = Seduta.objects.create(
                    nucleo=nucleo,
                    comune=comune,
                    anno=data.year,
                    numero=prossimo_numero(nucleo, comune, data.year),
                    data=data,
                    ordine_del_giorno=ordine_del_giorno.strip(),
                    verbale=verbale.strip(),
                    registrata_da=utente if getattr(utente, "pk", None) else None,
                )
                seduta.presenti.set(presenti)
                return seduta
        except IntegrityError:
            if tentativo == TENTATIVI_NUMERO - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def aggiorna_seduta(seduta: Seduta, *, data, presenti, ordine_del_giorno, verbale, utente):
    """Change an open seduta (its number stays: the verbale keeps its place in the year)."""
    presenti = list(presenti)
    with transaction.atomic():
        attuale = Seduta.objects.select_for_update().get(pk=seduta.pk)
        if attuale.chiusa:
            raise ValidationError(chiusa_testo(attuale))
        if data.year != attuale.anno:
            raise ValidationError(
                f"Il verbale n. {attuale.numero}/{attuale.anno} è numerato nel {attuale.anno}: "
                f"la data deve essere del {attuale.anno}."
            )
        _verifica_presenti(attuale.nucleo, presenti, data)
        attuale.data = data
        attuale.ordine_del_giorno = ordine_del_giorno.strip()
        attuale.verbale = verbale.strip()
        with autore(utente, "Seduta del nucleo"):
            attuale.save()
            attuale.presenti.set(presenti)
    return attuale


def chiudi(seduta: Seduta, utente) -> Seduta:
    """Close the verbale: from now on it is final (locked against a decision in progress)."""
    with transaction.atomic():
        attuale = Seduta.objects.select_for_update().get(pk=seduta.pk)
        if attuale.chiusa:
            raise ValidationError(chiusa_testo(attuale))
        if not attuale.verbale.strip():
            raise ValidationError(
                f"{descrivi(attuale)}: scrivi il testo del verbale prima di chiuderlo."
            )
        attuale.chiusa = True
        with autore(utente, "Chiusura del verbale"):
            attuale.save(update_fields=["chiusa"])
    return attuale


def _verifica_presenti(nucleo: Nucleo, presenti, data: date) -> None:
    in_carica_allora = set(in_carica(nucleo, data).values_list("pk", flat=True))
    fuori = [c.nome for c in presenti if c.pk not in in_carica_allora]
    if fuori:
        raise ValidationError(
            f"Non erano componenti in carica il {data_lunga(data)}: {', '.join(fuori)}."
        )


def sedute_aperte(comune):
    """The comune's open sedute, latest first: where a decision may be recorded."""
    return Seduta.objects.filter(comune=comune, chiusa=False).order_by("-data", "-numero", "-pk")


def sedute_del_comune(comune):
    """Every seduta of the comune, latest verbale first."""
    return Seduta.objects.filter(comune=comune).order_by("-anno", "-numero", "-pk")


def descrivi(seduta: Seduta) -> str:
    """«seduta del 12 marzo 2020, verbale n. 3/2020»."""
    return f"seduta del {data_lunga(seduta.data)}, verbale n. {seduta.numero}/{seduta.anno}"


def chiusa_testo(seduta: Seduta) -> str:
    return f"Il verbale della {descrivi(seduta)} è chiuso: non si cambia più."


def decisioni(seduta: Seduta) -> dict:
    """What was decided in the seduta: validations, integration requests, the individual
    proposals (``individuale``'s schede, through the reverse relation, read only)."""
    proposte = getattr(seduta, "proposte_individuali", None)
    return {
        "validazioni": list(
            Validazione.objects.filter(seduta=seduta)
            .select_related("obiettivo__settore", "utente")
            .order_by("obiettivo__codice_ordinabile", "pk")
        ),
        "integrazioni": list(
            Commento.objects.filter(seduta=seduta, tipo=Commento.Tipo.INTEGRAZIONE)
            .select_related("obiettivo__settore", "autore")
            .order_by("quando", "pk")
        ),
        "proposte": list(proposte.select_related("persona", "categoria"))
        if proposte is not None
        else [],
    }
