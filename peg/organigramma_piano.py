"""The organigramma of a piano: each settore's codice, name, materie and responsabili as
they were when the piano was approved, so that a later reorganisation (a settore renamed
or merged, a new responsabile) never rewrites an old print or publication.

When: the first time the piano leaves the bozza (the giunta's delibera, ``Approva il
piano``, or any later state set in the admin or by the demo), ``fissa_organigramma``
photographs every settore of the comune not yet photographed (``SettoreDelPiano``); a
piano brought back to bozza forgets its photograph and takes a new one at its next
approval. Piani approved before the photograph existed got it from the values of the day
of the migration (``riempi_piani_approvati``, migration ``peg.0009``).

Reading: before approval a piano shows the settori as they are now; after it, the
photograph, and the settori it does not hold (created after the approval) as they are.
``organigramma_del_piano`` gives every settore's values; ``come_nel_piano`` lays the
photograph over settori already loaded (the prints: one query, none for a bozza).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

BOZZA = "bozza"  # Piano.Stato.BOZZA: also for the historical models of the migration
CAMPI = ("codice", "nome", "descrizione", "responsabili_testo")
# Set on a settore instance that carries a piano's photograph: it must not be saved.
ATTRIBUTO = "voce_del_piano"


@dataclass(frozen=True)
class Voce:
    """A settore as a piano prints it."""

    codice: str
    nome: str
    descrizione: str
    responsabili_testo: str  # the printed responsabile ("" when the settore has none)
    responsabili: str  # the linked persone's names, joined by ", "
    fissata: bool  # from the piano's photograph; False: the settore as it is now

    @property
    def responsabile(self) -> str:
        """What the prints show as responsabile: the printed text, else the names."""
        return self.responsabili_testo or self.responsabili

    @property
    def etichetta(self) -> str:
        return f"{self.codice} - {self.nome}" if self.codice else self.nome


def approvato(piano) -> bool:
    return piano.stato != BOZZA


def fotografia(piano) -> dict[int, Voce]:
    """{settore id: Voce} of the piano's photograph: one query, none for a bozza."""
    if not approvato(piano) or piano.pk is None:
        return {}
    from .models import SettoreDelPiano

    righe = SettoreDelPiano.objects.filter(piano_id=piano.pk).values_list(
        "settore_id", *CAMPI, "responsabili"
    )
    return {settore_id: Voce(*valori, fissata=True) for settore_id, *valori in righe}


def fotografie(piani_ids) -> dict[tuple[int, int], Voce]:
    """{(piano id, settore id): Voce} of the photographs of several piani (those out of
    bozza): one query."""
    from .models import SettoreDelPiano

    righe = (
        SettoreDelPiano.objects.filter(piano_id__in=piani_ids)
        .exclude(piano__stato=BOZZA)
        .values_list("piano_id", "settore_id", *CAMPI, "responsabili")
    )
    return {(p, s): Voce(*valori, fissata=True) for p, s, *valori in righe}


def come_nelle_schede(schede, voci: dict[tuple[int, int], Voce] | None = None) -> None:
    """``come_nel_piano`` for schede already loaded with their settore, of any piani:
    each ``scheda.settore`` as the scheda's piano photographed it. One query (none
    without schede, or given the ``fotografie`` already read)."""
    schede = list(schede)
    if not schede:
        return
    if voci is None:
        voci = fotografie({o.piano_id for o in schede})
    for o in schede:
        if (voce := voci.get((o.piano_id, o.settore_id))) is not None:
            _metti(o.settore, voce)


def organigramma_del_piano(piano) -> dict[int, Voce]:
    """Every settore of the piano's comune as the piano shows it, by settore id: the
    photograph once approved, the settori as they are for a bozza and for those the
    photograph does not hold. Three queries at most, whatever the number of settori."""
    from .models import Settore

    voci = fotografia(piano)
    correnti = Settore.objects.filter(comune_id=piano.comune_id).exclude(pk__in=list(voci))
    valori = list(correnti.values_list("pk", *CAMPI))
    nomi = nomi_responsabili(Settore, [v[0] for v in valori])
    for pk, *campi in valori:
        voci[pk] = Voce(*campi, responsabili=nomi.get(pk, ""), fissata=False)
    return voci


def come_nel_piano(piano, settori) -> dict[int, Voce]:
    """Lays the piano's photograph over ``settori`` (instances already loaded for a print,
    never saved afterwards): codice, nome, descrizione and responsabili_testo become the
    values at approval, and ``voce_del_piano`` the Voce (with the linked names). Settori
    outside the photograph, and all of a bozza's, stay as they are. One query (none for
    a bozza); returns the photograph."""
    voci = fotografia(piano)
    if voci:
        for settore in settori:
            applica(settore, voci)
    return voci


