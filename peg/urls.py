"""Root URL conf: the admin, then each app's own ``urls.py`` (lowest layer first)."""

from django.contrib import admin
from django.urls import include, path

from peg import views

admin.site.site_header = "PEG - Piano degli obiettivi"
admin.site.site_title = "PEG amministrazione"
admin.site.index_title = "Gestione dei piani"

urlpatterns = [
    path("favicon.ico", views.favicon, name="favicon"),
    path("admin/", admin.site.urls),
    # Before the comuni's pages: /trasparenza/<slug>/ is public, /robots.txt at the root.
    path("", include("trasparenza.urls")),
    path("", include("peg.web_urls")),
    path("", include("objectives.urls")),
    path("", include("valutazione.urls")),
    path("", include("reporting.urls")),
    path("", include("piao.urls")),
    path("", include("individuale.urls")),
]

# Error pages in the product's layout, in Italian (peg.views, peg.errori).
handler400 = "peg.views.richiesta_errata"
handler403 = "peg.views.negato"
handler404 = "peg.views.non_trovato"
handler500 = "peg.views.errore_server"
