"""Amministrazione trasparente: the public section under /trasparenza/<slug>/ (no login)
and the segreteria's publications under /<slug>/trasparenza/."""

from django.urls import path

from . import pubbliche_views as pub
from . import views

P = "trasparenza/<slug:comune>/"
A = P + "<int:anno>/"

urlpatterns = [
    path("robots.txt", pub.robots, name="robots_txt"),
    path(P, pub.indice, name="trasparenza_indice"),
    path(P + "logo/", pub.logo, name="trasparenza_logo"),
    path(A + "piano/", pub.piano, name="trasparenza_piano"),
    path(A + "piano.pdf", pub.piano_pdf, name="trasparenza_piano_pdf"),
    path(A + "relazione/", pub.relazione, name="trasparenza_relazione"),
    path(A + "relazione.pdf", pub.relazione_pdf, name="trasparenza_relazione_pdf"),
    path(A + "sistema/", pub.sistema, name="trasparenza_sistema"),
    path(A + "validazione/", pub.validazione, name="trasparenza_validazione"),
    path(A + "validazione.pdf", pub.validazione_pdf, name="trasparenza_validazione_pdf"),
    path(A + "premi/ammontare/", pub.premi_ammontare, name="trasparenza_premi_ammontare"),
    path(A + "premi/dati/", pub.premi_dati, name="trasparenza_premi_dati"),
    path(P + "dati/catalogo.jsonld", pub.catalogo, name="trasparenza_catalogo"),
    path(P + "dati/piano-<int:anno>.csv", pub.dati_csv, name="trasparenza_dati_csv"),
    path(P + "dati/piano-<int:anno>.json", pub.dati_json, name="trasparenza_dati_json"),
    path("<slug:comune>/trasparenza/", views.gestione, name="trasparenza_gestione"),
    path(
        "<slug:comune>/trasparenza/piani/<int:piano_id>/<int:anno>/<str:tipo>/pubblica/",
        views.pubblica,
        name="trasparenza_pubblica",
    ),
    path(
        "<slug:comune>/trasparenza/pubblicazioni/<int:pubblicazione_id>/ritira/",
        views.ritira,
        name="trasparenza_ritira",
    ),
]
