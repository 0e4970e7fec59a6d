"""Routes of the premi pages (see individuale/urls.py)."""

from django.urls import path

from . import premi_views

P = "<slug:comune>/premi/<int:anno>/"

urlpatterns = [
    path(P, premi_views.pagina, name="premi"),
    path(P + "simulazione/", premi_views.simulazione, name="premi_simulazione"),
    path(P + "distribuisci/", premi_views.distribuisci, name="premi_distribuisci"),
    path(P + "prospetto.xlsx", premi_views.prospetto, name="premi_prospetto"),
]
