"""Outcomes of valore pubblico (sottosezione 2.1): the form of one outcome with its
impact indicators, and saving it. The page edits the links to one year's schede: the
links to the other years' schede stay as they were."""

from django import forms
from django.db import transaction

from peg.forms import campo_italiano

from .models import IndicatoreImpatto, Outcome


class OutcomeForm(forms.ModelForm):
    obiettivi_anno = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        label="Obiettivi che contribuiscono",
    )

    class Meta:
        model = Outcome
        fields = ["titolo", "descrizione", "ordine"]
        formfield_callback = campo_italiano

    def __init__(self, *args, schede, anno: int, **kwargs):
        super().__init__(*args, **kwargs)
        campo = self.fields["obiettivi_anno"]
        campo.queryset = schede
        campo.label = f"Obiettivi del {anno} che contribuiscono"
        campo.label_from_instance = lambda o: f"{o.codice} – {o.denominazione[:120]}"
        if self.instance.pk:
            self.initial["obiettivi_anno"] = [
                o.pk for o in self.instance.obiettivi.filter(anno=anno)
            ]


IndicatoriFormSet = forms.inlineformset_factory(
    Outcome,
    IndicatoreImpatto,
    fields=["descrizione", "baseline", "target", "unita"],
    formfield_callback=campo_italiano,
    extra=2,
    can_delete=True,
)


def moduli(dati, piano, anno: int, schede, outcome=None):
    outcome = outcome or Outcome(piano=piano)
    form = OutcomeForm(dati, instance=outcome, schede=schede, anno=anno)
    formset = IndicatoriFormSet(dati, instance=outcome, prefix="indicatori")
    return form, formset


@transaction.atomic
def salva(form, formset, anno: int) -> Outcome:
    outcome = form.save()
    altri_anni = list(outcome.obiettivi.exclude(anno=anno))
    outcome.obiettivi.set(altri_anni + list(form.cleaned_data["obiettivi_anno"]))
    formset.instance = outcome
    formset.save()
    return outcome
