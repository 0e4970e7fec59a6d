from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from peg.access import comuni_segreteria
from peg.admin import only_mine
from peg.admin_scoping import ComuneScopedMixin, anno_filter

from .models import Allegato


@admin.register(Allegato)
class AllegatoAdmin(ComuneScopedMixin, admin.ModelAdmin):
    """Read-only: allegati are added and removed on the scheda, under its rules."""

    list_display = (
        "nome_file",
        "tipo",
        "descrizione",
        "obiettivo",
        "riferimento",
        "dimensione",
        "caricato_da",
        "caricato_il",
    )
    list_filter = (
        ("obiettivo__piano__comune", only_mine),
        anno_filter("obiettivo__anno"),
        "tipo",
    )
    list_select_related = ("obiettivo__piano__comune", "indicatore", "fase", "caricato_da")
    search_fields = ("nome_file", "descrizione", "obiettivo__codice")
    # Not the file field: its storage has no public URL; the download goes through the view.
    fields = (
        "obiettivo",
        "indicatore",
        "fase",
        "tipo",
        "descrizione",
        "scarica",
        "content_type",
        "dimensione",
        "caricato_da",
        "caricato_il",
    )
    readonly_fields = fields

    @admin.display(description="file")
    def scarica(self, obj):
        url = reverse("allegato", args=[obj.obiettivo.piano.comune.slug, obj.uuid])
        return format_html('<a href="{}">{}</a>', url, obj.nome_file)

    # The segreteria sees its comuni's allegati (the queryset is scoped) without a model
    # permission of its own: the group's permissions cover peg, objectives, indicators.
    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or (
            request.user.is_staff and comuni_segreteria(request.user).exists()
        )

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
