from django.contrib import admin
from django.utils.html import format_html

from indicators.models import Indicatore
from peg.admin import only_mine
from peg.admin_scoping import ComuneScopedMixin, ScopedInline, anno_filter, register_path

from .models import (
    AmbitoPerformance,
    Avviso,
    Campagna,
    Fase,
    Obiettivo,
    RiaperturaSettore,
    RisorsaFinanziaria,
    RisorsaStrumentale,
    RisorsaUmana,
)
from .weights import verifica_pesi

for model, path in (
    (Obiettivo, "piano__comune"),
    (Fase, "obiettivo__piano__comune"),
    (RisorsaFinanziaria, "obiettivo__piano__comune"),
    (RisorsaUmana, "obiettivo__piano__comune"),
    (RisorsaStrumentale, "obiettivo__piano__comune"),
):
    register_path(model, path)


def _bloccato(request, obj) -> bool:
    """After the proposal a scheda changes only through the pages (variazione with a
    motivazione, rendicontazione in its state); superusers keep the technical fixes."""
    obiettivo = getattr(obj, "obiettivo", obj)
    return (
        obiettivo is not None
        and obiettivo.stato not in (Obiettivo.Stato.BOZZA, Obiettivo.Stato.PROPOSTO)
        and not request.user.is_superuser
    )


class BloccoDopoProposta:
    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not _bloccato(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not _bloccato(request, obj)


class BloccoRighe(BloccoDopoProposta):
    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not _bloccato(request, obj)


@admin.register(AmbitoPerformance)
class AmbitoPerformanceAdmin(admin.ModelAdmin):
    list_display = ("numero", "descrizione")


class IndicatoreInline(BloccoRighe, ScopedInline):
    model = Indicatore
    show_change_link = True
    fields = (
        "numero",
        "peso",
        "denominazione",
        "formula",
        "tipo",
        "polarita",
        "valore_intermedio",
        "data_intermedia",
        "valore_atteso",
        "data_attesa",
        "graduazione",
    )


class FaseInline(BloccoRighe, ScopedInline):
    model = Fase
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


class RisorsaFinanziariaInline(BloccoRighe, ScopedInline):
    model = RisorsaFinanziaria
    fields = ("capitolo", "articolo", "descrizione", "importo", "tipo", "natura", "quota_parte")


class RisorsaUmanaInline(BloccoRighe, ScopedInline):
    model = RisorsaUmana
    fields = ("persona", "percentuale_impiego")
    autocomplete_fields = ("persona",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("persona")


class RisorsaStrumentaleInline(BloccoRighe, ScopedInline):
    model = RisorsaStrumentale
    fields = ("tipo", "descrizione")


def _pesi(obj, relation: str):
    # .all() so the changelist's prefetch is used: one query for the whole page.
    verifica = verifica_pesi(item.peso for item in getattr(obj, relation).all())
    colore = "green" if verifica.ok else "#b00"
    return format_html('<span style="color:{}">{}</span>', colore, verifica.etichetta)


@admin.register(Obiettivo)
class ObiettivoAdmin(BloccoDopoProposta, ComuneScopedMixin, admin.ModelAdmin):
    list_display = ("codice", "anno", "denominazione_breve", "settore", "piano", "pesi_indicatori")
    list_filter = (
        ("piano__comune", only_mine),
        anno_filter("anno"),
        ("settore", only_mine),
        "tipo",
        "durata",
    )
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
        return _pesi(obj, "indicatori")

    @admin.display(description="somma pesi indicatori")
    def somma_pesi_indicatori(self, obj):
        return _pesi(obj, "indicatori") if obj.pk else "-"

    @admin.display(description="somma pesi fasi")
    def somma_pesi_fasi(self, obj):
        return _pesi(obj, "fasi") if obj.pk else "-"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("indicatori", "fasi")

    def save_model(self, request, obj, form, change):
        if change:
            obj.versione += 1  # a form opened on the pages before this save is now stale
        super().save_model(request, obj, form, change)


# Campagne di rilevazione: managed on their pages; the admin lists and corrects them.
for model, path in (
    (Campagna, "piano__comune"),
    (RiaperturaSettore, "campagna__piano__comune"),
    (Avviso, "campagna__piano__comune"),
):
    register_path(model, path)


class RiaperturaSettoreInline(ScopedInline):
    model = RiaperturaSettore
    fields = ("settore", "fino_al", "motivazione", "utente", "quando")


@admin.register(Campagna)
class CampagnaAdmin(ComuneScopedMixin, admin.ModelAdmin):
    list_display = ("__str__", "piano", "anno", "momento", "apertura", "scadenza", "chiusa_il")
    list_filter = (("piano__comune", only_mine), anno_filter("anno"), "momento")
    list_select_related = ("piano__comune",)
    readonly_fields = ("avviso_apertura_il", "avviso_scadenza_il")
    inlines = [RiaperturaSettoreInline]


@admin.register(Avviso)
class AvvisoAdmin(ComuneScopedMixin, admin.ModelAdmin):
    """The record of e-mails sent: read-only."""

    list_display = ("quando", "tipo", "campagna", "settore", "destinatari", "mancanti")
    list_filter = (("campagna__piano__comune", only_mine), "tipo")
    list_select_related = ("campagna__piano__comune", "settore")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
