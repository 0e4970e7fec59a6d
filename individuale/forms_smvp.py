"""The forms of the SMVP pages: a new year, the general settings, a category with its
comportamenti, the fasce. Numbers the Italian way (``peg.forms``); the rules are
``individuale.smvp``'s, the forms only ask them and put the answer beside the field."""

from django import forms

from peg.forms import InteroItaliano, campo_italiano, intero
from peg.models import Persona

from . import smvp as regole
from .models import Categoria, Comportamento, Fascia, Smvp

# What a used SMVP keeps as its evaluations were made with.
BLOCCATI_CATEGORIA = regole.BLOCCATI_CATEGORIA


def con_stile(form) -> None:
    """Bootstrap Italia's classes on the widgets: the templates render ``{{ campo }}``."""
    for campo in form.fields.values():
        widget = campo.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
            continue
        if isinstance(widget, forms.CheckboxInput):
            classe = "form-check-input"
        elif isinstance(widget, forms.Select):
            classe = "form-select"
        else:
            classe = "form-control"
        widget.attrs["class"] = classe


class ConStile(forms.ModelForm):
    """The rows of the formsets, with the same classes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        con_stile(self)
        # In a table row the header names the column: the label says which row too.
        riga = (self.prefix or "").rsplit("-", 1)[-1]
        numero = int(riga) + 1 if riga.isdigit() else ""
        for campo in self.fields.values():
            campo.widget.attrs["aria-label"] = f"{campo.label}, riga {numero}"


class NuovoSmvpForm(forms.Form):
    anno = InteroItaliano(label="Anno", min_value=2000, max_value=2100, widget=intero())
    copia = forms.BooleanField(
        label="Copia categorie, comportamenti e fasce dall'ultimo sistema",
        required=False,
        initial=True,
    )

    def __init__(self, *args, comune, **kwargs):
        super().__init__(*args, **kwargs)
        self.comune = comune
        con_stile(self)

    def clean_anno(self):
        anno = self.cleaned_data["anno"]
        try:
            regole.verifica_anno(self.comune, anno)
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc
        return anno


class ImpostazioniForm(forms.ModelForm):
    class Meta:
        model = Smvp
        fields = [
            "titolo",
            "delibera_numero",
            "delibera_data",
            "richiede_validazione",
            "giorni_conciliazione",
            "distribuzione",
            "fondi",
            "fondo_unico",
            "maggiorazione",
            "quota_beneficiari",
        ]
        formfield_callback = campo_italiano
        widgets = {"delibera_data": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, bloccato: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.bloccato = bloccato  # why the gate and the term no longer change ("": free)
        con_stile(self)

    def clean(self):
        dati = super().clean()
        if self.bloccato:
            for nome in set(self.changed_data) & set(regole.BLOCCATI_IMPOSTAZIONI):
                self.add_error(nome, self.bloccato)
        numero, data = dati.get("delibera_numero"), dati.get("delibera_data")
        if bool(numero) != bool(data):
            raise forms.ValidationError("La delibera di adozione vuole sia il numero sia la data.")
        return dati


class CategoriaForm(forms.ModelForm):
    aree = forms.MultipleChoiceField(
        label="Aree del CCNL (nessuna: tutte)",
        choices=Persona.Area.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Categoria
        fields = [
            "nome",
            "tipo",
            "aree",
            "valutatore",
            *regole.PESI,
            "scala_minima",
            "scala_massima",
            "differenziazione_premio",
            "fondo",
            "ordine",
        ]
        formfield_callback = campo_italiano

    def __init__(self, *args, bloccato: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.bloccato = bloccato
        con_stile(self)
        for nome in regole.PESI:
            self.fields[nome].label = self.fields[nome].label.removesuffix(" (%)")

    def clean(self):
        dati = super().clean()
        if self.bloccato and set(self.changed_data) & set(BLOCCATI_CATEGORIA):
            raise forms.ValidationError(self.bloccato)
        if errore := regole.errore_pesi_categoria([dati.get(p) for p in regole.PESI]):
            raise forms.ValidationError(errore)
        if errore := regole.errore_scala(dati.get("scala_minima"), dati.get("scala_massima")):
            self.add_error("scala_massima", errore)
        return dati

    def validate_unique(self):
        # The smvp is set by the page, not by a field: Django would skip the check.
        try:
            self.instance.validate_constraints()
        except forms.ValidationError as exc:
            self._update_errors(exc)


class _Bloccabile(forms.BaseInlineFormSet):
    """A formset of the SMVP that refuses any change while it is locked (``bloccato``:
    why), then checks its live rows with ``controlla``."""

    def __init__(self, *args, bloccato: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.bloccato = bloccato

    def clean(self):
        super().clean()
        if any(f.errors for f in self.forms):
            return
        if self.bloccato and (self.deleted_forms or any(f.has_changed() for f in self.forms)):
            raise forms.ValidationError(self.bloccato)
        if errore := self.controlla([f for f in self.forms if _vivo(f)]):
            raise forms.ValidationError(errore)

    def controlla(self, vivi):
        raise NotImplementedError


class ComportamentiBase(_Bloccabile):
    def controlla(self, vivi):
        return regole.errore_pesi_comportamenti([f.cleaned_data.get("peso") for f in vivi])


ComportamentiFormSet = forms.inlineformset_factory(
    Categoria,
    Comportamento,
    form=ConStile,
    formset=ComportamentiBase,
    fields=["nome", "descrizione", "peso", "ordine"],
    formfield_callback=campo_italiano,
    extra=3,
    can_delete=True,
    widgets={"descrizione": forms.Textarea(attrs={"rows": 2})},
)


class FasceBase(_Bloccabile):
    def controlla(self, vivi):
        return regole.errori_fasce(
            [(f.cleaned_data["da"], f.cleaned_data["percentuale"]) for f in vivi]
        )

    def validate_unique(self):
        pass  # two fasce from the same score: errori_fasce says it in words


FasceFormSet = forms.inlineformset_factory(
    Smvp,
    Fascia,
    form=ConStile,
    formset=FasceBase,
    fields=["da", "percentuale"],
    formfield_callback=campo_italiano,
    extra=2,
    can_delete=True,
)


def _vivo(form) -> bool:
    """A row that will exist after saving: stored and kept, or new and filled in."""
    if form.cleaned_data.get("DELETE"):
        return False
    return form.instance.pk is not None or form.has_changed()
