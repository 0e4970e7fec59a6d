"""The anagrafica's forms: a new comune, a settore, a persona with her ruoli, the
organigramma's file."""

from django import forms
from django.conf import settings
from django.utils.text import slugify

from ..forms import SenzaCampiTecnici, campo_italiano, normalizza_testo
from ..immagini import LOGO_MAX_KB, ImmagineNonValida, troppo_grande, verifica_logo
from ..models import Comune, Persona, Ruolo, Settore
from . import ruoli

CAMPI_DEL_COMUNE = [
    "nome",
    "denominazione",
    "provincia",
    "codice_istat",
    "codice_ipa",
    "dipendenti",
    "email_accessibilita",
    "dichiarazione_accessibilita",
    "logo",
]


class DatiComuneForm(SenzaCampiTecnici, forms.ModelForm):
    """The comune's data its segreteria keeps (not the slug: the addresses of its pages
    and of its published documents must not change)."""

    class Meta:
        formfield_callback = campo_italiano
        model = Comune
        fields = CAMPI_DEL_COMUNE

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["logo"].widget = forms.FileInput(attrs={"accept": "image/png,image/jpeg"})
        self.fields[
            "logo"
        ].help_text = f"Lo stemma delle stampe: PNG o JPEG, al massimo {LOGO_MAX_KB} KB."

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and logo is not self.instance.logo:  # a file uploaded now
            if logo.size > LOGO_MAX_KB * 1024:
                raise forms.ValidationError(troppo_grande(logo.size))
            try:
                verifica_logo(logo.read())
            except ImmagineNonValida as exc:
                raise forms.ValidationError(str(exc)) from exc
            finally:
                logo.seek(0)
        return logo


class ComuneForm(DatiComuneForm):
    """A new comune: its data, the slug and, optionally, its first segreteria (invited
    by e-mail)."""

    segreteria_nome = forms.CharField(label="Nome e cognome", max_length=120, required=False)
    segreteria_email = forms.EmailField(label="E-mail", required=False)

    class Meta(DatiComuneForm.Meta):
        fields = [*CAMPI_DEL_COMUNE[:3], "slug", *CAMPI_DEL_COMUNE[3:]]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text += " Se lo lasci vuoto, viene dal nome."

    def clean_slug(self):
        # Addresses are written in lower case: «Chiavari» and «chiavari» are one comune.
        return (self.cleaned_data.get("slug") or "").lower()

    def clean(self):
        dati = super().clean()
        if not dati.get("slug") and dati.get("nome") and "slug" not in self.errors:
            dati["slug"] = slugify(dati["nome"])[:80]
            self.instance.slug = dati["slug"]
            if not dati["slug"]:
                self.add_error(
                    "slug",
                    "Dal nome non viene un identificativo: scrivilo tu (lettere minuscole, "
                    "cifre e trattini).",
                )
        nome, email = dati.get("segreteria_nome"), dati.get("segreteria_email")
        if bool(nome) != bool(email):
            self.add_error(
                "segreteria_email" if nome else "segreteria_nome",
                "Per invitare la segreteria servono sia il nome sia l'e-mail.",
            )
        return dati


class SettoreForm(SenzaCampiTecnici, forms.ModelForm):
    servizi = forms.CharField(
        label="Servizi del settore",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Uno per riga, nell'ordine in cui le stampe li elencano.",
    )

    class Meta:
        formfield_callback = campo_italiano
        model = Settore
        fields = ["codice", "nome", "tipo", "descrizione", "responsabili", "responsabili_testo"]
        widgets = {
            "descrizione": forms.Textarea(attrs={"rows": 3}),
            "responsabili": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, comune, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.comune = comune
        self.fields["responsabili"].queryset = Persona.objects.filter(comune=comune)
        self.fields[
            "responsabili_testo"
        ].help_text += " Se lo lasci vuoto, i nomi dei responsabili scelti."
        if self.instance.pk:
            self.initial["servizi"] = "\n".join(
                self.instance.servizi.values_list("nome", flat=True)
            )

    def clean_nome(self):
        return _unico(self, "nome", "un settore con questa denominazione")

    def clean_codice(self):
        if "codice" not in self.changed_data:
            return self.cleaned_data.get("codice")
        return _unico(self, "codice", "un settore con questo codice")

    def elenco_servizi(self) -> list[str]:
        righe = normalizza_testo(self.cleaned_data.get("servizi") or "").split("\n")
        return [r.strip() for r in righe if r.strip()]

    def clean_servizi(self):
        testo = self.cleaned_data.get("servizi") or ""
        lunghi = [r for r in testo.splitlines() if len(r.strip()) > 200]
        if lunghi:
            raise forms.ValidationError(
                f"Un servizio ha al massimo 200 caratteri: «{lunghi[0][:40]}…» è più lungo."
            )
        return testo


class PersonaForm(SenzaCampiTecnici, forms.ModelForm):
    ruoli = forms.MultipleChoiceField(
        label="Ruoli nel comune",
        choices=Ruolo.Tipo.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Chi ha un ruolo accede al sistema: la prima volta riceve un invito "
        "all'e-mail indicata. Il responsabile risponde dei settori di cui è responsabile.",
    )

    class Meta:
        formfield_callback = campo_italiano
        model = Persona
        fields = ["nome", "email", "matricola", "area", "profilo", "categoria"]

    def __init__(self, *args, comune, ruoli_attuali=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.comune = comune
        self.initial.setdefault("ruoli", sorted(ruoli_attuali))

    def clean_matricola(self):
        return _unico(self, "matricola", "una persona con questa matricola")

    def clean_ruoli(self):
        tipi = set(self.cleaned_data.get("ruoli") or ())
        if self.instance.pk and ruoli.toglie_l_ultima_segreteria(self.instance, tipi):
            raise forms.ValidationError(
                "È l'unica segreteria del comune: togliendole il ruolo nessuno potrebbe più "
                "gestire l'organigramma. Dai prima la segreteria a un'altra persona."
            )
        return self.cleaned_data.get("ruoli")

    def clean(self):
        dati = super().clean()
        if dati.get("ruoli") and not dati.get("email") and not self.instance.utente_id:
            self.add_error(
                "email", "Per dare un ruolo serve l'e-mail: l'invito ad accedere arriva lì."
            )
        return dati


def _unico(form, campo: str, cosa: str) -> str:
    """The value of ``campo``, unless another record of the comune has it already (the
    same comparison as the import: any case). The model's own check cannot run here,
    as the comune is not a field of the form."""
    valore = form.cleaned_data.get(campo) or ""
    if valore:
        altri = type(form.instance).objects.filter(
            comune=form.instance.comune, **{f"{campo}__iexact": valore}
        )
        if altri.exclude(pk=form.instance.pk).exists():
            raise forms.ValidationError(f"Nel comune esiste già {cosa}: «{valore}».")
    return valore


class OrganigrammaForm(forms.Form):
    file = forms.FileField(
        label="File dell'organigramma",
        help_text="Il modello Excel compilato (.xlsx), oppure il solo foglio Persone in CSV.",
        widget=forms.FileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    inviti = forms.BooleanField(
        label="Invia subito l'invito a chi riceve un ruolo",
        required=False,
        initial=True,
    )

    def clean_file(self):
        """The size checked before the file is read into memory."""
        file = self.cleaned_data["file"]
        limite = settings.EXCEL_IMPORT_MAX_MB
        if file.size > limite * 1024 * 1024:
            mb = f"{file.size / 1024 / 1024:.1f}".replace(".", ",")
            raise forms.ValidationError(
                f"Il file è troppo grande ({mb} MB): il limite è {limite} MB."
            )
        return file
