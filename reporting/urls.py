"""Dashboards, relazione, trends, prints (PDF), whole-piano books, Excel."""

from django.urls import path

from . import (
    excel_views,
    modelli_views,
    pdf_views,
    relazione_views,
    stampe_views,
    validazione_views,
    views,
)

urlpatterns = [
    # Cruscotti e grafici
    path(
        "<slug:comune>/piani/<int:piano_id>/cruscotto/",
        views.cruscotto_piano,
        name="cruscotto",
    ),
    path(
        "<slug:comune>/piani/<int:piano_id>/settori/<int:settore_id>/",
        views.cruscotto_settore,
        name="cruscotto_settore",
    ),
    path(
        "<slug:comune>/piani/<int:piano_id>/relazione/",
        relazione_views.relazione,
        name="relazione",
    ),
    path(
        "<slug:comune>/piani/<int:piano_id>/relazione/settori/<int:settore_id>/",
        relazione_views.relazione_settore,
        name="relazione_settore",
    ),
    path(
        "<slug:comune>/indicatori/<int:indicatore_id>/andamento/",
        views.andamento_indicatore,
        name="andamento_indicatore",
    ),
    # Stampe: the whole-piano PDF, built in the background (reporting.tasks)
    path(
        "<slug:comune>/piani/<int:piano_id>/stampa/",
        stampe_views.richiedi_stampa,
        name="richiedi_stampa",
    ),
    path("<slug:comune>/stampe/<int:stampa_id>/", stampe_views.stampa, name="stampa"),
    path(
        "<slug:comune>/stampe/<int:stampa_id>/scarica/",
        stampe_views.scarica_stampa,
        name="scarica_stampa",
    ),
    # Excel: export, empty template, import (segreteria)
    path("<slug:comune>/piani/<int:piano_id>/excel/", excel_views.esporta, name="excel_esporta"),
    path(
        "<slug:comune>/piani/<int:piano_id>/excel/modello/",
        excel_views.modello,
        name="excel_modello",
    ),
    path(
        "<slug:comune>/piani/<int:piano_id>/excel/importa/",
        excel_views.importa_excel,
        name="excel_importa",
    ),
    # PDF: scheda, rendicontazione, settore book, relazione (reporting.pdf_views)
    path(
        "<slug:comune>/obiettivi/<int:obiettivo_id>/pdf/",
        pdf_views.pdf_scheda,
        name="pdf_scheda",
    ),
    path(
        "<slug:comune>/obiettivi/<int:obiettivo_id>/rendicontazione.pdf",
        pdf_views.pdf_rendicontazione,
        name="pdf_rendicontazione",
    ),
    path(
        "<slug:comune>/piani/<int:piano_id>/settori/<int:settore_id>/pdf/",
        pdf_views.pdf_settore,
        name="pdf_settore",
    ),
    path(
        "<slug:comune>/piani/<int:piano_id>/relazione.pdf",
        pdf_views.pdf_relazione,
        name="pdf_relazione",
    ),
    # The Nucleo's documento di validazione della Relazione (reporting.validazione_relazione)
    path(
        "<slug:comune>/piani/<int:piano_id>/relazione/<int:anno>/validazione.pdf",
        validazione_views.documento_validazione,
        name="documento_validazione",
    ),
    # Modelli di stampa: the comune's models, a copy's page and preview, a piano's choice
    path(
        "<slug:comune>/modelli-di-stampa/",
        modelli_views.modelli_stampa,
        name="modelli_stampa",
    ),
    path(
        "<slug:comune>/modelli-di-stampa/copia/",
        modelli_views.copia_modello,
        name="copia_modello",
    ),
    path(
        "<slug:comune>/modelli-di-stampa/predefiniti/<slug:chiave>/",
        modelli_views.modello_predefinito,
        name="modello_predefinito",
    ),
    path(
        "<slug:comune>/modelli-di-stampa/<int:modello_id>/",
        modelli_views.modifica_modello,
        name="modifica_modello",
    ),
    path(
        "<slug:comune>/modelli-di-stampa/<int:modello_id>/anteprima/",
        modelli_views.anteprima_modello,
        name="anteprima_modello",
    ),
    path(
        "<slug:comune>/piani/<int:piano_id>/modelli-di-stampa/",
        modelli_views.modelli_piano,
        name="modelli_piano",
    ),
    path(
        "<slug:comune>/piani/<int:piano_id>/modelli-di-stampa/aggiorna/",
        modelli_views.aggiorna_modello_piano,
        name="aggiorna_modello_piano",
    ),
]
