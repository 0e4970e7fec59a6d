"""The forms of the Nucleo's pages: its name, a member, a seduta (the rules are in
``valutazione.nucleo``; these read and check what is typed)."""

from django import forms
from django.utils import timezone

from peg.access import utenti_del_comune
from peg.forms import TestoItaliano, campo_italiano

from .models import Componente, Nucleo


def _data(label: str, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": f"Indica la {label.lower()}.",
            "invalid": f"{label}: scrivi una data valida (aaaa-mm-gg).",
        },
    )


class NucleoForm(forms.ModelForm):
    formfield_callback = campo_italiano

    class Meta:
        model = Nucleo
        fields = ["nome"]
        error_messages = {"nome": {"required": "Scrivi la denominazione del nucleo."}}


class ComponenteForm(forms.ModelForm):
    """A member; ``utente``: one of the comune's accounts (optional)."""

    formfield_callback = campo_italiano
    dal = _data("In carica dal", required=False)
    al = _data("In carica fino al", required=False)

    class Meta:
        model = Componente
        fields = ["nome", "qualifica", "esterno", "presidente", "utente", "dal", "al"]
        error_messages = {"nome": {"required": "Scrivi nome e cognome del componente."}}

    def __init__(self, *args, comune, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["utente"].queryset = utenti_del_comune(comune).order_by("username")
        self.fields["utente"].required = False
        self.fields["utente"].label_from_instance = lambda u: (
            f"{u.get_full_name()} ({u.username})" if u.get_full_name() else u.username
        )
        for campo in self.fields.values():
            if not isinstance(campo.widget, forms.CheckboxInput):
                classe = "form-select" if isinstance(campo.widget, forms.Select) else "form-control"
                campo.widget.attrs.setdefault("class", classe)

    def clean(self):
        dati = super().clean()
        dal, al = dati.get("dal"), dati.get("al")
        if dal and al and al < dal:
            self.add_error("al", "La fine dell'incarico non può precedere l'inizio.")
        return dati


class SedutaForm(forms.Form):
    """Date, presenti (members in carica), ordine del giorno, verbale."""

    data = _data("Data della seduta")
    presenti = forms.ModelMultipleChoiceField(
        queryset=Componente.objects.none(),
        required=False,
        label="Componenti presenti",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Un presente scelto non è componente del nucleo."},
    )
    ordine_del_giorno = TestoItaliano(
        label="Ordine del giorno", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    verbale = TestoItaliano(
        label="Verbale", required=False, widget=forms.Textarea(attrs={"rows": 8})
    )

    def __init__(self, *args, nucleo, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("data", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["presenti"].queryset = nucleo.componenti.all()
