"""Root URL conf: the admin, then each app's own ``urls.py`` (lowest layer first)."""

from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "PEG - Piano degli obiettivi"
admin.site.site_title = "PEG amministrazione"
admin.site.index_title = "Gestione dei piani"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("peg.web_urls")),
    path("", include("objectives.urls")),
    path("", include("valutazione.urls")),
    path("", include("reporting.urls")),
]

handler403 = "peg.views.negato"
handler404 = "peg.views.non_trovato"
