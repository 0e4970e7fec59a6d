from django.contrib import admin

from indicators.engine.formatting import data_lunga, numero_compatto, percentuale
from objectives.admin import ModificaConServizio, RigheDellaScheda
from peg.admin import only_mine
from peg.admin_scoping import ComuneScopedMixin, ScopedInline, anno_filter

from .models import Indicatore, Rilevazione, ValoreStorico


class RilevazioneInline(ScopedInline):
    """Read-only: values achieved are entered on the rendicontazione page, inside the
    campagne's windows."""

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
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ValoreStoricoInline(RigheDellaScheda, ScopedInline):
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
class IndicatoreAdmin(ModificaConServizio, ComuneScopedMixin, admin.ModelAdmin):
    list_display = ("__str__", "obiettivo", "peso_", "tipo", "valore_atteso_", "data_attesa_")
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

    @admin.display(description="peso", ordering="peso")
    def peso_(self, obj):
        return percentuale(obj.peso)

    @admin.display(description="valore atteso", ordering="valore_atteso")
    def valore_atteso_(self, obj):
        return numero_compatto(obj.valore_atteso) or obj.valore_atteso_testo

    @admin.display(description="data attesa", ordering="data_attesa")
    def data_attesa_(self, obj):
        return data_lunga(obj.data_attesa)

    # An indicatore stays on its scheda (read-only once saved: admin_scoping); new ones
    # are added from the scheda.
    def has_add_permission(self, request):
        return False
