"""Which schede, indicatori and campagne a user sees or may change: the helpers every
objectives, valutazione and reporting view goes through (built on ``peg.access``).

Segreteria and OIV see every scheda of their comune; a responsabile sees all of his
settori and, of the others, only what is past the drafts (approvato on); a lettore and
the sindaco only what is approved; a dipendente and the ufficio personale no scheda.
Another comune's schede answer 404; a change the user may not make answers 403 with
the reason (``objectives.workflow``).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet

from indicators.models import Indicatore
from peg.access import (
    LETTORE,
    OIV,
    RESPONSABILE,
    SEGRETERIA,
    SINDACO,
    Ruoli,
    comune_for_user,
    non_trovato,
    oggetto_del_comune,
    ruoli,
    ruoli_sulla_scheda,
    verifica_segreteria,
)
from peg.compilate import PerChiave
from peg.parametri import chiave

from .models import Campagna, Obiettivo, RiaperturaSettore, RichiestaVariazione
from .workflow import ambito_scheda, puo_modificare, verifica_modifica

BOZZE = (Obiettivo.Stato.BOZZA, Obiettivo.Stato.PROPOSTO)
# Who reads the approved schede besides segreteria and OIV: the sindaco as a lettore.
LEGGONO_IL_PIANO = frozenset({RESPONSABILE, LETTORE, SINDACO})
SOLO_SEGRETERIA_CAMPAGNE = "Solo la segreteria gestisce le campagne di rilevazione."


def obiettivi_visibili(user, comune) -> QuerySet[Obiettivo]:
    return _visibili(Obiettivo.objects.all(), comune, ruoli(user, comune))


def _visibili(obiettivi: QuerySet[Obiettivo], comune, r: Ruoli) -> QuerySet[Obiettivo]:
    """The rule of visibility (module docstring), for roles ``r`` in ``comune``."""
    obiettivi = obiettivi.filter(piano__comune=comune)
    if r.tipi & {SEGRETERIA, OIV}:
        return obiettivi
    if not r.tipi & LEGGONO_IL_PIANO:
        return obiettivi.none()  # dipendente, ufficio personale: their schede are others
    propri = Q(settore__in=r.settori) if RESPONSABILE in r.tipi else Q(pk__in=[])
    return obiettivi.filter(propri | ~Q(stato__in=BOZZE))


def obiettivo_for_user(user, slug: str, obiettivo_id: int, ambito: str | None = None) -> Obiettivo:
    """The obiettivo, or 404 if the user may not see it; with ``ambito`` ("scheda" for
    planning or variazione by its state, "rendicontazione"), 403 with the reason unless
    the user may change that part of it in its present state."""
    comune = comune_for_user(user, slug)  # with the user's roles: one query
    obiettivo = _scheda_visibile(comune, ruoli(user, comune), obiettivo_id)
    obiettivo.piano.comune = comune  # the same row, already read
    if ambito is not None:
        verifica_modifica(
            user, obiettivo, ambito_scheda(obiettivo) if ambito == "scheda" else ambito
        )
    return obiettivo


# Every page of a scheda looks it up this way: the query is compiled once per shape of
# the roles (peg.compilate) and run with the scheda's, the comune's and the settori's ids.
_SCHEDA, _COMUNE, _SETTORE = -7_310_301, -7_310_302, -7_320_000
_PER_FORMA = PerChiave()


def _scheda_visibile(comune, r: Ruoli, obiettivo_id) -> Obiettivo:
    """``obiettivi_visibili(...).select_related("piano", "settore").get(pk=...)``, else 404."""
    obiettivo_id = chiave(obiettivo_id)
    if obiettivo_id is None or not r.tipi & (LEGGONO_IL_PIANO | {SEGRETERIA, OIV}):
        raise non_trovato(Obiettivo)
    tutte = bool(r.tipi & {SEGRETERIA, OIV})
    responsabile = not tutte and RESPONSABILE in r.tipi
    settori = sorted(r.settori) if responsabile else []
    # The same shape of roles, with placeholders for the settori.
    tipi = {SEGRETERIA} if tutte else {RESPONSABILE} if responsabile else {LETTORE}
    finti = Ruoli(frozenset(tipi), frozenset(_SETTORE - i for i in range(len(settori))))
    compilata = _PER_FORMA(
        (tutte, responsabile, len(settori)),
        lambda: (
            _visibili(Obiettivo.objects.all(), _COMUNE, finti)
            .select_related("piano", "settore")
            .filter(pk=_SCHEDA)
        ),
    )
    valori = {_SCHEDA: obiettivo_id, _COMUNE: comune.pk}
    valori |= {_SETTORE - i: settore for i, settore in enumerate(settori)}
    trovate = compilata.istanze(valori)
    if not trovate:
        raise non_trovato(Obiettivo)
    return trovate[0]


def anni_visibili(user, comune, piano=None, settore=None) -> set[int]:
    """The years of the schede the user sees (of a piano, of a settore)."""
    return {anno for anno, _ in anni_e_stati_visibili(user, comune, piano, settore)}


def anni_e_stati_visibili(user, comune, piano=None, settore=None) -> set[tuple[int, str]]:
    """The (anno, stato) pairs of the schede the user sees, in one query."""
    schede = obiettivi_visibili(user, comune)
    if piano is not None:
        schede = schede.filter(piano=piano)
    if settore is not None:
        schede = schede.filter(settore=settore)
    return set(schede.values_list("anno", "stato").distinct())


def altre_schede(user, obiettivo: Obiettivo) -> QuerySet[Obiettivo]:
    """The other years' schede of the same obiettivo that the user sees."""
    return (
        obiettivi_visibili(user, obiettivo.piano.comune)
        .filter(piano=obiettivo.piano, codice=obiettivo.codice)
        .exclude(pk=obiettivo.pk)
        .only("id", "anno", "codice")
    )


