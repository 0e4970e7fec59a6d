"""The SMVP of a year: creating it (empty, or as a copy of the last year's with its
categories, comportamenti and fasce), the rules its parts must keep, and when it can no
longer change.

Rules (each refusal says what and where, in Italian):
- a category's five weights sum to 100,00%;
- the comportamenti weights of a category sum to 100,00% or are all 0 (equal weights);
- the fasce start at 0 and do not overlap (one per starting score); each gives 0–100%;
- the scale of the votes has its minimum below its maximum.

A year's evaluations keep the SMVP they were made with (``individuale.smvp_in_uso``):
once a scheda of the year is DEFINITIVA or a fondo has been distributed, weights,
comportamenti, scale and fasce cannot change; once a scheda has left the draft, the
validation gate and the conciliazione's term cannot change. The forms say it beside
the field; the ``salva_*`` functions check it again under the SMVP row's lock.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404

from indicators.engine.formatting import ZERO, percentuale
from indicators.engine.weights import verifica_pesi
from objectives.piano_anno import SceltaPiano, piano_dell_anno
from peg.forms import DecimaleItaliano
from peg.models import Persona
from peg.storia import autore

from .models import Categoria, Comportamento, Fascia, Smvp
from .smvp_in_uso import (  # noqa: F401 (the SMVP pages' names, kept here)
    BLOCCATI_IMPOSTAZIONI,
    SmvpBloccato,
    bloccato_per_salvare,
    motivo_blocco,
    motivo_blocco_impostazioni,
    verifica_impostazioni_modificabili,
    verifica_modificabile,
)

PESI = (
    "peso_ente",
    "peso_settore",
    "peso_obiettivi",
    "peso_comportamenti",
    "peso_differenziazione",
)
# What a used SMVP keeps of a category as its evaluations were made with.
BLOCCATI_CATEGORIA = (*PESI, "scala_minima", "scala_massima")
# Set again each year: the fondi are the year's money, the delibera the year's act.
NON_COPIATI_SMVP = ("id", "anno", "fondo_unico", "delibera_numero", "delibera_data")


# ---------------------------------------------------------------- the rules


def errore_pesi_categoria(pesi: list[Decimal | None], nome: str = "") -> str | None:
    """The five weights of a category must make 100,00%."""
    verifica = verifica_pesi([p or ZERO for p in pesi])
    if verifica.ok:
        return None
    di = f" della categoria «{nome}»" if nome else ""
    return f"I pesi delle componenti{di} sommano {verifica.etichetta}: devono fare 100,00%."


def errore_pesi_comportamenti(pesi: list[Decimal | None], nome: str = "") -> str | None:
    """All 0 (equal weights) or summing to 100,00%."""
    pesi = [p or ZERO for p in pesi]
    if not pesi or all(p == ZERO for p in pesi):
        return None
    verifica = verifica_pesi(pesi)
    if verifica.ok:
        return None
    di = f" della categoria «{nome}»" if nome else ""
    return (
        f"I pesi dei comportamenti{di} sommano {percentuale(verifica.totale)}: devono fare "
        "100,00%, oppure essere tutti 0 (pesi uguali)."
    )


def errore_scala(minimo, massimo) -> str | None:
    if minimo is None or massimo is None:
        return None
    if minimo >= massimo:
        return f"La scala dei voti va da un minimo a un massimo più alto (ora {minimo}–{massimo})."
    return None


def errori_fasce(fasce: list[tuple[Decimal, Decimal]]) -> list[str]:
    """Fasce as (da, percentuale): the lowest starts at 0, one per starting score, and
    a higher score never gives a smaller share of the premio."""
    if not fasce:
        return ["Indica almeno una fascia, a partire da 0."]
    errori = []
    soglie = sorted(da for da, _ in fasce)
    if soglie[0] != ZERO:
        errori.append(
            f"La fascia più bassa deve partire da 0 (ora da {percentuale(soglie[0])}): "
            "ogni punteggio deve cadere in una fascia."
        )
    doppie = sorted({da for da in soglie if soglie.count(da) > 1})
    for da in doppie:
        errori.append(f"Due fasce partono da {percentuale(da)}: le fasce non si sovrappongono.")
    ordinate = sorted(fasce)
    for (da_bassa, bassa), (da_alta, alta) in zip(ordinate, ordinate[1:], strict=False):
        if da_alta != da_bassa and alta < bassa:
            errori.append(
                f"La fascia da {percentuale(da_alta)} dà {percentuale(alta)}, meno di quella "
                f"da {percentuale(da_bassa)} ({percentuale(bassa)}): un punteggio più alto non "
                "può dare un premio più basso."
            )
    return errori


def problemi(smvp: Smvp) -> list[str]:
    """What the SMVP still lacks to be used, for the page (a few queries)."""
    elenco = []
    categorie = list(smvp.categorie.prefetch_related("comportamenti"))
    if not categorie:
        elenco.append("Nessuna categoria di valutati.")
    for c in categorie:
        pesi = [getattr(c, p) for p in PESI]
        if errore := errore_pesi_categoria(pesi, c.nome):
            elenco.append(errore)
        comportamenti = list(c.comportamenti.all())
        if c.peso_comportamenti > 0 and not comportamenti:
            elenco.append(f"La categoria «{c.nome}» pesa i comportamenti ma non ne elenca.")
        if errore := errore_pesi_comportamenti([k.peso for k in comportamenti], c.nome):
            elenco.append(errore)
    elenco += errori_fasce(list(smvp.fasce.values_list("da", "percentuale")))
    return elenco


# ---------------------------------------------------------------- creating a year


def da_copiare(comune, anno: int) -> Smvp | None:
    """The SMVP a new one of ``anno`` is offered as a copy of: the latest before it."""
    return Smvp.objects.filter(comune=comune, anno__lt=anno).order_by("-anno").first()


def verifica_anno(comune, anno: int) -> None:
    if Smvp.objects.filter(comune=comune, anno=anno).exists():
        raise ValidationError(f"Il sistema di valutazione del {anno} esiste già.")


@transaction.atomic
def crea(comune, anno: int, utente, copia: Smvp | None = None) -> Smvp:
    """A new SMVP of ``anno``: empty (defaults), or ``copia``'s with its categories,
    comportamenti and fasce (the fondi and the delibera are the new year's to set)."""
    verifica_anno(comune, anno)
    motivo = f"Copiato dal sistema {copia.anno}" if copia else "Nuovo sistema di valutazione"
    with autore(utente, motivo):
        if copia is None:
            return Smvp.objects.create(comune=comune, anno=anno)
        campi = {
            f.attname: getattr(copia, f.attname)
            for f in Smvp._meta.concrete_fields
            if f.attname not in NON_COPIATI_SMVP
        }
        nuovo = Smvp.objects.create(**campi, anno=anno)
    for categoria in copia.categorie.prefetch_related("comportamenti"):
        comportamenti = list(categoria.comportamenti.all())
        categoria.pk, categoria.smvp, categoria.fondo = None, nuovo, None
        categoria._state.adding = True
        categoria.save()
        Comportamento.objects.bulk_create(
            Comportamento(
                categoria=categoria,
                nome=k.nome,
                descrizione=k.descrizione,
                peso=k.peso,
                ordine=k.ordine,
            )
            for k in comportamenti
        )
    Fascia.objects.bulk_create(
        Fascia(smvp=nuovo, da=f.da, percentuale=f.percentuale) for f in copia.fasce.all()
    )
    return nuovo


def aree_testo(categoria: Categoria) -> str:
    """The CCNL areas of the category by their names, "" for all."""
    nomi = dict(Persona.Area.choices)
    return ", ".join(nomi.get(a, a) for a in categoria.aree)


def riepilogo_pesi(categoria: Categoria) -> list[tuple[str, Decimal]]:
    """(label, weight) of the components the category weighs, for pages and prints."""
    return [
        (Categoria._meta.get_field(p).verbose_name.removesuffix(" (%)"), getattr(categoria, p))
        for p in PESI
        if getattr(categoria, p) > 0
    ]


# ---------------------------------------------------------------- saving the pages' forms


def categoria_di(smvp: Smvp, categoria_id: int) -> Categoria:
    """A category of this SMVP (already the user's comune's), else 404."""
    return get_object_or_404(smvp.categorie, pk=categoria_id)


@transaction.atomic
def salva_impostazioni(form, utente) -> bool:
    """Saved only when something changed: an unchanged form writes nothing (no history).
    The gate and the term: checked again with the SMVP row locked."""
    if not form.has_changed():
        return False
    smvp = bloccato_per_salvare(form.instance)
    if set(form.changed_data) & set(BLOCCATI_IMPOSTAZIONI):
        verifica_impostazioni_modificabili(smvp)
    with autore(utente, "Impostazioni del sistema di valutazione"):
        form.save()
    return True


@transaction.atomic
def salva_categoria(form, formset, utente) -> bool:
    """The category and its comportamenti, what changed only; True if anything did.
    The SMVP in use (checked by the form) is checked again with its row locked: a
    scheda made DEFINITIVA meanwhile refuses the save."""
    nuova = form.instance.pk is None
    cambiata = nuova or form.has_changed() or formset.has_changed()
    pesi = nuova or formset.has_changed() or set(form.changed_data) & set(BLOCCATI_CATEGORIA)
    if pesi:
        verifica_modificabile(bloccato_per_salvare(form.instance.smvp))
    if nuova or form.has_changed():
        form.save()
    formset.instance = form.instance
    formset.save()
    return cambiata


@transaction.atomic
def salva_fasce(formset) -> bool:
    if not formset.has_changed():
        return False
    verifica_modificabile(bloccato_per_salvare(formset.instance))
    formset.save()
    return True


def elimina_categoria(categoria: Categoria) -> None:
    """Refused while schede or distribuzioni use it, or while the SMVP is in use."""
    verifica_modificabile(categoria.smvp)
    if categoria.schede.exists() or categoria.distribuzioni.exists():
        raise ValidationError(
            f"La categoria «{categoria.nome}» ha già schede di valutazione: non si elimina."
        )
    categoria.delete()


def piano_dell_smvp(smvp: Smvp):
    """(the piano of the SMVP's year, "") or (None, why not): its measurement settings
    are shown on the SMVP page, the organizzativa is scored with them."""
    try:
        return piano_dell_anno(smvp.comune, smvp.anno), ""
    except SceltaPiano as exc:
        return None, str(exc)


def successivo_da_creare(smvp: Smvp) -> bool:
    """Whether the page offers to copy this SMVP to the next year (not made yet)."""
    return not Smvp.objects.filter(comune_id=smvp.comune_id, anno=smvp.anno + 1).exists()


_NUMERO = DecimaleItaliano(required=False)


def numero(testo) -> Decimal | None:
    """A number as typed in the pages (Italian), None when it is not one: the live sums."""
    try:
        return _NUMERO.clean(testo)
    except ValidationError:
        return None


def fasce_con_limiti(smvp: Smvp) -> list[Fascia]:
    """The fasce from the highest, each with ``superiore``: where the next one starts
    (None for the highest, which goes up to 100)."""
    fasce = list(smvp.fasce.order_by("-da"))
    superiore = None
    for f in fasce:
        f.superiore, superiore = superiore, f.da
    return fasce
