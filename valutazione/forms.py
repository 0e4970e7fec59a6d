"""The OIV's validation form: an optional different score (with its motivazione) for the
obiettivo and for each indicatore, and a note."""

from django import forms

from indicators.engine.formatting import CENTO, ZERO
from peg import parametri
from peg.forms import DecimaleItaliano

from .nucleo import descrivi
from .review import Rettifica


def _punteggio(label: str) -> DecimaleItaliano:
    return DecimaleItaliano(
        label=label,
        required=False,
        min_value=ZERO,
        max_value=CENTO,
        max_digits=5,
        decimal_places=2,
        help_text="Vuoto: vale il punteggio calcolato.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 7}),
    )


def _motivazione(label: str) -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": 2}))


def campo_versione() -> forms.IntegerField:
    """The scheda's versione the page showed: a decision on figures that changed since is
    refused (objectives.modifiche)."""
    return forms.IntegerField(widget=forms.HiddenInput, required=False)


class SceltaSeduta(forms.ModelChoiceField):
    def label_from_instance(self, seduta):
        return descrivi(seduta)


def campo_seduta(sedute, obbligatoria: bool = True) -> SceltaSeduta:
    """The seduta of the decision among ``sedute`` (the comune's open ones, latest
    first), the latest preselected. Required when there is one (``review.verifica_seduta``
    says why); without any the field is absent (``ConSeduta``)."""
    prima = sedute.first()
    return SceltaSeduta(
        queryset=sedute,
        label="Seduta del nucleo",
        required=obbligatoria,
        initial=prima.pk if prima else None,
        empty_label=None,
        error_messages={
            "required": "Indica la seduta del nucleo in cui è presa la decisione.",
            "invalid_choice": "La seduta scelta non è più aperta: scegline un'altra.",
        },
    )


class ConSeduta:
    """Adds the ``seduta`` field when the comune has open sedute (``sedute``)."""

    def aggiungi_seduta(self, sedute) -> None:
        if sedute is not None and sedute.exists():
            self.fields["seduta"] = campo_seduta(sedute)

    def seduta_scelta(self):
        return self.cleaned_data.get("seduta")


class ValidazioneForm(ConSeduta, forms.Form):
    """Fields ``punteggio``/``motivazione`` for the obiettivo, ``ind-<id>-…`` per indicatore."""

    versione = campo_versione()

    def __init__(self, *args, indicatori, esito, dettagli, sedute=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.aggiungi_seduta(sedute)
        self.indicatori = list(indicatori)
        self.fields["punteggio"] = _punteggio("Punteggio validato dell'obiettivo (%)")
        self.fields["motivazione"] = _motivazione("Motivazione del punteggio dell'obiettivo")
        self.esito = esito
        self.righe = []
        for indicatore in self.indicatori:
            chiave = f"ind-{indicatore.pk}"
            self.fields[f"{chiave}-punteggio"] = _punteggio(
                f"Punteggio validato dell'indicatore {indicatore.numero} (%)"
            )
            self.fields[f"{chiave}-motivazione"] = _motivazione(
                f"Motivazione per l'indicatore {indicatore.numero}"
            )
            self.righe.append((indicatore, dettagli["indicatori"][indicatore.pk], chiave))
        self.fields["note"] = forms.CharField(
            label="Note dell'OIV (facoltative)",
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
        )

    def voci(self):
        """(label, computed esito, punteggio field, motivazione field): obiettivo first."""
        yield ("L'obiettivo nel suo insieme", self.esito, self["punteggio"], self["motivazione"])
        for indicatore, esito, chiave in self.righe:
            etichetta = f"Indicatore {indicatore.numero}: {indicatore.denominazione[:80]}"
            yield (etichetta, esito, self[f"{chiave}-punteggio"], self[f"{chiave}-motivazione"])

    def clean(self):
        dati = super().clean()

        def diverso(valore, esito):
            return valore is not None and not (esito.calcolato and esito.punteggio == valore)

        righe = [(f"{c}-punteggio", f"{c}-motivazione", esito) for _, esito, c in self.righe]
        # With indicatori rescored the obiettivo's own figure is always a decision to justify.
        cambiati = any(diverso(dati.get(p), e) for p, _, e in righe)
        for punteggio, motivazione, esito in [("punteggio", "motivazione", self.esito), *righe]:
            valore = dati.get(punteggio)
            cambiato = diverso(valore, esito) or (
                punteggio == "punteggio" and valore is not None and cambiati
            )
            if cambiato and not (dati.get(motivazione) or "").strip():
                self.add_error(
                    motivazione,
                    f"Il punteggio {esito.testo} calcolato è stato cambiato: scrivi la motivazione.",
                )
        return dati

    def rettifiche(self) -> list[Rettifica]:
        dati = self.cleaned_data
        risultato = []
        if dati.get("punteggio") is not None:
            risultato.append(Rettifica(None, dati["punteggio"], dati.get("motivazione", "")))
        for indicatore, _, chiave in self.righe:
            valore = dati.get(f"{chiave}-punteggio")
            if valore is not None:
                risultato.append(
                    Rettifica(indicatore.pk, valore, dati.get(f"{chiave}-motivazione", ""))
                )
        return risultato


class IntegrazioneForm(ConSeduta, forms.Form):
    versione = campo_versione()
    messaggio = forms.CharField(
        label="Che cosa deve integrare il responsabile",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Scrivi al responsabile che cosa deve integrare."},
    )

    def __init__(self, *args, sedute=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.aggiungi_seduta(sedute)


class CommentoForm(forms.Form):
    testo = forms.CharField(
        label="Il tuo commento",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Il commento è vuoto."},
    )


class BloccoForm(forms.Form):
    """The queue's «Valida le selezionate»: ``scelte`` (ids) with ``versione-<id>`` each
    (the one the page showed), and the seduta, required."""

    scelte = forms.TypedMultipleChoiceField(
        coerce=int,
        error_messages={"required": "Seleziona almeno una scheda da validare."},
    )

    def __init__(self, data, *, sedute, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["seduta"] = campo_seduta(sedute)
        self.fields["seduta"].error_messages["required"] = (
            "Indica la seduta del nucleo in cui si validano le schede."
        )
        # Only ASCII digits within a key's range (str.isdigit() also takes "²").
        ids = [v for v in data.getlist("scelte") if parametri.chiave(v) is not None]
        self.fields["scelte"].choices = [(parametri.chiave(v), v) for v in ids]

    def errori(self) -> list[str]:
        return [e for errori in self.errors.values() for e in errori]

    def clean(self):
        dati = super().clean()
        versioni = {}
        for pk in dati.get("scelte") or []:
            valore = parametri.intero(str(self.data.get(f"versione-{pk}", "")), 0, 10**9)
            if valore is None:
                raise forms.ValidationError(
                    "Manca la versione di una scheda selezionata: ricarica la coda."
                )
            versioni[pk] = valore
        dati["versioni"] = versioni
        return dati
