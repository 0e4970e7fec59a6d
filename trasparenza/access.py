"""Who sees what of Amministrazione trasparente.

The public pages need no login: a comune is public once it has a publication in force,
and only what is in force is shown (404 otherwise, also for a comune that does not
exist). The management pages are the segreteria's of the comune (``peg.access``).
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from objectives.models import Obiettivo, Variazione
from peg.access import comune_for_user, per_chiave_nel_comune, verifica_segreteria
from peg.models import Comune

from .models import Pubblicazione
from .pubblicazioni import STATI_PUBBLICI

T = Pubblicazione.Tipo


# ---------------------------------------------------------------- segreteria


def comune_della_segreteria(user, slug: str) -> Comune:
    comune = comune_for_user(user, slug)
    verifica_segreteria(
        user,
        comune,
        f"Le pubblicazioni di {comune.nome} in Amministrazione trasparente le gestisce "
        "solo la segreteria del comune.",
    )
    return comune


def piano_della_segreteria(user, slug: str, piano_id):
    from peg.models import Piano

    comune = comune_della_segreteria(user, slug)
    piano = per_chiave_nel_comune(Piano, comune, piano_id)
    piano.comune = comune
    return piano


def pubblicazione_della_segreteria(user, slug: str, pubblicazione_id) -> Pubblicazione:
    comune = comune_della_segreteria(user, slug)
    pubblicazione = per_chiave_nel_comune(Pubblicazione, comune, pubblicazione_id)
    pubblicazione.comune = comune
    return pubblicazione


# ---------------------------------------------------------------- public


def in_vigore():
    return Pubblicazione.objects.filter(ritirata_il__isnull=True)


def comuni_pubblici():
    """The comuni with at least one publication in force (the login page's list)."""
    return Comune.objects.filter(pk__in=in_vigore().values("comune_id"))


def comune_pubblico(slug: str) -> Comune:
    return get_object_or_404(comuni_pubblici(), slug=slug)


def pubblicazioni_del_comune(comune) -> list[Pubblicazione]:
    return list(in_vigore().filter(comune=comune).select_related("piano").order_by("-anno", "pk"))


def pubblicazione(comune, anno, tipo: str) -> Pubblicazione | None:
    """The publication in force of that year and kind, or None (the page says it is not
    available); an anno that is not a number is a 404."""
    if not isinstance(anno, int):
        raise Http404("Anno non valido.")
    return in_vigore().filter(comune=comune, anno=anno, tipo=tipo).select_related("piano").first()


def pubblicazione_obbligatoria(comune, anno, tipo: str) -> Pubblicazione:
    trovata = pubblicazione(comune, anno, tipo)
    if trovata is None:
        raise Http404("Documento non pubblicato.")
    trovata.comune = comune
    return trovata


def schede_pubbliche(pubblicazione: Pubblicazione):
    """The schede a published piano shows: approved or later, never bozze or proposte."""
    return Obiettivo.objects.filter(
        piano_id=pubblicazione.piano_id, anno=pubblicazione.anno, stato__in=STATI_PUBBLICI
    )


def variazioni_pubbliche(pubblicazione: Pubblicazione):
    return Variazione.objects.filter(obiettivo__in=schede_pubbliche(pubblicazione))


def piani_del_comune(comune):
    from peg.models import Piano

    return Piano.objects.filter(comune=comune).order_by("-anno_inizio", "pk")
