"""The OIV's queue and review, the thread, the allegati (evidence)."""

from django.urls import path

from . import allegati_views, views

urlpatterns = [
    path("<slug:comune>/valutazione/", views.coda, name="coda_valutazione"),
    path(
        "<slug:comune>/obiettivi/<int:obiettivo_id>/valutazione/",
        views.revisione,
        name="revisione",
    ),
    path(
        "<slug:comune>/obiettivi/<int:obiettivo_id>/valutazione/valida/",
        views.valida,
        name="valida",
    ),
    path(
        "<slug:comune>/obiettivi/<int:obiettivo_id>/valutazione/integrazione/",
        views.integrazione,
        name="integrazione",
    ),
    path(
        "<slug:comune>/obiettivi/<int:obiettivo_id>/commenti/",
        views.commenta,
        name="commenta",
    ),
    # Allegati (evidenze): private files, served only by the checked view
    path(
        "<slug:comune>/obiettivi/<int:obiettivo_id>/allegati/",
        allegati_views.allegati,
        name="allegati",
    ),
    path("<slug:comune>/allegati/<uuid:uuid>/", allegati_views.allegato, name="allegato"),
    path(
        "<slug:comune>/allegati/<uuid:uuid>/elimina/",
        allegati_views.elimina_allegato,
        name="elimina_allegato",
    ),
]
