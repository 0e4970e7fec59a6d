"""The premi page's form: which fondo (a category, or all as the SMVP says) and an
amount replacing the SMVP's (the simulation's «what if», or the real run's)."""

from django import forms

from peg.forms import DecimaleItaliano


class FondoForm(forms.Form):
    categoria = forms.TypedChoiceField(
        label="Categoria",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="Vuoto: tutti i fondi, come dice il sistema di valutazione.",
    )
    fondo = DecimaleItaliano(
        label="Fondo (€)",
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text="Vuoto: l'importo scritto nel sistema di valutazione. Es. 10.000,00.",
    )

    def __init__(self, *args, smvp, **kwargs):
        super().__init__(*args, **kwargs)
        scelte = [("", "Tutti i fondi")] + [(c.pk, c.nome) for c in smvp.categorie.all()]
        self.fields["categoria"].choices = scelte
        self.categorie = {c.pk: c for c in smvp.categorie.all()}

    def richiesta(self) -> dict:
        """The arguments of ``premi.calcola`` / ``premi.distribuisci``."""
        d = self.cleaned_data
        return {"categoria": self.categorie.get(d["categoria"]), "importo": d["fondo"]}
