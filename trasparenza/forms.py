from django import forms
from django.utils import timezone

FORMATI_DATA = ["%Y-%m-%d", "%d/%m/%Y"]


class Data(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d", attrs={"class": "form-control"})


class PubblicaForm(forms.Form):
    data_pubblicazione = forms.DateField(
        label="Data di pubblicazione",
        input_formats=FORMATI_DATA,
        widget=Data(),
        initial=timezone.localdate,
        error_messages={
            "invalid": "Scrivi la data come 30/09/2019.",
            "required": "Indica la data.",
        },
    )
    delibera_numero = forms.CharField(
        label="Delibera n.",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        help_text="Gli estremi dell'atto che approva il documento (se c'è).",
    )
    delibera_data = forms.DateField(
        label="Delibera del",
        input_formats=FORMATI_DATA,
        widget=Data(),
        required=False,
        error_messages={"invalid": "Scrivi la data come 30/09/2019."},
    )

    def clean(self):
        dati = super().clean()
        if dati.get("delibera_numero", "").strip() and not dati.get("delibera_data"):
            if "delibera_data" not in self.errors:
                self.add_error("delibera_data", "Con il numero della delibera serve la sua data.")
        elif dati.get("delibera_data") and not dati.get("delibera_numero", "").strip():
            self.add_error("delibera_numero", "Con la data della delibera serve il suo numero.")
        return dati


class RitiraForm(forms.Form):
    motivo = forms.CharField(
        label="Motivo del ritiro",
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
        error_messages={"required": "Indica il motivo del ritiro: resta nello storico."},
    )

    def clean_motivo(self):
        motivo = self.cleaned_data["motivo"].strip()
        if not motivo:
            raise forms.ValidationError("Indica il motivo del ritiro: resta nello storico.")
        return motivo
