"""Which fondi a run divides and among which schede, as the SMVP says (see
``individuale.premi`` for the whole rule), and the inputs read the Italian way: an
amount («10.000,00», «10000.00»), a category by name or id, the fasce."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from indicators.engine.formatting import numero_compatto
from peg.forms import normalizza_numero
from peg.parametri import intero

from . import distribuzione as calcolo
from .models import Categoria, SchedaIndividuale, Smvp

MASSIMO = Decimal("9999999999.99")  # Distribuzione.fondo: 12 digits, 2 decimals


class PremiNonDistribuibili(Exception):
    """Why the premi cannot be distributed (or simulated) as asked, in Italian."""


@dataclass
class Fondo:
    categoria: Categoria | None  # None: the fondo unico
    importo: Decimal
    schede: list[SchedaIndividuale]

    @property
    def nome(self) -> str:
        return self.categoria.nome if self.categoria else "Fondo unico"


def leggi_euro(testo: str) -> Decimal:
    """«10.000,00», «10000.00», «€ 10.000» → Decimal; else PremiNonDistribuibili."""
    try:
        valore = Decimal(normalizza_numero(str(testo)))
    except InvalidOperation:
        valore = None
    if valore is None or not valore.is_finite() or valore < 0 or valore > MASSIMO:
        raise PremiNonDistribuibili(
            f"«{testo}» non è un importo valido: scrivilo come 10.000,00 (euro, non negativo)."
        )
    if valore != valore.quantize(calcolo.CENT):
        raise PremiNonDistribuibili(f"«{testo}»: un importo ha al più due decimali (i centesimi).")
    return valore.quantize(calcolo.CENT)


def categoria_di(smvp: Smvp, testo: str) -> Categoria:
    """A category of the SMVP by name (case aside) or id."""
    testo = str(testo).strip()
    for c in smvp.categorie.all():
        if c.nome.lower() == testo.lower() or intero(testo) == c.pk:
            return c
    nomi = ", ".join(f"«{c.nome}»" for c in smvp.categorie.all()) or "nessuna"
    raise PremiNonDistribuibili(
        f"Il sistema {smvp.anno} non ha la categoria «{testo}». Categorie: {nomi}."
    )


def fasce_di(smvp: Smvp) -> list[tuple[Decimal, Decimal]]:
    return [(f.da, f.percentuale) for f in smvp.fasce.all()]


def descrivi_fascia(punteggio: Decimal, fasce) -> str:
    """«fascia ≥ 90 (100%)»; «nessuna fascia (0%)» below every one."""
    trovata = calcolo.fascia(punteggio, fasce)
    if trovata is None:
        return "nessuna fascia (0%)"
    da, p = trovata
    return f"fascia ≥ {numero_compatto(da)} ({numero_compatto(p)}%)"


def _schede(smvp: Smvp, categoria: Categoria | None) -> list[SchedaIndividuale]:
    schede = SchedaIndividuale.objects.filter(smvp=smvp).select_related(
        "persona", "categoria", "settore", "smvp"
    )
    if categoria is not None:
        schede = schede.filter(categoria=categoria)
    return list(schede.order_by("categoria__ordine", "persona__nome", "pk"))


def fondi(smvp: Smvp, categoria: Categoria | None = None, importo: Decimal | None = None):
    """(the fondi to divide, warnings) as the SMVP says (see the module's docstring)."""
    avvisi: list[str] = []
    if smvp.fondi == Smvp.Fondi.UNICO:
        if categoria is not None:
            raise PremiNonDistribuibili(
                f"Il sistema {smvp.anno} ha un fondo unico per tutte le categorie: non si "
                "distribuisce per categoria (togli la categoria)."
            )
        totale = importo if importo is not None else smvp.fondo_unico
        if totale is None:
            raise PremiNonDistribuibili(
                f"Il fondo unico del {smvp.anno} non è indicato: scrivilo nel sistema di "
                "valutazione o indica l'importo."
            )
        elenco = [Fondo(None, totale, _schede(smvp, None))]
    else:
        if importo is not None and categoria is None:
            raise PremiNonDistribuibili(
                "Il sistema ha un fondo per ogni categoria: un importo diverso si indica "
                "insieme alla categoria."
            )
        elenco = []
        for c in [categoria] if categoria else list(smvp.categorie.all()):
            schede = _schede(smvp, c)
            if categoria is None and not schede:
                continue
            totale = importo if importo is not None else c.fondo
            if totale is None:
                if categoria is not None:
                    raise PremiNonDistribuibili(
                        f"Il fondo della categoria «{c.nome}» non è indicato: scrivilo nel "
                        "sistema di valutazione o indica l'importo."
                    )
                avvisi.append(
                    f"«{c.nome}»: il fondo non è indicato, la categoria non è distribuita."
                )
                continue
            elenco.append(Fondo(c, totale, schede))
    vuoti = [f.nome for f in elenco if not f.schede]
    if vuoti or not elenco:
        raise PremiNonDistribuibili(
            f"Nessuna scheda di valutazione del {smvp.anno} per: {', '.join(vuoti)}."
            if vuoti
            else f"Nessun fondo da distribuire per il {smvp.anno}: {' '.join(avvisi)}".strip()
        )
    return elenco, avvisi
