"""Which piano is "the piano of a year": one rule for every command and page that starts
from a year (``esporta_pdf``, ``esporta_excel``, ``importa_excel``, ``punteggi``,
``prepara_anno``).

A year may sit in several piani of a comune: a triennial PIAO "a scorrimento" adopted
every year makes the PIAO 2019-2021 and the PIAO 2020-2022 both cover 2020, and the
2020 schede of a pluriennale obiettivo may live in the older one (Chiavari's VI - 3
2020 is in the PDO 2019-2021). Choosing silently (the newest, the oldest) would print
or score the wrong document, or an empty one. So:

- one piano covers the year(s): it;
- none: refused, saying which years the comune's piani cover;
- several: refused with the list of the piani (id, title, how many schede of that year
  each holds), asking to name one (``--piano`` in a command, a choice on a page);
- a piano named explicitly must be of the comune and cover the year(s).

docs/anno.md says why and which piano a comune should consider "the" piano of a year.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Q

from peg.models import Piano


class SceltaPiano(Exception):
    """The year's piano cannot be chosen: ``str()`` says why, in Italian; ``piani`` are
    the candidates (several: the user names one)."""

    def __init__(self, messaggio: str, piani: Iterable[Piano] = (), anni: Iterable[int] = ()):
        super().__init__(messaggio)
        self.piani = list(piani)
        self.anni = sorted(set(anni))


class NessunPiano(SceltaPiano):
    pass


class PianoAmbiguo(SceltaPiano):
    pass


class PianoNonValido(SceltaPiano):
    pass


def _elenco_anni(anni: Iterable[int]) -> str:
    anni = sorted(set(anni))
    if len(anni) == 1:
        return f"il {anni[0]}"
    return "gli anni " + ", ".join(str(a) for a in anni)


def piani_degli_anni(comune, anni: Iterable[int]):
    """The comune's piani covering every year of ``anni``, newest first, each annotated
    with ``schede_anno``: how many schede of those years it holds."""
    anni = sorted(set(anni))
    piani = Piano.objects.filter(comune=comune)
    for anno in anni:
        piani = piani.filter(anno_inizio__lte=anno, anno_fine__gte=anno)
    return piani.annotate(
        schede_anno=Count("obiettivi", filter=Q(obiettivi__anno__in=anni))
    ).order_by("-anno_inizio", "-anno_fine", "pk")


def descrivi(piano: Piano) -> str:
    """A piano as the lists of candidates name it: id, title, years, schede of the year."""
    testo = f"{piano.pk}: «{piano.titolo}» ({piano.get_tipo_display().split(' - ')[0]} "
    testo += f"{piano.anni_label})"
    schede = getattr(piano, "schede_anno", None)
    if schede is not None:
        testo += f", {schede} {'scheda' if schede == 1 else 'schede'} dell'anno"
    return testo


def piano_degli_anni(
    comune, anni: Iterable[int], piano_id: int | None = None, *, come_scegliere: str = ""
) -> Piano:
    """The piano of ``anni`` (usually one year) of ``comune``, by the rule above.
    ``piano_id``: the piano named by the user. ``come_scegliere``: how the user names one
    ("indica --piano", "scegli il piano"), appended to the ambiguity's message."""
    anni = sorted(set(anni))
    if piano_id is not None:
        piano = Piano.objects.filter(comune=comune, pk=piano_id).first()
        if piano is None:
            raise PianoNonValido(f"{comune}: nessun piano con id {piano_id}.")
        fuori = [a for a in anni if a not in piano.anni]
        if fuori:
            raise PianoNonValido(
                f"Il piano {piano_id} («{piano.titolo}», {piano.anni_label}) non comprende "
                f"{_elenco_anni(fuori)}."
            )
        return piano
    if not anni:
        raise NessunPiano("Nessun anno indicato: impossibile scegliere il piano.")
    candidati = list(piani_degli_anni(comune, anni))
    if len(candidati) == 1:
        return candidati[0]
    if not candidati:
        coperti = Piano.objects.filter(comune=comune).order_by("anno_inizio")
        if coperti:
            quali = "; ".join(descrivi(p) for p in coperti)
            raise NessunPiano(
                f"{comune}: nessun piano comprende {_elenco_anni(anni)} (piani: {quali})."
            )
        raise NessunPiano(f"{comune}: non c'è ancora nessun piano.")
    elenco = "; ".join(descrivi(p) for p in candidati)
    coda = f": {come_scegliere}" if come_scegliere else ""
    raise PianoAmbiguo(
        f"{comune}: più piani comprendono {_elenco_anni(anni)} ({elenco}){coda}.",
        candidati,
        anni,
    )


def piano_dell_anno(comune, anno: int, piano_id: int | None = None, **kwargs) -> Piano:
    """``piano_degli_anni`` for one year."""
    return piano_degli_anni(comune, [anno], piano_id, **kwargs)


PER_COMANDO = "indica quale con --piano ID"


def piano_per_comando(comune, anni: Iterable[int], piano_id: int | None = None) -> Piano:
    """The rule for a management command: refused with a CommandError (exit status 2)."""
    from django.core.management.base import CommandError

    try:
        return piano_degli_anni(comune, anni, piano_id, come_scegliere=PER_COMANDO)
    except SceltaPiano as exc:
        raise CommandError(str(exc), returncode=2) from exc
