from django.contrib import admin

from .admin_scoping import ComuneScopedMixin, ScopedInline, register_path
from .models import Comune, Missione, NodoDUP, Persona, Piano, Programma, Ruolo, Servizio, Settore

for model, path in (
    (Piano, "comune"),
    (Settore, "comune"),
    (Persona, "comune"),
    (NodoDUP, "piano__comune"),
    (Ruolo, "comune"),
):
    register_path(model, path)


@admin.register(Comune)
class ComuneAdmin(ComuneScopedMixin, admin.ModelAdmin):
    comune_path = ""
    list_display = ("nome", "denominazione", "provincia", "slug")
    search_fields = ("nome", "denominazione")
    prepopulated_fields = {"slug": ("nome",)}


@admin.register(Missione)
class MissioneAdmin(admin.ModelAdmin):
    list_display = ("codice", "denominazione")
    search_fields = ("codice", "denominazione")


@admin.register(Programma)
class ProgrammaAdmin(admin.ModelAdmin):
    list_display = ("codice", "denominazione", "missione")
    list_filter = ("missione",)
    search_fields = ("codice", "denominazione")


class NodoDUPInline(ScopedInline):
    model = NodoDUP
    comune_path = "piano__comune"
    fields = ("ordine", "livello", "codice", "denominazione", "padre", "missione", "programma")


@admin.register(Piano)
class PianoAdmin(ComuneScopedMixin, admin.ModelAdmin):
    list_display = ("titolo", "comune", "tipo", "anno_inizio", "anno_fine", "stato")
    list_filter = ("comune", "tipo", "stato", "anno_inizio")
    search_fields = ("titolo", "comune__nome")
    inlines = [NodoDUPInline]


@admin.register(NodoDUP)
class NodoDUPAdmin(ComuneScopedMixin, admin.ModelAdmin):
    comune_path = "piano__comune"
    list_display = ("codice", "denominazione", "livello", "padre", "piano")
    list_filter = ("piano__comune", "livello")
    search_fields = ("codice", "denominazione")


class ServizioInline(ScopedInline):
    model = Servizio
    comune_path = "settore__comune"
    fields = ("ordine", "nome")


@admin.register(Settore)
class SettoreAdmin(ComuneScopedMixin, admin.ModelAdmin):
    list_display = ("nome", "codice", "tipo", "comune", "responsabili_testo")
    list_filter = ("comune", "tipo")
    search_fields = ("nome", "codice", "responsabili__nome")
    filter_horizontal = ("responsabili", "addetti")
    inlines = [ServizioInline]


@admin.register(Persona)
class PersonaAdmin(ComuneScopedMixin, admin.ModelAdmin):
    list_display = ("nome", "categoria", "matricola", "comune", "utente")
    list_filter = ("comune", "categoria")
    search_fields = ("nome", "matricola")


@admin.register(Ruolo)
class RuoloAdmin(ComuneScopedMixin, admin.ModelAdmin):
    list_display = ("utente", "tipo", "comune")
    list_filter = ("comune", "tipo")
    search_fields = ("utente__username", "utente__last_name")
    filter_horizontal = ("settori",)
