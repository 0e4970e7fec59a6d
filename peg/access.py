"""Who may see and do what in a comune: the queries every view and the admin go through.

Tenancy. Every model names the lookup from itself to its comune (``percorso_comune``,
e.g. ``"obiettivo__piano__comune"``); from that one attribute derive the filter of any
queryset to a comune (``nel_comune``), the walk from an object to its comune
(``comune_di``), the admin's scoping (``peg.admin_scoping``) and the objects a page
looks up (``oggetto_del_comune``). A user sees a comune only through a ``Ruolo`` there
(superusers see all); what belongs to a comune the user has no role in answers 404,
so its existence is not disclosed.

Roles. ``ruoli(user, comune)`` reads a user's roles in a comune in one query, kept on
the user object for the request; ``comune_for_user`` (every page of a comune starts
there) and ``comuni_con_ruoli`` read them with the comune, in the same query. The
other apps ask these functions rather than querying ``Ruolo`` themselves. Which
schede, campagne, allegati and stampe a user sees or may change is decided in the
``access`` module of the app that owns them, from these.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import F, Model, Q, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import Http404
from django.shortcuts import get_object_or_404

from .compilate import Compilata, PerChiave
from .models import Comune, Persona, Piano, Ruolo, Settore
from .parametri import chiave

SEGRETERIA = Ruolo.Tipo.SEGRETERIA
RESPONSABILE = Ruolo.Tipo.RESPONSABILE
OIV = Ruolo.Tipo.OIV
LETTORE = Ruolo.Tipo.LETTORE
SINDACO = Ruolo.Tipo.SINDACO
PERSONALE = Ruolo.Tipo.PERSONALE
DIPENDENTE = Ruolo.Tipo.DIPENDENTE


# ---------------------------------------------------------------- tenancy


def percorso(model: type[Model]) -> str:
    """The lookup from ``model`` to its Comune ("" for Comune itself)."""
    return model.percorso_comune


def ha_comune(model: type[Model]) -> bool:
    return hasattr(model, "percorso_comune")


def nel_comune(queryset: QuerySet, comune) -> QuerySet:
    """The rows of ``queryset`` that belong to ``comune`` (one object or a queryset)."""
    cammino = percorso(queryset.model)
    molti = isinstance(comune, QuerySet)
    if not cammino:
        return queryset.filter(pk__in=comune) if molti else queryset.filter(pk=comune.pk)
    return queryset.filter(**{f"{cammino}__in" if molti else cammino: comune})


def comune_di(obj) -> Comune | None:
    """Walk the model's lookup from a tenant object to its comune."""
    cammino = percorso(type(obj))
    for passo in cammino.split("__") if cammino else []:
        obj = getattr(obj, passo, None)
        if obj is None:
            return None
    return obj


def oggetto_del_comune(queryset: QuerySet, comune, **lookup):
    """The object of ``comune`` matching ``lookup``, else 404 (never another comune's)."""
    return get_object_or_404(nel_comune(queryset, comune), **lookup)


def non_trovato(model: type[Model]) -> Http404:
    """The 404 of a lookup, in get_object_or_404's words (peg.views.non_trovato shows
    the Italian page, never them)."""
    return Http404(f"No {model._meta.object_name} matches the given query.")


# The ids in the compiled lookups below (peg.compilate): values no row has.
_SEGNAPOSTO_COMUNE, _SEGNAPOSTO_PK = -7_310_203, -7_310_204
_PER_MODELLO = PerChiave()


def per_chiave_nel_comune(model: type[Model], comune, pk):
    """``oggetto_del_comune(model.objects.all(), comune, pk=pk)`` with its query compiled
    once per model: the lookup of a page's piano or settore at every request."""
    pk = chiave(pk)
    if pk is None:
        raise non_trovato(model)
    compilata = _PER_MODELLO(
        model,
        lambda: nel_comune(model.objects.all(), _SEGNAPOSTO_COMUNE).filter(pk=_SEGNAPOSTO_PK),
    )
    trovati = compilata.istanze({_SEGNAPOSTO_COMUNE: comune.pk, _SEGNAPOSTO_PK: pk})
    if not trovati:
        raise non_trovato(model)
    return trovati[0]


# ---------------------------------------------------------------- comuni and piani


