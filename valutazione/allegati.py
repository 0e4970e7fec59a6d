"""Evidence (allegati) on a scheda: the upload form, adding and removing under the
scheda's rules (``valutazione.access``), the list a page shows.

Files live in the private storage of ``Allegato.file`` and go out only through the
checked download view. Adding or removing one is a change of the scheda made through
``objectives.modifiche`` (the row locked, the rendicontazione rule checked), without
raising its versione: an open rendicontazione form stays valid.
"""

from django import forms
from django.conf import settings
from django.utils import timezone

from objectives.campi_html import RENDERER
from objectives.models import Obiettivo
from objectives.modifiche import modifica

from .access import caricamento_negato, puo_caricare
from .formati import AMMESSI, FORMATI, nome_pulito, verifica_file
from .models import Allegato


def allegati_di(obiettivo: Obiettivo) -> list[Allegato]:
    """The obiettivo's allegati in one query, ready for ``valutazione/_allegati.html``
    (none if its reader found it has none: ``objectives.lettura.leggi_scheda``)."""
    if not getattr(obiettivo, "presenti", {}).get("allegati", True):
        return []
    return list(
        Allegato.objects.filter(obiettivo=obiettivo).select_related(
            "indicatore", "fase", "caricato_da"
        )
    )


def contesto(utente, obiettivo: Obiettivo, form=None) -> dict:
    """What ``valutazione/_allegati.html`` expects; one query (the list)."""
    puo = puo_caricare(utente, obiettivo)
    if form is None and puo:
        form = AllegatoForm(obiettivo)
    return {"allegati": allegati_di(obiettivo), "puo_caricare": puo, "form_allegato": form}


class AllegatoForm(forms.Form):
    default_renderer = RENDERER  # widgets written in Python (objectives.campi_html)
    tipo = forms.ChoiceField(label="Tipo di documento", choices=Allegato.Tipo.choices)
    descrizione = forms.CharField(label="Descrizione", max_length=250)
    riferimento = forms.ChoiceField(label="Riguarda")
    file = forms.FileField(
        label="File",
        allow_empty_file=True,  # refused in clean_file, with the file's name
        error_messages={"required": "Scegli il file da allegare."},
        help_text=f"{AMMESSI}.",
    )

    def __init__(self, obiettivo: Obiettivo, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.obiettivo = obiettivo
        # From the prefetched children when the page has them: no query.
        self.indicatori = {f"indicatore-{i.pk}": i for i in obiettivo.indicatori.all()}
        self.fasi = {f"fase-{f.pk}": f for f in obiettivo.fasi.all()}
        self.fields["riferimento"].choices = [
            ("obiettivo", "Obiettivo"),
            *((k, f"Indicatore {i.numero}") for k, i in self.indicatori.items()),
            *((k, f"Fase {f.numero}") for k, f in self.fasi.items()),
        ]
        self.fields["file"].help_text = f"{AMMESSI}, fino a {settings.ALLEGATI_MAX_MB} MB."
        self.fields["file"].widget.attrs["accept"] = ",".join(FORMATI)

    def clean_file(self):
        file = self.cleaned_data["file"]
        self.formato = verifica_file(file)
        return file

    def save(self, utente) -> Allegato:
        """Create the Allegato; the file is removed again if the row cannot be saved."""
        file = self.cleaned_data["file"]
        riferimento = self.cleaned_data["riferimento"]
        allegato = Allegato(
            obiettivo=self.obiettivo,
            indicatore=self.indicatori.get(riferimento),
            fase=self.fasi.get(riferimento),
            tipo=self.cleaned_data["tipo"],
            descrizione=self.cleaned_data["descrizione"],
            nome_file=nome_pulito(file.name),
            content_type=self.formato.content_type,
            dimensione=file.size,
            caricato_da=utente,
            caricato_il=timezone.now(),
        )
        allegato.file = file
        try:
            with modifica(
                self.obiettivo,
                utente,
                "rendicontazione",
                alza_versione=False,
                negata=caricamento_negato,
            ):
                allegato.save()  # writes the file first (FileField.pre_save), then the row
        except BaseException:
            if allegato.file._committed and allegato.file.name:
                allegato.file.storage.delete(allegato.file.name)
            raise
        return allegato


def elimina(allegato: Allegato, utente) -> None:
    """Remove the row; its file goes once the deletion is committed (valutazione.signals)."""
    with modifica(
        allegato.obiettivo,
        utente,
        "rendicontazione",
        alza_versione=False,
        negata=caricamento_negato,
    ):
        allegato.delete()
