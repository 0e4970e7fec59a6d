"""The OIV's queue and review, the thread, the allegati (evidence)."""

from django.urls import path

from . import allegati_views, nucleo_views, views

N = "<slug:comune>/nucleo/"

urlpatterns = [
    path("<slug:comune>/valutazione/", views.coda, name="coda_valutazione"),
    path(
        "<slug:comune>/valutazione/valida-selezionate/",
        views.valida_selezionate,
        name="valida_selezionate",
    ),
    # The Nucleo as a collegial body: members, sedute and verbali
    path(N, nucleo_views.nucleo, name="nucleo"),
    path(N + "componenti/nuovo/", nucleo_views.componente_nuovo, name="nucleo_componente_nuovo"),
    path(
        N + "componenti/<int:componente_id>/",
        nucleo_views.componente,
        name="nucleo_componente",
    ),
    path(N + "sedute/nuova/", nucleo_views.seduta_nuova, name="seduta_nuova"),
    path(N + "sedute/<int:seduta_id>/", nucleo_views.seduta, name="seduta"),
    path(N + "sedute/<int:seduta_id>/chiudi/", nucleo_views.chiudi_seduta, name="chiudi_seduta"),
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
