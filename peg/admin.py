from django.contrib import admin

from .admin_scoping import ComuneScopedMixin, ScopedInline, anno_filter
from .models import (
    Comune,
    Missione,
    NodoDUP,
    Persona,
    Piano,
    Programma,
    Ruolo,
    Servizio,
    Settore,
    SettoreDelPiano,
)

only_mine = admin.RelatedOnlyFieldListFilter


@admin.register(Comune)
class ComuneAdmin(ComuneScopedMixin, admin.ModelAdmin):
    list_display = ("nome", "denominazione", "provincia", "slug")
    search_fields = ("nome", "denominazione")
    prepopulated_fields = {"slug": ("nome",)}

    # A new comune has no segreteria yet: only a superuser creates or removes one.
    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Missione)
class MissioneAdmin(admin.ModelAdmin):
    list_display = ("codice", "denominazione")
    search_fields = ("codice", "denominazione")


@admin.register(Programma)
class ProgrammaAdmin(admin.ModelAdmin):
    list_display = ("codice", "denominazione", "missione")
    list_filter = ("missione",)
    list_select_related = ("missione",)
    search_fields = ("codice", "denominazione")


class NodoDUPInline(ScopedInline):
    model = NodoDUP
    fields = ("ordine", "livello", "codice", "denominazione", "padre", "missione", "programma")
    autocomplete_fields = ("padre", "missione", "programma")


class OrganigrammaInline(ScopedInline):
    """The settori as the piano approved them (``peg.organigramma_piano``): read only,
    written by the approval."""

    model = SettoreDelPiano
    verbose_name_plural = "organigramma all'approvazione"
    fields = readonly_fields = (
        "settore",
        "codice",
        "nome",
        "descrizione",
        "responsabili_testo",
        "responsabili",
        "fissato_il",
    )
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Piano)
class PianoAdmin(ComuneScopedMixin, admin.ModelAdmin):
    list_display = ("titolo", "comune", "tipo", "anno_inizio", "anno_fine", "stato")
    list_filter = (
        ("comune", only_mine),
        "tipo",
        "stato",
        anno_filter("anno_inizio", "anno di inizio"),
    )
    list_select_related = ("comune",)
    search_fields = ("titolo", "comune__nome")
    inlines = [NodoDUPInline, OrganigrammaInline]
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "comune",
                    "tipo",
                    "titolo",
                    ("anno_inizio", "anno_fine"),
                    "stato",
                    ("delibera_numero", "delibera_data"),
                    "vista_dup",
                    "note",
                    "note_trascrizione",
                )
            },
        ),
        (
            "Sistema di misurazione",
            {
                "fields": (
                    "base_obiettivo",
                    "quota_indicatori",
                    "base_settore",
                    "valori_mancanti",
                    "riproporziona_pesi",
                    "regola_predefinita",
                    "soglia_raggiunto",
                )
            },
        ),
    )


@admin.register(NodoDUP)
class NodoDUPAdmin(ComuneScopedMixin, admin.ModelAdmin):
    list_display = ("codice", "denominazione", "livello", "padre", "piano")
    list_filter = (("piano__comune", only_mine), "livello")
    list_select_related = ("padre", "piano__comune")
    search_fields = ("codice", "denominazione")


class ServizioInline(ScopedInline):
    model = Servizio
    fields = ("ordine", "nome")


@admin.register(Settore)
class SettoreAdmin(ComuneScopedMixin, admin.ModelAdmin):
    list_display = ("nome", "codice", "tipo", "comune", "responsabili_testo")
    list_filter = (("comune", only_mine), "tipo")
    list_select_related = ("comune",)
    search_fields = ("nome", "codice", "responsabili__nome")
    filter_horizontal = ("responsabili", "addetti")
    inlines = [ServizioInline]


@admin.register(Persona)
class PersonaAdmin(ComuneScopedMixin, admin.ModelAdmin):
    list_display = ("nome", "categoria", "matricola", "comune", "utente")
    list_filter = (("comune", only_mine), "categoria")
    list_select_related = ("comune", "utente")
    search_fields = ("nome", "matricola")


@admin.register(Ruolo)
class RuoloAdmin(ComuneScopedMixin, admin.ModelAdmin):
    list_display = ("utente", "tipo", "comune")
    list_filter = (("comune", only_mine), "tipo")
    list_select_related = ("utente", "comune")
    search_fields = ("utente__username", "utente__last_name")
    filter_horizontal = ("settori",)