def applica(settore, voci: dict[int, Voce]) -> None:
    """The settore instance with its Voce of ``voci`` (if there is one) laid over it."""
    if (voce := voci.get(settore.pk)) is not None:
        _metti(settore, voce)


def _metti(settore, voce: Voce) -> None:
    for campo in CAMPI:
        setattr(settore, campo, getattr(voce, campo))
    setattr(settore, ATTRIBUTO, voce)


def responsabili_di(settore, correnti) -> str:
    """The linked responsabili's names of a settore as its piano shows them: the
    photograph's when the settore carries one, else ``correnti()`` (the live names)."""
    voce = getattr(settore, ATTRIBUTO, None)
    return voce.responsabili if voce is not None else correnti()


# -- Fixing ----------------------------------------------------------------------------


def fissa_organigramma(piano) -> int:
    """Photographs the settori of an approved piano's comune it does not hold yet (all
    of them at the approval). Nothing for a bozza. Returns how many were fixed."""
    from .models import Settore, SettoreDelPiano

    if not approvato(piano):
        return 0
    return _fissa(piano, Settore, SettoreDelPiano)


def dimentica_organigramma(piano) -> None:
    """A piano brought back to bozza shows the settori as they are again."""
    from .models import SettoreDelPiano

    SettoreDelPiano.objects.filter(piano_id=piano.pk).delete()


def riempi_piani_approvati(Piano, Settore, SettoreDelPiano) -> int:  # noqa: N803 - models
    """The data migration: every piano already past the bozza gets its photograph from
    today's values (the best there is: the earlier ones were not kept). Takes the
    models, the migration's historical ones. Returns how many rows were written."""
    scritte = 0
    for piano in Piano.objects.exclude(stato=BOZZA).order_by("pk"):
        scritte += _fissa(piano, Settore, SettoreDelPiano)
    return scritte


def _fissa(piano, Settore, SettoreDelPiano) -> int:  # noqa: N803 - models
    gia = SettoreDelPiano.objects.filter(piano_id=piano.pk).values("settore_id")
    valori = list(
        Settore.objects.filter(comune_id=piano.comune_id)
        .exclude(pk__in=gia)
        .order_by("pk")
        .values_list("pk", *CAMPI)
    )
    if not valori:
        return 0
    nomi = nomi_responsabili(Settore, [v[0] for v in valori])
    righe = [
        SettoreDelPiano(
            piano_id=piano.pk,
            settore_id=pk,
            **dict(zip(CAMPI, campi, strict=True)),
            responsabili=nomi.get(pk, ""),
        )
        for pk, *campi in valori
    ]
    with transaction.atomic():
        # A concurrent save of the same piano may have fixed some: those stay as fixed.
        SettoreDelPiano.objects.bulk_create(righe, ignore_conflicts=True)
    return len(righe)


def nomi_responsabili(Settore, ids) -> dict[int, str]:  # noqa: N803 - model
    """{settore id: the linked responsabili's names, in name order, joined by ", "}: one
    query (none without ids)."""
    if not ids:
        return {}
    legami = Settore.responsabili.through.objects.filter(settore_id__in=ids)
    nomi: dict[int, list[str]] = {}
    for settore_id, nome in legami.values_list("settore_id", "persona__nome").order_by(
        "settore_id", "persona__nome"
    ):
        nomi.setdefault(settore_id, []).append(nome)
    return {pk: ", ".join(v) for pk, v in nomi.items()}


# -- Signals (connected in ``peg.apps``) -------------------------------------------------


def piano_salvato(sender, instance, created, raw=False, **kwargs) -> None:
    """The first save out of bozza photographs the organigramma; a save in bozza (brought
    back from an approval) forgets it. A later save of the approved piano changes
    nothing: the photograph is the approval's."""
    if raw:  # a restore (loaddata) brings its own rows
        return
    from .models import SettoreDelPiano

    if not approvato(instance):
        if not created:
            dimentica_organigramma(instance)
    elif created or not SettoreDelPiano.objects.filter(piano_id=instance.pk).exists():
        fissa_organigramma(instance)


def settore_da_salvare(sender, instance, raw=False, **kwargs) -> None:
    """A settore carrying a piano's photograph (a print's) would write the old values
    over the current ones."""
    if getattr(instance, ATTRIBUTO, None) is not None:
        raise ValueError(
            f"Il settore «{instance.nome}» porta i valori fissati da un piano: "
            "non si salva, va riletto dal database."
        )
