"""The anagrafica's pages (peg.anagrafica.views)."""

from django.urls import path

from . import views

urlpatterns = [
    path("comuni/nuovo/", views.nuovo_comune, name="nuovo_comune"),
    path("invito/<uidb64>/<token>/", views.Invito.as_view(), name="invito"),
    path("<slug:comune>/dati/", views.dati_comune, name="dati_comune"),
    path("<slug:comune>/organigramma/", views.organizzazione, name="organizzazione"),
    path("<slug:comune>/organigramma/settori/nuovo/", views.settore, name="nuovo_settore"),
    path(
        "<slug:comune>/organigramma/settori/<int:settore_id>/",
        views.settore,
        name="modifica_settore",
    ),
    path("<slug:comune>/organigramma/persone/nuova/", views.persona, name="nuova_persona"),
    path(
        "<slug:comune>/organigramma/persone/<int:persona_id>/",
        views.persona,
        name="modifica_persona",
    ),
    path(
        "<slug:comune>/organigramma/persone/<int:persona_id>/invito/",
        views.invita,
        name="invita_persona",
    ),
    path("<slug:comune>/organigramma/importa/", views.importa, name="importa_organigramma"),
    path("<slug:comune>/organigramma/modello.xlsx", views.modello, name="modello_organigramma"),
]
