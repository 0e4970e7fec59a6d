"""Live previews while typing (htmx): weight sums, graduazione readings, scores.

Everything here reads the forms as posted and saves nothing.
"""

from dataclasses import dataclass
from decimal import Decimal

from django import forms

from indicators.engine.graduation import GraduationSyntaxError, parse
from indicators.engine.scoring import Sistema, punteggio_obiettivo
from indicators.engine.weights import VerificaPesi, verifica_pesi
from indicators.models import Rilevazione
from peg.forms import DecimaleItaliano

_DECIMALE = DecimaleItaliano(required=False)


@dataclass
class Lettura:
    testo: str
    ok: bool


def _decimale(testo) -> Decimal | None:
    try:
        return _DECIMALE.clean(testo)
    except forms.ValidationError:
        return None


def righe_vive(formset) -> list:
    """The rows that will exist after saving: stored ones not marked for deletion, new ones typed."""
    vive = []
    for form in formset.forms:
        if "DELETE" in form.fields and form["DELETE"].data:
            continue
        if form.instance.pk is None and not (form.is_bound and form.has_changed()):
            continue
        vive.append(form)
    return vive


def pesi(formset) -> VerificaPesi:
    return verifica_pesi(_decimale(f["peso"].value()) for f in righe_vive(formset))


def lettura(testo: str, sistema: Sistema) -> Lettura:
    """The graduazione read back in canonical Italian, or the parser's error."""
    if not (testo or "").strip():
        return Lettura(
            f"Nessuna graduazione: si applica quella del piano ({sistema.predefinita.describe().rstrip('.')}).",
            True,
        )
    try:
        regola = parse(testo)
    except (GraduationSyntaxError, ValueError) as exc:
        return Lettura(f"Graduazione non leggibile: {exc}", False)
    avvisi = "".join(f" Attenzione: {avviso}." for avviso in regola.avvisi)
    return Lettura(regola.describe() + avvisi, True)


def letture(formset, sistema: Sistema) -> None:
    """Set ``form.lettura`` on every row of a formset with a graduazione."""
    for form in formset.forms:
        form.lettura = lettura(form["graduazione"].value(), sistema)


def rilevazioni_in_prova(form) -> list[Rilevazione]:
    """The rilevazioni of a RilevazioniForm as typed (unsaved), falling back to the stored ones
    for a value that does not validate."""
    esistenti = {r.tipo: r for r in form.indicatore.rilevazioni.all()}
    if not form.is_valid():
        return list(esistenti.values())
    prova = []
    for tipo in ("intermedia", "finale"):
        valore = form.cleaned_data.get(f"{tipo}_valore")
        data = form.cleaned_data.get(f"{tipo}_data")
        if valore is None and data is None:
            continue
        prova.append(Rilevazione(indicatore=form.indicatore, tipo=tipo, valore=valore, data=data))
    prima = esistenti.get("prima")
    return [*prova, prima] if prima else prova


def punteggi_in_prova(obiettivo, moduli):
    """Scores of the scheda as typed on the rendicontazione page (nothing saved).

    Typed fase values go on the (prefetched) instances the scoring reads."""
    for form in moduli.indicatori:
        form.indicatore.figli = {"rilevazioni": rilevazioni_in_prova(form)}
    for form in moduli.fasi:
        _valori_in_prova(form)
    return punteggio_obiettivo(obiettivo, Sistema.del_piano(obiettivo.piano))


def _valori_in_prova(form) -> None:
    """Field by field, without the model's constraint checks (each one a query): a value
    that does not validate leaves the stored one."""
    for nome, campo in form.fields.items():
        try:
            setattr(form.instance, nome, campo.clean(form[nome].data))
        except forms.ValidationError:
            continue
