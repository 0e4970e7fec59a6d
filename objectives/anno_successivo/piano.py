"""Where next year's schede go: the piano of that year by the one rule
(``objectives.piano_anno``); when no piano covers it, a new piano in bozza made from
the old one (same tipo, same length, same measurement system and DUP tree).

Why create rather than refuse (docs/anno.md): a yearly PEG (Cinisello's PEG 2019) never
covers the next year, so "prepare 2020" would always begin with a piano built by hand in
the admin; the new piano is a bozza, like the schede, and the giunta approves it as
any other.
"""

from __future__ import annotations

import re

from django.dispatch import Signal

from peg.models import NodoDUP, Piano

from ..piano_anno import NessunPiano, piano_dell_anno

# Sent with ``origine`` and ``piano`` once a new piano is made from an old one: the
# layers above carry what is theirs (reporting: the print models chosen).
piano_preparato = Signal()

# Fields of a piano that belong to the old one's life, never carried to the new one.
NUOVI = {
    "stato": Piano.Stato.BOZZA,
    "delibera_numero": "",
    "delibera_data": None,
    "note": "",
    "note_trascrizione": "",
}


def piano_di_destinazione(comune, anno: int, destinazione_id: int | None = None):
    """The piano of ``anno`` (None: there is none yet, ``nuovo_piano`` will make it).
    Several: ``PianoAmbiguo`` with the candidates (the user chooses)."""
    try:
        return piano_dell_anno(comune, anno, destinazione_id)
    except NessunPiano:
        if destinazione_id is not None:
            raise
        return None


def anni_del_nuovo(origine: Piano, anno: int) -> tuple[int, int]:
    """A new piano starts at ``anno`` and lasts as long as ``origine`` (a yearly PEG a
    year, a triennial PIAO three)."""
    return anno, anno + origine.anno_fine - origine.anno_inizio


def titolo_del_nuovo(origine: Piano, anno: int) -> str:
    """The old title with its years moved: "PEG 2019 - …" → "PEG 2020 - …",
    "PDO 2019-2021" → "PDO 2022-2024"; a title without years gets them at the end."""
    inizio, fine = anni_del_nuovo(origine, anno)
    nuovi = str(inizio) if inizio == fine else f"{inizio}-{fine}"
    if origine.anni_label in origine.titolo:
        return origine.titolo.replace(origine.anni_label, nuovi)
    vecchio = re.compile(rf"(?<!\d){anno - 1}(?!\d)")
    if vecchio.search(origine.titolo):
        return vecchio.sub(str(anno), origine.titolo)
    return f"{origine.titolo} {nuovi}"


def nuovo_piano(origine: Piano, anno: int) -> Piano:
    """The new piano in bozza, saved, with a copy of ``origine``'s DUP tree."""
    campi = {
        f.attname: getattr(origine, f.attname)
        for f in Piano._meta.concrete_fields
        if not f.primary_key
    }
    piano = Piano(**campi)
    piano.anno_inizio, piano.anno_fine = anni_del_nuovo(origine, anno)
    piano.titolo = titolo_del_nuovo(origine, anno)
    for campo, valore in NUOVI.items():
        setattr(piano, campo, valore)
    piano.full_clean()
    piano.save()
    copia_dup(origine, piano)
    piano_preparato.send(sender=Piano, origine=origine, piano=piano)
    return piano


def copia_dup(origine: Piano, piano: Piano) -> None:
    """The DUP tree of ``origine`` into ``piano``, level by level (parents first)."""
    nodi = list(origine.nodi_dup.order_by("pk"))
    nuovi: dict[int, NodoDUP] = {}
    da_fare = nodi
    while da_fare:
        pronti = [n for n in da_fare if n.padre_id is None or n.padre_id in nuovi]
        if not pronti:  # a cycle cannot be saved; never leave the loop spinning
            break
        creati = NodoDUP.objects.bulk_create(
            NodoDUP(
                piano=piano,
                padre=nuovi.get(n.padre_id),
                livello=n.livello,
                codice=n.codice,
                denominazione=n.denominazione,
                missione_id=n.missione_id,
                programma_id=n.programma_id,
                ordine=n.ordine,
            )
            for n in pronti
        )
        for vecchio, nuovo in zip(pronti, creati, strict=True):
            nuovi[vecchio.pk] = nuovo
        da_fare = [n for n in da_fare if n.pk not in nuovi]


def nodi_per_codice(piano: Piano) -> dict[str, NodoDUP]:
    return {n.codice: n for n in piano.nodi_dup.all()}
