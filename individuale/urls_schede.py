"""Routes of the schede pages (see individuale/urls.py)."""

from django.urls import path

from . import schede_views as v

ANNO = "<slug:comune>/valutazione-individuale/<int:anno>/schede/"
SCHEDA = "<slug:comune>/valutazione-individuale/schede/<int:scheda_id>/"

urlpatterns = [
    path(ANNO, v.elenco, name="schede_individuali"),
    path(f"{ANNO}crea/", v.crea, name="crea_schede_individuali"),
    path(f"{ANNO}rendi-definitive/", v.rendi_definitive, name="rendi_definitive_scadute"),
    path(f"{ANNO}servizio/", v.servizio_dell_anno, name="servizio_schede_individuali"),
    path(SCHEDA, v.scheda, name="scheda_individuale"),
    path(f"{SCHEDA}voti/", v.voti, name="voti_scheda_individuale"),
    path(f"{SCHEDA}obiettivi/", v.obiettivi, name="obiettivi_scheda_individuale"),
    path(f"{SCHEDA}servizio/", v.dati_di_servizio, name="servizio_scheda_individuale"),
    path(f"{SCHEDA}azioni/<str:nome>/", v.azione, name="azione_scheda_individuale"),
    path(f"{SCHEDA}pdf/", v.pdf, name="pdf_scheda_individuale"),
]
