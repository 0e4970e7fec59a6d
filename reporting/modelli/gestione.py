"""The segreteria's choices for a piano and its comune's models, as the pages show them:
which model each use prints with and in which version, what a choice posted means,
moving an approved piano to a copy's latest version (see docs/stampe.md)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import OuterRef, Subquery

from indicators.engine.formatting import breve
from peg.parametri import intero

from .copie import dati_attuali
from .modulo import differenze, normalizza, senza_sezioni_ignote
from .predefiniti import PREDEFINITI, PREDEFINITO_PER_USO, dati_predefiniti
from .scelta import USI, fissa_versioni, scegli
from .schema import ModelloNonValido


def modelli_del_comune(comune):
    """The comune's copies, each with ``ultima`` (its latest version) and ``usi`` (the
    piani printing with it), in two queries more."""
    from reporting.models import ModelloStampa, SceltaModello, VersioneModello

    modelli = list(ModelloStampa.objects.filter(comune=comune).order_by("nome", "pk"))
    # Only each copy's latest version, without its data (a logo can weigh 300 kB).
    numero_ultima = (
        VersioneModello.objects.filter(modello=OuterRef("modello"))
        .order_by("-numero")
        .values("numero")[:1]
    )
    ultime = {
        v.modello_id: v
        for v in VersioneModello.objects.filter(
            modello__in=modelli, numero=Subquery(numero_ultima)
        ).defer("dati")
    }
    usi: dict[int, list[str]] = {}
    scelte = SceltaModello.objects.filter(modello__in=modelli).select_related(
        "piano", "versione_fissata"
    )
    for sc in scelte.order_by("piano__anno_inizio", "piano_id", "uso"):
        fissata = f", versione {sc.versione_fissata.numero}" if sc.versione_fissata else ""
        usi.setdefault(sc.modello_id, []).append(
            f"{sc.piano.titolo} ({sc.get_uso_display().lower()}{fissata})"
        )
    for m in modelli:
        m.ultima = ultime.get(m.pk)
        m.usi = usi.get(m.pk, [])
        m.sorgente = f"modello:{m.pk}"  # what «Crea una copia» posts
        m.id_copia = f"copia-m{m.pk}"
    return modelli


def dati_correnti(modello) -> dict:
    """The latest version's model in explicit form (a copy never saved: its base)."""
    return carica(modello)[0]


def carica(modello) -> tuple[dict, list[str]]:
    """``dati_correnti`` and the warnings about sections the product no longer has."""
    ultima = modello.versioni.first()
    avvisi = senza_sezioni_ignote(ultima.dati)[1] if ultima else []
    return normalizza(dati_attuali(modello, ultima)), avvisi


@dataclass
class SceltaPiano:
    """One use of the piano as the page shows it."""

    uso: str
    etichetta: str
    valore: str  # the option selected: "predefinito:<chiave>" or "modello:<id>"
    nome: str
    stampata: object = None  # the version printed (fixed or latest), copies only
    fissata: bool = False
    ultima: object = None  # the copy's latest version, when newer than the fixed one
    cambi: tuple[str, ...] = ()  # what moving to ``ultima`` changes


def scelte_del_piano(piano) -> list[SceltaPiano]:
    from reporting.models import SceltaModello, VersioneModello

    scelte = {
        s.uso: s
        for s in SceltaModello.objects.filter(piano=piano).select_related(
            "modello", "versione_fissata"
        )
    }
    elenco = []
    for uso, etichetta in SceltaModello.Uso.choices:
        scelta = scelte.get(uso)
        if scelta is None or scelta.modello_id is None:
            chiave = scelta.predefinito if scelta else PREDEFINITO_PER_USO[uso]
            nome = dati_predefiniti(chiave, uso)["nome"] + ("" if scelta else " (predefinito)")
            elenco.append(SceltaPiano(uso, etichetta, f"predefinito:{chiave}", nome))
            continue
        ultima = VersioneModello.objects.filter(modello_id=scelta.modello_id).first()
        voce = SceltaPiano(uso, etichetta, f"modello:{scelta.modello_id}", scelta.modello.nome)
        voce.stampata = scelta.versione_fissata or ultima
        voce.fissata = scelta.versione_fissata is not None
        if voce.fissata and ultima and ultima.numero > scelta.versione_fissata.numero:
            voce.ultima = ultima
            voce.cambi = tuple(differenze(scelta.versione_fissata.dati, ultima.dati))
        elenco.append(voce)
    return elenco