def vede_valutazione(user, obiettivo: Obiettivo) -> bool:
    """The OIV's review and its thread: OIV, segreteria and the settore's responsabili."""
    return bool(ruoli_sulla_scheda(user, obiettivo) & {OIV, SEGRETERIA, RESPONSABILE})


def puo_modificare_scheda(user, obiettivo: Obiettivo) -> bool:
    return puo_modificare(user, obiettivo, ambito_scheda(obiettivo))


def indicatore_for_user(user, slug: str, indicatore_id: int) -> Indicatore:
    """An indicatore of a scheda the user sees, else 404."""
    comune = comune_for_user(user, slug)
    return oggetto_del_comune(
        Indicatore.objects.select_related("obiettivo__piano", "obiettivo__settore")
        .prefetch_related("storico", "rilevazioni")
        .filter(obiettivo__in=obiettivi_visibili(user, comune)),
        comune,
        pk=indicatore_id,
    )


def campagna_for_user(user, slug: str, campagna_id: int) -> Campagna:
    """A round of a comune the user has a role in (else 404), for its segreteria (else
    403): who is behind and the addresses written to are the segreteria's business."""
    comune = comune_for_user(user, slug)
    campagna = oggetto_del_comune(
        Campagna.objects.select_related("piano__comune").prefetch_related(
            Prefetch(
                "riaperture",
                queryset=RiaperturaSettore.objects.select_related("settore", "utente").order_by(
                    "-quando"
                ),
            )
        ),
        comune,
        pk=campagna_id,
    )
    verifica_segreteria(user, comune, SOLO_SEGRETERIA_CAMPAGNE)
    return campagna


# -- richieste di variazione ------------------------------------------------------------

SOLO_SEGRETERIA_E_RESPONSABILE = (
    "Le richieste di variazione sono della segreteria e del responsabile del settore."
)


def richieste_visibili(user, comune, r: Ruoli | None = None) -> QuerySet[RichiestaVariazione]:
    """The segreteria sees the comune's requests, a responsabile those of his settori
    (``r``: the user's roles in the comune, if already read)."""
    richieste = RichiestaVariazione.objects.filter(obiettivo__piano__comune=comune)
    r = ruoli(user, comune) if r is None else r
    if SEGRETERIA in r.tipi:
        return richieste
    if RESPONSABILE in r.tipi:
        return richieste.filter(obiettivo__settore__in=r.settori)
    return richieste.none()


def richiesta_for_user(user, slug: str, richiesta_id: int) -> RichiestaVariazione:
    """A request on a scheda the user sees (else 404), for the segreteria and the
    settore's responsabili (else 403)."""
    comune = comune_for_user(user, slug)
    richiesta = oggetto_del_comune(
        RichiestaVariazione.objects.select_related(
            "obiettivo__piano__comune",
            "obiettivo__settore",
            "richiesta_da",
            "decisa_da",
            "indicatore",
            "fase",
            "variazione",
        ).filter(obiettivo__in=obiettivi_visibili(user, comune)),
        comune,
        pk=richiesta_id,
    )
    if not ruoli_sulla_scheda(user, richiesta.obiettivo) & {SEGRETERIA, RESPONSABILE}:
        raise PermissionDenied(SOLO_SEGRETERIA_E_RESPONSABILE)
    return richiesta


def richieste_del_piano(user, piano) -> QuerySet[RichiestaVariazione]:
    """The requests of a piano for its list: the segreteria and the responsabili (else 403)."""
    if not vede_richieste(user, piano.comune):
        raise PermissionDenied(SOLO_SEGRETERIA_E_RESPONSABILE)
    return (
        richieste_visibili(user, piano.comune)
        .filter(obiettivo__piano=piano)
        .select_related("obiettivo", "richiesta_da", "decisa_da", "variazione")
    )


def vede_richieste(user, comune, r: Ruoli | None = None) -> bool:
    r = ruoli(user, comune) if r is None else r
    return bool(r.tipi & {SEGRETERIA, RESPONSABILE})
