from django.contrib import admin
from django.utils.html import format_html

from indicators.models import Indicatore
from peg.admin_scoping import ComuneScopedMixin, ScopedInline, register_path

from .models import (
    AmbitoPerformance,
    Fase,
    Obiettivo,
    RisorsaFinanziaria,
    RisorsaStrumentale,
    RisorsaUmana,
)
from .weights import verifica_pesi

register_path(Obiettivo, "piano__comune")


@admin.register(AmbitoPerformance)
class AmbitoPerformanceAdmin(admin.ModelAdmin):
    list_display = ("numero", "descrizione")


class IndicatoreInline(ScopedInline):
    model = Indicatore
    comune_path = "obiettivo__piano__comune"
    show_change_link = True
    fields = (
        "numero",
        "peso",
        "denominazione",
        "formula",
        "tipo",
        "polarita",
        "valore_atteso",
        "data_attesa",
        "graduazione",
    )


class FaseInline(ScopedInline):
    model = Fase
    comune_path = "obiettivo__piano__comune"
    fields = (
        "numero",
        "peso",
        "descrizione",
        "data_inizio_prevista",
        "data_fine_prevista",
        "data_inizio_effettiva",
        "data_fine_effettiva",
        "avanzamento",
        "responsabile",
    )


class RisorsaFinanziariaInline(ScopedInline):
    model = RisorsaFinanziaria
    comune_path = "obiettivo__piano__comune"
    fields = ("capitolo", "articolo", "descrizione", "importo", "tipo", "natura", "quota_parte")


class RisorsaUmanaInline(ScopedInline):
    model = RisorsaUmana
    comune_path = "obiettivo__piano__comune"
    fields = ("persona", "percentuale_impiego")
    autocomplete_fields = ("persona",)


class RisorsaStrumentaleInline(ScopedInline):
    model = RisorsaStrumentale
    comune_path = "obiettivo__piano__comune"
    fields = ("tipo", "descrizione")


def _pesi(label):
    def show(obj):
        # .all() so the changelist's prefetch is used: one query for the whole page.
        verifica = verifica_pesi(item.peso for item in getattr(obj, label).all())
        colore = "green" if verifica.ok else "#b00"
        return format_html('<span style="color:{}">{}</span>', colore, verifica.etichetta)

    return show


@admin.register(Obiettivo)
class ObiettivoAdmin(ComuneScopedMixin, admin.ModelAdmin):
    comune_path = "piano__comune"
    list_display = ("codice", "anno", "denominazione_breve", "settore", "piano", "pesi_indicatori")
    list_filter = ("piano__comune", "anno", "settore", "tipo", "durata")
    search_fields = ("codice", "denominazione")
    list_select_related = ("settore", "piano__comune")
    filter_horizontal = ("responsabili", "ambiti", "nodi_dup")
    readonly_fields = ("punteggio", "somma_pesi_indicatori", "somma_pesi_fasi")
    inlines = [
        IndicatoreInline,
        FaseInline,
        RisorsaFinanziariaInline,
        RisorsaUmanaInline,
        RisorsaStrumentaleInline,
    ]
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "piano",
                    "settore",
                    "codice",
                    "anno",
                    "anno_inizio",
                    "anno_fine",
                    "durata",
                )
            },
        ),
        (
            "Contenuto",
            {"fields": ("denominazione", "descrizione", "risultato_atteso", "tipo", "tipo_testo")},
        ),
        (
            "Collegamenti al DUP",
            {
                "fields": (
                    "riferimento_dup",
                    "nodi_dup",
                    "missione",
                    "programma",
                    "indirizzi_dup",
                    "area_tematica",
                    "assessorato",
                    "direzione",
                    "direttore",
                )
            },
        ),
        (
            "Organizzazione",
            {
                "fields": (
                    "riferimento_origine",
                    "modalita_realizzazione",
                    "servizi_coinvolti",
                    "unita_organizzativa_responsabile",
                    "unita_coinvolte",
                    "responsabili",
                    "responsabili_testo",
                    "centro_di_costo",
                    "ambiti",
                )
            },
        ),
        (
            "Pesatura",
            {"fields": ("strategicita", "complessita", "tipologia", "punteggio", "peso")},
        ),
        (
            "Tempi e attuazione",
            {
                "fields": (
                    "data_inizio_prevista",
                    "data_fine_prevista",
                    "data_inizio_effettiva",
                    "data_fine_effettiva",
                    "condizione",
                    "stato_attuazione",
                    "monitoraggio",
                )
            },
        ),
        (
            "Note",
            {
                "fields": (
                    "somma_pesi_indicatori",
                    "somma_pesi_fasi",
                    "risorse_finanziarie_testo",
                    "note",
                    "note_trascrizione",
                )
            },
        ),
    )

    @admin.display(description="denominazione")
    def denominazione_breve(self, obj):
        return obj.denominazione[:80]

    @admin.display(description="pesi indicatori")
    def pesi_indicatori(self, obj):
        return _pesi("indicatori")(obj)

    @admin.display(description="somma pesi indicatori")
    def somma_pesi_indicatori(self, obj):
        return _pesi("indicatori")(obj) if obj.pk else "-"

    @admin.display(description="somma pesi fasi")
    def somma_pesi_fasi(self, obj):
        return _pesi("fasi")(obj) if obj.pk else "-"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("indicatori", "fasi")
