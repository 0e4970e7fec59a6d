"""Who sees and changes what of the individual evaluation. The rules, in one place:

- the SMVP (categories, weights, comportamenti, fasce, fondi): everybody of the comune
  reads it (it is public in Amministrazione trasparente); the segreteria changes it;
- a scheda individuale: the person sees only his own, once delivered; the evaluator
  those he evaluates (``valutatore``, and a responsabile the staff of his settori in
  the categories his responsabili evaluate); the Nucleo (OIV role) and the sindaco the categories the
  Nucleo proposes and the sindaco decides; the segreteria all, for administration;
  anybody else — and every other comune — 404, as if it did not exist;
- the premi (fondi, distributions, the payroll's prospetto): segreteria and ufficio
  personale (403 with why for the other users of the comune).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Min, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from peg.access import (
    OIV,
    PERSONALE,
    SEGRETERIA,
    SINDACO,
    comune_for_user,
    e_segreteria,
    non_trovato,
    ruoli,
)
from peg.parametri import chiave, intero

from .models import Categoria, SchedaIndividuale, Smvp

V = Categoria.Valutatore
ANNO_MASSIMO = 32767  # Smvp.anno: a PositiveSmallIntegerField
S = SchedaIndividuale.Stato
# The states in which the person reads his own scheda.
CONSEGNATE = (S.CONSEGNATA, S.CONTESTATA, S.DEFINITIVA)


def smvp_del_comune(comune) -> QuerySet[Smvp]:
    return Smvp.objects.filter(comune=comune)


def smvp_for_user(user, slug: str, anno: int) -> Smvp:
    """The comune's SMVP of ``anno`` for a user with a role there, else 404."""
    comune = comune_for_user(user, slug)
    if intero(str(anno), 1, ANNO_MASSIMO) is None:  # beyond the column: 404, not a 500
        raise non_trovato(Smvp)
    smvp = get_object_or_404(smvp_del_comune(comune), anno=anno)
    smvp.comune = comune
    return smvp


def puo_configurare(user, comune) -> bool:
    return e_segreteria(user, comune)


def verifica_segreteria_smvp(user, comune) -> None:
    if not puo_configurare(user, comune):
        raise PermissionDenied(
            "Il sistema di misurazione e valutazione lo configura la segreteria."
        )


def _filtro_visibili(user, comune) -> Q | None:
    """The condition on SchedaIndividuale for ``user`` in ``comune`` (None: all)."""
    if SEGRETERIA in ruoli(user, comune).tipi:
        return None
    return _filtro_proprie(user, comune)


def _filtro_proprie(user, comune) -> Q:
    """The schede that are ``user``'s: his own (once delivered) and those he evaluates,
    whatever else his roles let him read (the segreteria reads all)."""
    r = ruoli(user, comune)
    valuta = Q(valutatore=user)
    if r.settori:
        valuta |= Q(categoria__valutatore=V.RESPONSABILE, settore_id__in=r.settori)
    if r.tipi & {OIV, SINDACO}:
        valuta |= Q(categoria__valutatore=V.NUCLEO_SINDACO)
    # His own scheda once delivered (the evaluator's draft is not his to read yet), and
    # never as its evaluator.
    propria = Q(persona__utente=user)
    return (propria & Q(stato__in=CONSEGNATE)) | (~propria & valuta)


def schede_visibili(user, comune) -> QuerySet[SchedaIndividuale]:
    """The schede individuali of ``comune`` that ``user`` may see."""
    schede = SchedaIndividuale.objects.filter(smvp__comune=comune)
    if not user.is_authenticated:
        return schede.none()
    filtro = _filtro_visibili(user, comune)
    return schede if filtro is None else schede.filter(filtro)


def scheda_for_user(user, slug: str, scheda_id: int) -> SchedaIndividuale:
    """A scheda the user sees, with what its pages read; else 404."""
    comune = comune_for_user(user, slug)
    pk = chiave(scheda_id)
    if pk is None:
        raise non_trovato(SchedaIndividuale)
    return get_object_or_404(
        schede_visibili(user, comune).select_related(
            "smvp__comune", "categoria", "persona", "settore", "valutatore"
        ),
        pk=pk,
    )


def puo_gestire_premi(user, comune) -> bool:
    return bool(ruoli(user, comune).tipi & {SEGRETERIA, PERSONALE})


def verifica_premi(user, comune) -> None:
    """403 with why unless the user is the segreteria or the ufficio personale."""
    if not puo_gestire_premi(user, comune):
        raise PermissionDenied("I premi li gestiscono la segreteria e l'ufficio personale.")


# ---------------------------------------------------------------- the schede's pages


def schede_dell_anno(user, smvp: Smvp) -> QuerySet[SchedaIndividuale]:
    """The year's schede ``user`` sees, with what the list shows."""
    return (
        schede_visibili(user, smvp.comune)
        .filter(smvp=smvp)
        .select_related("smvp__comune", "categoria", "persona", "settore", "valutatore")
    )


def schede_in_corso(user, comune) -> QuerySet[SchedaIndividuale]:
    """For the home, in one query: the schede that are ``user``'s (his own, those he
    evaluates) and not final, his own of every year, and for the segreteria one scheda
    per year (the years she links to) — not every scheda she may read: her home would
    load the whole staff. Newest year first."""
    if not user.is_authenticated:
        return SchedaIndividuale.objects.none()
    schede = SchedaIndividuale.objects.filter(smvp__comune=comune)
    filtro = _filtro_proprie(user, comune) & (
        ~Q(stato=SchedaIndividuale.Stato.DEFINITIVA) | Q(persona__utente=user)
    )
    if puo_creare_schede(user, comune):
        una_per_anno = schede.values("smvp").annotate(prima=Min("pk")).values("prima")
        filtro |= Q(pk__in=Subquery(una_per_anno))
    return (
        schede.filter(filtro)
        .select_related("smvp", "categoria", "persona", "settore")
        .order_by("-smvp__anno", "categoria__ordine", "persona__nome", "id")
    )


def puo_creare_schede(user, comune) -> bool:
    return e_segreteria(user, comune)


def verifica_creazione_schede(user, comune) -> None:
    if not puo_creare_schede(user, comune):
        raise PermissionDenied("Le schede di valutazione individuale le crea la segreteria.")


# ---------------------------------------------------------------- the data of service


def puo_gestire_servizio(user, comune) -> bool:
    """Part-time and days of service: segreteria and ufficio personale (administrative
    data; the ufficio personale reads no scheda's merit, only its own page of the year)."""
    return bool(ruoli(user, comune).tipi & {SEGRETERIA, PERSONALE})


def verifica_servizio(user, comune) -> None:
    if not puo_gestire_servizio(user, comune):
        raise PermissionDenied(
            "I dati di servizio (part-time e giorni) li registrano la segreteria e l'ufficio "
            "personale."
        )


def schede_per_servizio(smvp: Smvp) -> QuerySet[SchedaIndividuale]:
    """Every scheda of the year, for the page of the data of service (after
    ``verifica_servizio``)."""
    return smvp.schede.select_related("smvp__comune", "categoria", "persona", "settore")