def opzioni(comune) -> list[tuple[str, str]]:
    """(value, label) of every model the comune's piani may print with."""
    valori = [(f"predefinito:{chiave}", nome) for chiave, nome in _predefiniti()]
    for m in modelli_del_comune(comune):
        versione = f" (versione {m.ultima.numero})" if m.ultima else ""
        valori.append((f"modello:{m.pk}", f"{m.nome}{versione}"))
    return valori


def _predefiniti():
    return [(chiave, dati["nome"]) for chiave, dati in PREDEFINITI.items()]


def cambia_scelta(piano, uso: str, valore: str) -> str:
    """The piano prints ``uso`` with the model ``valore`` (an option of ``opzioni``);
    returns what happened in Italian, "" if it already did. ModelloNonValido if the
    posted values are not a use and a model of this comune."""
    from reporting.models import ModelloStampa

    if uso not in USI:
        raise ModelloNonValido("Scegliere per quale stampa cambiare il modello.")
    attuale = next(s for s in scelte_del_piano(piano) if s.uso == uso)
    if valore == attuale.valore:
        return ""
    tipo, _, chiave = (valore or "").partition(":")
    if tipo == "predefinito" and chiave in PREDEFINITI:
        scegli(piano, uso, predefinito=chiave)
        nome = PREDEFINITI[chiave]["nome"]
    elif tipo == "modello" and intero(chiave) is not None:
        modello = ModelloStampa.objects.filter(comune_id=piano.comune_id, pk=intero(chiave)).first()
        if modello is None:
            raise ModelloNonValido("Il modello scelto non è tra quelli del comune.")
        scegli(piano, uso, modello=modello)
        nome = modello.nome
    else:
        raise ModelloNonValido("Scegliere uno dei modelli elencati.")
    return f"{attuale.etichetta}: ora con «{nome}»."


def aggiorna_versione(piano, uso: str) -> str:
    """An approved piano moves ``uso`` to its copy's latest version (asked explicitly,
    after a confirmation saying what changes). Returns what happened, in Italian."""
    from reporting.models import SceltaModello, VersioneModello

    with transaction.atomic():
        scelta = (
            SceltaModello.objects.select_for_update()
            .filter(piano=piano, uso=uso, modello__isnull=False, versione_fissata__isnull=False)
            .select_related("modello", "versione_fissata")
            .first()
        )
        if scelta is None:
            raise ModelloNonValido("Questa stampa non ha una versione fissata da aggiornare.")
        ultima = VersioneModello.objects.filter(modello_id=scelta.modello_id).first()
        if ultima.numero == scelta.versione_fissata.numero:
            return ""
        prima = scelta.versione_fissata.numero
        scelta.versione_fissata = ultima
        scelta.save(update_fields=["versione_fissata"])
    return (
        f"{scelta.get_uso_display()}: «{scelta.modello.nome}» passa dalla versione {prima} "
        f"alla versione {ultima.numero}."
    )


def copia_da(comune, da: str, nome: str, utente):
    """A copy named ``nome`` of the model ``da`` ("predefinito:<chiave>" or
    "modello:<id>" of this comune). ModelloNonValido says why not."""
    from reporting.models import ModelloStampa

    from .copie import copia

    tipo, _, chiave = (da or "").partition(":")
    if tipo == "modello" and intero(chiave) is not None:
        origine = ModelloStampa.objects.filter(comune=comune, pk=intero(chiave)).first()
        if origine is None:
            raise ModelloNonValido("Il modello da copiare non è tra quelli del comune.")
        return copia(comune, nome, da_modello=origine, utente=utente)
    if tipo == "predefinito" and chiave in PREDEFINITI:
        return copia(comune, nome, da_predefinito=chiave, utente=utente)
    raise ModelloNonValido("Scegliere il modello da copiare.")


def schede_per_anteprima(obiettivi) -> list[tuple[str, list[tuple[int, str]]]]:
    """The schede a preview may print, by piano (newest first): (piano, [(id, label)])."""
    righe = obiettivi.select_related("piano").order_by(
        "-piano__anno_inizio", "piano_id", "anno", "settore__codice", "codice_ordinabile", "pk"
    )
    gruppi: dict[int, tuple[str, list]] = {}
    for o in righe:
        gruppo = gruppi.setdefault(o.piano_id, (o.piano.titolo, []))
        gruppo[1].append((o.pk, f"{o.codice} ({o.anno}) · {breve(o.denominazione, 80)}"))
    return list(gruppi.values())


__all__ = [
    "aggiorna_versione",
    "cambia_scelta",
    "copia_da",
    "dati_correnti",
    "fissa_versioni",
    "modelli_del_comune",
    "opzioni",
    "scelte_del_piano",
    "schede_per_anteprima",
]
