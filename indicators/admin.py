from django.contrib import admin

from objectives.admin import BloccoDopoProposta, BloccoRighe
from peg.admin import only_mine
from peg.admin_scoping import ComuneScopedMixin, ScopedInline, anno_filter, register_path

from .models import Indicatore, Rilevazione, ValoreStorico

for model, path in (
    (Indicatore, "obiettivo__piano__comune"),
    (Rilevazione, "indicatore__obiettivo__piano__comune"),
    (ValoreStorico, "indicatore__obiettivo__piano__comune"),
):
    register_path(model, path)


class RilevazioneInline(BloccoRighe, ScopedInline):
    model = Rilevazione
    fields = (
        "tipo",
        "valore",
        "valore_testo",
        "data",
        "percentuale_raggiungimento",
        "note",
        "inserita_da",
    )
    readonly_fields = ("inserita_da",)


class ValoreStoricoInline(BloccoRighe, ScopedInline):
    model = ValoreStorico
    fields = ("anno", "valore", "valore_testo")


@admin.display(description="regola letta")
def regola_letta(obj):
    """The canonical reading of the graduazione, beside the original text."""
    try:
        rule = obj.regola_letta()
    except ValueError as exc:  # GraduationSyntaxError included
        return f"Graduazione non leggibile: {exc}"
    return rule.describe() if rule else "Nessuna: si applica la graduazione predefinita del piano."


@admin.register(Indicatore)
class IndicatoreAdmin(BloccoDopoProposta, ComuneScopedMixin, admin.ModelAdmin):
    list_display = ("__str__", "obiettivo", "peso", "tipo", "valore_atteso", "data_attesa")
    list_filter = (
        ("obiettivo__piano__comune", only_mine),
        anno_filter("obiettivo__anno"),
        ("obiettivo__settore", only_mine),
        "tipo",
    )
    search_fields = ("denominazione", "obiettivo__codice", "obiettivo__denominazione")
    list_select_related = ("obiettivo",)
    autocomplete_fields = ("obiettivo",)
    inlines = [RilevazioneInline, ValoreStoricoInline]
    readonly_fields = (regola_letta,)
    fieldsets = (
        (None, {"fields": ("obiettivo", "numero", "peso", "denominazione", "formula", "tipo")}),
        (
            "Livelli attesi",
            {
                "fields": (
                    "unita_misura",
                    "polarita",
                    "anno",
                    ("valore_intermedio", "valore_intermedio_testo", "data_intermedia"),
                    ("valore_atteso", "valore_atteso_testo", "data_attesa"),
                    "scadenza_testo",
                )
            },
        ),
        ("Graduazione del conseguimento", {"fields": ("graduazione", regola_letta, "regola")}),
        ("Note", {"fields": ("note", "note_trascrizione")}),
    )

    def save_formset(self, request, form, formset, change):
        # Who entered a rilevazione is recorded, never typed.
        for instance in formset.save(commit=False):
            if isinstance(instance, Rilevazione) and instance.inserita_da_id is None:
                instance.inserita_da = request.user
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()
