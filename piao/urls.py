"""The PIAO of a piano: page, temi, outcomes of valore pubblico, documents."""

from django.urls import path

from . import views

urlpatterns = [
    path("<slug:comune>/piani/<int:piano_id>/piao/", views.pagina, name="piao"),
    path("<slug:comune>/piani/<int:piano_id>/piao/temi/", views.salva_temi, name="piao_temi"),
    path(
        "<slug:comune>/piani/<int:piano_id>/piao/valore-pubblico/nuovo/",
        views.nuovo_outcome,
        name="piao_nuovo_outcome",
    ),
    path(
        "<slug:comune>/piao/valore-pubblico/<int:outcome_id>/",
        views.modifica_outcome,
        name="piao_outcome",
    ),
    path(
        "<slug:comune>/piao/valore-pubblico/<int:outcome_id>/elimina/",
        views.elimina_outcome,
        name="piao_elimina_outcome",
    ),
    path(
        "<slug:comune>/piani/<int:piano_id>/piao/documento.<str:formato>",
        views.scarica,
        name="piao_documento",
    ),
]