def comuni_visibili(user) -> QuerySet[Comune]:
    if not user.is_authenticated:
        return Comune.objects.none()
    if user.is_superuser:
        return Comune.objects.all()
    return Comune.objects.filter(pk__in=_ruoli_di(user).values("comune_id"))


def _ruoli_di(user) -> QuerySet[Ruolo]:
    """The rule of tenancy: a user sees a comune through his roles there, and only so."""
    return Ruolo.objects.filter(utente=user)


def comune_for_user(user, slug: str) -> Comune:
    """The comune ``slug`` if the user has a role there (a superuser: any), else 404.

    One query: the user's roles in that comune with the comune joined. The roles are
    kept as ``ruoli`` would read them, so the page's own questions (which schede,
    which buttons) ask nothing more."""
    if not user.is_authenticated or user.is_superuser:
        return get_object_or_404(comuni_visibili(user), slug=slug)
    comuni = _comuni_e_ruoli(user, _RUOLI_NEL_COMUNE, {_SEGNAPOSTO_SLUG: slug})
    if not comuni:
        raise non_trovato(Comune)
    return comuni[0]


def comuni_con_ruoli(user) -> list[Comune]:
    """``comuni_visibili`` (by name) read with the user's roles in each, kept for
    ``ruoli`` as ``comune_for_user`` does: one query for the page of all his comuni."""
    if not user.is_authenticated or user.is_superuser:
        return list(comuni_visibili(user))
    return _comuni_e_ruoli(user, _RUOLI_IN_OGNI_COMUNE, {})


def _righe_dei_ruoli(ruoli_: QuerySet[Ruolo]) -> QuerySet[Ruolo]:
    """A row per role and settore, with the comune joined."""
    return ruoli_.select_related("comune").annotate(settore_del_ruolo=F("settori"))


# Every page of a comune starts with this query: compiled once (peg.compilate), run with
# the user's id and the slug (placeholders no row has).
_SEGNAPOSTO_UTENTE = -7_310_201
_SEGNAPOSTO_SLUG = "\x00slug-segnaposto"
_RUOLI_NEL_COMUNE = Compilata(
    lambda: _righe_dei_ruoli(
        _ruoli_di(_SEGNAPOSTO_UTENTE).filter(comune__slug=_SEGNAPOSTO_SLUG).order_by()
    )
)
_RUOLI_IN_OGNI_COMUNE = Compilata(
    lambda: _righe_dei_ruoli(_ruoli_di(_SEGNAPOSTO_UTENTE).order_by("comune__nome", "comune_id"))
)


def _comuni_e_ruoli(user, righe: Compilata, valori: dict) -> list[Comune]:
    """The comuni of the ``righe`` (the user's roles, ``valori`` besides his id), each
    read once, with the roles there memoised for ``ruoli``: one query, one row per role
    and settore."""
    memo = _memo_ruoli(user)  # taken before reading: a change meanwhile is not missed
    per_comune: dict = {}
    for riga in righe.istanze({_SEGNAPOSTO_UTENTE: user.pk, **valori}):
        per_comune.setdefault(riga.comune_id, (riga.comune, []))[1].append(
            (riga.tipo, riga.settore_del_ruolo)
        )
    for comune_id, (_, coppie) in per_comune.items():
        memo[comune_id] = _ruoli_da_righe(coppie)
    return [comune for comune, _ in per_comune.values()]


def piano_for_user(user, slug: str, piano_id: int) -> Piano:
    comune = comune_for_user(user, slug)
    piano = per_chiave_nel_comune(Piano, comune, piano_id)
    piano.comune = comune  # the same row, already read
    return piano


def settore_del_comune(comune, settore_id: int) -> Settore:
    """A settore of a comune already checked with ``comune_for_user`` (every role of the
    comune sees its organisation), else 404."""
    return per_chiave_nel_comune(Settore, comune, settore_id)


# ---------------------------------------------------------------- roles


