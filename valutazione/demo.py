"""The demo's Nucleo: one «Nucleo di valutazione (demo)» serving every demo comune (as
the demo ``oiv`` login does), with three clearly fictitious external members, the first
its presidente. Received from ``carica_demo`` (``objectives.demo_loader.demo_caricata``,
a lower layer) once comuni and users exist; idempotent: run again it adds only what is
missing (a comune loaded later, a member deleted)."""

from __future__ import annotations

from peg.models import Comune
from peg.storia import autore

from .models import Componente, Nucleo

NOME = "Nucleo di valutazione (demo)"
COMPONENTI = (
    # nome, qualifica, presidente
    ("Dott.ssa Ada Immaginaria", "Esperta esterna in valutazione (nome di fantasia)", True),
    ("Dott. Guido Ipotetico", "Esperto esterno in organizzazione (nome di fantasia)", False),
    ("Avv. Carla Inventata", "Esperta esterna in diritto amministrativo (nome di fantasia)", False),
)


def crea_nucleo_demo(sender=None, slugs=(), **kwargs) -> str:
    comuni = list(Comune.objects.filter(slug__in=list(slugs)))
    if not comuni:
        return ""
    with autore(None, "Dati dimostrativi: nucleo di valutazione"):
        nucleo, _ = Nucleo.objects.get_or_create(nome=NOME)
        nucleo.comuni.add(*comuni)
        for nome, qualifica, presidente in COMPONENTI:
            Componente.objects.get_or_create(
                nucleo=nucleo,
                nome=nome,
                defaults={"qualifica": qualifica, "esterno": True, "presidente": presidente},
            )
    return f"{NOME}: {len(COMPONENTI)} componenti esterni, serve {len(comuni)} comuni demo."
