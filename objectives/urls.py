"""Home, piano, scheda, its state, planning, rendicontazione and the campagne."""

from django.urls import path

from . import campagne_views, piano_views, planning_views, rendicontazione_views, views

urlpatterns = [
    path("", piano_views.home, name="home"),
    path("<slug:comune>/piani/<int:piano_id>/", piano_views.piano_detail, name="piano"),
    path(
        "<slug:comune>/obiettivi/<int:obiettivo_id>/",
        views.obiettivo_detail,
        name="obiettivo",
    ),
    path(
        "<slug:comune>/obiettivi/<int:obiettivo_id>/stato/",
        views.cambia_stato,
        name="cambia_stato",
    ),
    path(
        "<slug:comune>/obiettivi/<int:obiettivo_id>/rendicontazione/",
        rendicontazione_views.rendicontazione,
        name="rendicontazione",
    ),
    path(
        "<slug:comune>/obiettivi/<int:obiettivo_id>/rendicontazione/anteprima/",
        rendicontazione_views.anteprima_rendicontazione,
        name="anteprima_rendicontazione",
    ),
    path(
        "<slug:comune>/piani/<int:piano_id>/approva/",
        views.approva_piano,
        name="approva_piano",
    ),
    path(
        "<slug:comune>/piani/<int:piano_id>/obiettivi/nuovo/",
        planning_views.nuovo_obiettivo,
        name="nuovo_obiettivo",
    ),
    path(
        "<slug:comune>/piani/<int:piano_id>/obiettivi/nuovo/anteprima/",
        planning_views.anteprima_nuovo,
        name="anteprima_nuovo",
    ),
    path(
        "<slug:comune>/obiettivi/<int:obiettivo_id>/modifica/",
        planning_views.modifica_obiettivo,
        name="modifica_obiettivo",
    ),
    path(
        "<slug:comune>/obiettivi/<int:obiettivo_id>/modifica/anteprima/",
        planning_views.anteprima_modifica,
        name="anteprima_modifica",
    ),
    # Campagne di rilevazione
    path(
        "<slug:comune>/piani/<int:piano_id>/campagne/",
        campagne_views.campagne_piano,
        name="campagne",
    ),
    path(
        "<slug:comune>/campagne/<int:campagna_id>/",
        campagne_views.campagna_detail,
        name="campagna",
    ),
    path(
        "<slug:comune>/campagne/<int:campagna_id>/apri/",
        campagne_views.apri_campagna,
        name="apri_campagna",
    ),
    path(
        "<slug:comune>/campagne/<int:campagna_id>/chiudi/",
        campagne_views.chiudi_campagna,
        name="chiudi_campagna",
    ),
    path(
        "<slug:comune>/campagne/<int:campagna_id>/riapri/",
        campagne_views.riapri_campagna,
        name="riapri_campagna",
    ),
    path(
        "<slug:comune>/campagne/<int:campagna_id>/sollecito/",
        campagne_views.sollecito,
        name="sollecito_campagna",
    ),
    path(
        "<slug:comune>/campagne/<int:campagna_id>/settori/<int:settore_id>/sollecito/",
        campagne_views.sollecito,
        name="sollecito_settore",
    ),
    path(
        "<slug:comune>/campagne/<int:campagna_id>/settori/<int:settore_id>/riapri/",
        campagne_views.riapri_settore,
        name="riapri_settore",
    ),
]
