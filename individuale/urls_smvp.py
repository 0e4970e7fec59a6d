"""Routes of the smvp pages (see individuale/urls.py)."""

from django.urls import path

from . import smvp_views

urlpatterns = [
    path("<slug:comune>/smvp/", smvp_views.elenco, name="smvp_elenco"),
    path("<slug:comune>/smvp/nuovo/", smvp_views.crea, name="smvp_crea"),
    path("<slug:comune>/smvp/<int:anno>/", smvp_views.pagina, name="smvp"),
    path(
        "<slug:comune>/smvp/<int:anno>/impostazioni/",
        smvp_views.impostazioni,
        name="smvp_impostazioni",
    ),
    path(
        "<slug:comune>/smvp/<int:anno>/categorie/nuova/",
        smvp_views.nuova_categoria,
        name="smvp_nuova_categoria",
    ),
    path(
        "<slug:comune>/smvp/<int:anno>/categorie/<int:categoria_id>/",
        smvp_views.categoria,
        name="smvp_categoria",
    ),
    path(
        "<slug:comune>/smvp/<int:anno>/categorie/<int:categoria_id>/elimina/",
        smvp_views.elimina_categoria,
        name="smvp_elimina_categoria",
    ),
    path(
        "<slug:comune>/smvp/<int:anno>/categorie/anteprima/",
        smvp_views.anteprima_pesi,
        name="smvp_anteprima_pesi",
    ),
    path("<slug:comune>/smvp/<int:anno>/fasce/", smvp_views.fasce, name="smvp_fasce"),
]
