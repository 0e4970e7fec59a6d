"""What a real run of the premi replaces, and when it may not run at all.

- **In force**: the distributions with ``attiva`` True are the payroll's and the art. 20
  tables'. A run supersedes (``attiva`` False, kept as the record) the fondo unico in
  force and, per category, the category's own; the fondo unico replaces everything.
- **Nobody loses a premio in silence**: the confirmation lists every distribution that
  goes out of force, with how many persons, and who is not in the new run. A run that
  would take a fondo unico out of force while some of its persons are not redistributed
  (one category after the SMVP switched to a fondo per categoria; a category without a
  fondo) is refused: the fondo unico's persons would be left without a premio.
- **Vincoli**: the apps above register at startup a check the real run asks first
  (``registra_vincolo``: a callable ``smvp → reason or None``). ``trasparenza``
  registers one: a run is refused while the year's premi tables are published, since
  they read the distribution in force (this app never imports ``trasparenza``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q

from .fondi import Fondo, PremiNonDistribuibili
from .models import Distribuzione, Smvp

Vincolo = Callable[[Smvp], "str | None"]
VINCOLI: list[Vincolo] = []


def registra_vincolo(vincolo: Vincolo) -> None:
    """Called by an app's ``ready`` (once per callable, however often ready runs)."""
    if vincolo not in VINCOLI:
        VINCOLI.append(vincolo)


def verifica_vincoli(smvp: Smvp) -> None:
    for vincolo in VINCOLI:
        motivo = vincolo(smvp)
        if motivo:
            raise PremiNonDistribuibili(motivo)


def in_vigore(smvp: Smvp) -> list[Distribuzione]:
    """The distributions in force (the payroll's), with their quote and persons."""
    return list(
        Distribuzione.objects.filter(smvp=smvp, attiva=True)
        .select_related("categoria", "eseguita_da")
        .prefetch_related(
            "quote__scheda__persona", "quote__scheda__categoria", "quote__scheda__settore"
        )
        .order_by("categoria__ordine", "pk")
    )


def _sostituita(d: Distribuzione, elenco: list[Fondo]) -> bool:
    """The rule of ``sostituisci``: the fondo unico goes with any run; a category's with
    a run of the fondo unico or of the same category."""
    return any(f.categoria is None or d.categoria_id in (None, f.categoria.pk) for f in elenco)


@dataclass
class Sostituita:
    distribuzione: Distribuzione
    persone: int
    perdono: list[str] = field(default_factory=list)  # names not in the new run

    @property
    def nome(self) -> str:
        d = self.distribuzione
        return d.categoria.nome if d.categoria else "fondo unico"


def da_sostituire(smvp: Smvp, elenco: list[Fondo], distribuzioni=None) -> list[Sostituita]:
    """The distributions in force that a run of ``elenco`` takes out of force."""
    nuove = {s.pk for f in elenco for s in f.schede}
    distribuzioni = in_vigore(smvp) if distribuzioni is None else distribuzioni
    return [
        Sostituita(
            d,
            len(d.quote.all()),
            sorted(q.scheda.persona.nome for q in d.quote.all() if q.scheda_id not in nuove),
        )
        for d in distribuzioni
        if _sostituita(d, elenco)
    ]


def motivo_perdita(sostituite: list[Sostituita], categoria) -> str | None:
    """Why the run may not go: a fondo unico out of force with persons not redistributed."""
    unico = next((s for s in sostituite if s.distribuzione.categoria is None and s.perdono), None)
    if unico is None:
        return None
    chi = f"{len(unico.perdono)} persone ({', '.join(unico.perdono)})"
    if categoria is not None:
        rimedio = (
            "distribuisci tutte le categorie insieme (senza --categoria), nella pagina con "
            "«Tutti i fondi»"
        )
    else:
        rimedio = "indica il fondo delle categorie che non lo hanno, poi distribuisci"
    return (
        f"La distribuzione{f' della sola categoria «{categoria.nome}»' if categoria else ''} "
        f"ritirerebbe il fondo unico in vigore, che comprende anche {chi} che ora non "
        f"ricevono un premio: resterebbero senza. Per sostituirlo {rimedio}."
    )


def sostituisci(smvp: Smvp, fondo: Fondo) -> None:
    """Take out of force what ``fondo``'s run replaces (the rule of ``_sostituita``)."""
    attive = Distribuzione.objects.filter(smvp=smvp, attiva=True)
    if fondo.categoria is not None:
        attive = attive.filter(Q(categoria=fondo.categoria) | Q(categoria__isnull=True))
    attive.update(attiva=False)