@dataclass(frozen=True)
class Ruoli:
    """A user's roles in one comune and the settori he is responsabile of."""

    tipi: frozenset
    settori: frozenset  # ids of the settori of his responsabile roles

    @property
    def segreteria(self) -> bool:
        return SEGRETERIA in self.tipi

    @property
    def stampa_piano(self) -> bool:
        """The whole-piano book holds every settore's drafts: segreteria and OIV only."""
        return bool(self.tipi & {SEGRETERIA, OIV})

    @property
    def crea_schede(self) -> bool:
        """The segreteria anywhere, a responsabile in his settori."""
        return self.segreteria or bool(self.settori)

    def sul_settore(self, settore_id) -> set[str]:
        """The roles that apply to a scheda of that settore (responsabile only of his)."""
        tipi = set(self.tipi)
        if RESPONSABILE in tipi and settore_id not in self.settori:
            tipi.discard(RESPONSABILE)
        return tipi


# Bumped on every change of a Ruolo (or of its settori) in this process: a user object's
# memo of its roles (below) is valid only for the generation it was read in.
_cambi_ruoli = itertools.count(1)
_generazione = [0]


def _ruoli_cambiati(**kwargs) -> None:
    _generazione[0] = next(_cambi_ruoli)


post_save.connect(_ruoli_cambiati, sender=Ruolo, dispatch_uid="peg.access.ruoli.save")
post_delete.connect(_ruoli_cambiati, sender=Ruolo, dispatch_uid="peg.access.ruoli.delete")
m2m_changed.connect(
    _ruoli_cambiati, sender=Ruolo.settori.through, dispatch_uid="peg.access.ruoli.settori"
)


def ruoli(user, comune) -> Ruoli:
    """One query per user object and comune; a superuser acts as segreteria everywhere.

    A page asks many times (access check, buttons, links, menus): the answer is kept on
    the user object, which is new at every request (``request.user``), so a role given or
    taken in another process counts from the next request; one changed in this process
    (a test, a command) counts at once (see ``_ruoli_cambiati``). ``comune_for_user``
    keeps the roles it read with the comune the same way."""
    if not user.is_authenticated:
        return Ruoli(frozenset(), frozenset())
    if user.is_superuser:
        return Ruoli(frozenset({SEGRETERIA}), frozenset())
    comune_id = getattr(comune, "pk", comune)
    memo = _memo_ruoli(user)
    if comune_id not in memo:
        memo[comune_id] = _leggi_ruoli(user, comune_id)
    return memo[comune_id]


def _memo_ruoli(user) -> dict:
    """The user object's roles per comune id, valid for this generation of roles."""
    memo = getattr(user, "_ruoli_per_comune", None)
    if memo is None or memo[0] != _generazione[0]:
        memo = (_generazione[0], {})
        user._ruoli_per_comune = memo
    return memo[1]


def _leggi_ruoli(user, comune_id) -> Ruoli:
    return _ruoli_da_righe(
        _ruoli_di(user).filter(comune_id=comune_id).values_list("tipo", "settori")
    )


def _ruoli_da_righe(righe) -> Ruoli:
    """Ruoli from (tipo, settore id or None) rows: the settori count for a responsabile."""
    tipi, settori = set(), set()
    for tipo, settore_id in righe:
        tipi.add(tipo)
        if tipo == RESPONSABILE and settore_id is not None:
            settori.add(settore_id)
    return Ruoli(frozenset(tipi), frozenset(settori))


def ruoli_sulla_scheda(user, obiettivo) -> set[str]:
    """The user's roles that apply to this scheda (responsabile only of its settore).

    ``user`` None is a command run on the server by its operator: the segreteria's
    rights. One page asks several times (buttons, links): read once per scheda object."""
    if user is None:
        return {SEGRETERIA}
    cache = obiettivo.__dict__.setdefault("_ruoli_utente", {})
    if user.pk not in cache:
        cache[user.pk] = ruoli(user, obiettivo.piano.comune_id).sul_settore(obiettivo.settore_id)
    return cache[user.pk]


def leggi_ruoli_sulle_schede(user, obiettivi) -> None:
    """``ruoli_sulla_scheda`` for many schede at once: one query per comune, not per
    scheda (an import of a thousand schede)."""
    if user is None:
        return
    per_comune: dict = {}
    for obiettivo in obiettivi:
        comune_id = obiettivo.piano.comune_id
        if comune_id not in per_comune:
            per_comune[comune_id] = ruoli(user, comune_id)
        cache = obiettivo.__dict__.setdefault("_ruoli_utente", {})
        cache[user.pk] = per_comune[comune_id].sul_settore(obiettivo.settore_id)


def e_segreteria(user, comune) -> bool:
    return ruoli(user, comune).segreteria


def verifica_segreteria(user, comune, motivo: str) -> None:
    """403 with ``motivo`` unless the user is the comune's segreteria."""
    if not e_segreteria(user, comune):
        raise PermissionDenied(motivo)


def verifica_amministratore(user, motivo: str) -> None:
    """403 with ``motivo`` unless the user administers the whole system (a superuser):
    who creates a new comune."""
    if not user.is_superuser:
        raise PermissionDenied(motivo)


def puo_stampare_piano(user, comune) -> bool:
    return ruoli(user, comune).stampa_piano


def comuni_segreteria(user) -> QuerySet[Comune]:
    """The comuni the user administers (the admin's scope)."""
    if user.is_superuser:
        return Comune.objects.all()
    return Comune.objects.filter(ruoli__utente=user, ruoli__tipo=SEGRETERIA)


def settori_responsabile(user, comune) -> QuerySet[Settore]:
    """The settori of the comune the user is responsabile of."""
    return Settore.objects.filter(
        comune=comune, ruoli__utente=user, ruoli__tipo=RESPONSABILE
    ).distinct()


def settori_modificabili(user, comune) -> QuerySet[Settore]:
    """Where the user may create or move schede: every settore for the segreteria,
    his own for a responsabile, none otherwise."""
    if e_segreteria(user, comune):
        return Settore.objects.filter(comune=comune)
    return settori_responsabile(user, comune)


def proposta_nuova_scheda(user, comune) -> dict:
    """What a responsabile's new scheda starts with: his only settore (``settore``, an id)
    and himself as responsabile (``responsabili``, the persona linked to his account).
    Nothing for the segreteria, who creates schede for every settore."""
    propri = ruoli(user, comune)
    if propri.segreteria or not propri.settori:
        return {}
    proposta: dict = {}
    if len(propri.settori) == 1:
        proposta["settore"] = next(iter(propri.settori))
    persone = list(Persona.objects.filter(comune=comune, utente=user).values_list("pk", flat=True))
    if persone:
        proposta["responsabili"] = persone
    return proposta


def responsabili_per_settore(comune_id: int) -> dict[int, list]:
    """Per settore id, the users with a responsabile role on it (one query)."""
    righe = (
        Ruolo.settori.through.objects.filter(ruolo__comune_id=comune_id, ruolo__tipo=RESPONSABILE)
        .select_related("ruolo__utente")
        .order_by("ruolo__utente__last_name", "ruolo__utente__username")
    )
    per_settore: dict[int, list] = {}
    for riga in righe:
        utenti = per_settore.setdefault(riga.settore_id, [])
        if riga.ruolo.utente not in utenti:
            utenti.append(riga.ruolo.utente)
    return per_settore


def una_segreteria(comune):
    """A segreteria user of the comune (the oldest role), or None."""
    ruolo = (
        Ruolo.objects.filter(comune=comune, tipo=SEGRETERIA)
        .select_related("utente")
        .order_by("id")
        .first()
    )
    return ruolo.utente if ruolo else None


def utenti_del_comune(comune) -> QuerySet:
    """The accounts with a role in ``comune``: those its segreteria sees locked out and
    may unlock (peg.blocchi), never another comune's."""
    return get_user_model()._default_manager.filter(ruoli__comune=comune).distinct()


def utente_del_comune(comune, username: str):
    """The account ``username`` if it has a role in ``comune``, else 404."""
    return get_object_or_404(utenti_del_comune(comune), username=username)


def utenti_assegnabili(user) -> QuerySet:
    """Accounts the admin may link to: those of the user's comuni, and those with no
    role yet (to give them one)."""
    utenti = get_user_model()._default_manager
    if user.is_superuser:
        return utenti.all()
    return utenti.filter(
        Q(ruoli__comune__in=comuni_segreteria(user)) | Q(ruoli__isnull=True)
    ).distinct()


def utenti_segreteria(comune) -> list:
    """The segreteria users of the comune, oldest role first (who gets its e-mails)."""
    righe = Ruolo.objects.filter(comune=comune, tipo=SEGRETERIA).select_related("utente")
    return list(dict.fromkeys(r.utente for r in righe.order_by("id")))
