from django.contrib.auth import views as auth_views
from django.urls import path

from objectives import campagne_views, planning_views
from objectives import views as objective_views
from reporting import excel_views, pdf_views, relazione_views, stampe_views
from reporting import views as reporting_views
from valutazione import allegati_views
from valutazione import views as valutazione_views

from . import views

urlpatterns = [
    path("accesso/", auth_views.LoginView.as_view(template_name="accesso.html"), name="login"),
    path("uscita/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(template_name="password.html"),
        name="password_change",
    ),
    path(
        "password/cambiata/",
        auth_views.PasswordChangeDoneView.as_view(template_name="password_cambiata.html"),
        name="password_change_done",
    ),
    path("", views.home, name="home"),
    path("<slug:comune>/", views.comune_detail, name="comune"),
    path("<slug:comune>/logo/", views.comune_logo, name="comune_logo"),
    path("<slug:comune>/piani/<int:piano_id>/", views.piano_detail, name="piano"),
    path(
        "<slug:comune>/obiettivi/<int:obiettivo_id>/",
        objective_views.obiettivo_detail,
        name="obiettivo",
    ),
    path(
        "<slug:comune>/obiettivi/<int:obiettivo_id>/stato/",
        objective_views.cambia_stato,
        name="cambia_stato",
    ),
    path(
        "<slug:comune>/obiettivi/<int:obiettivo_id>/rendicontazione/",
        objective_views.rendicontazione,
        name="rendicontazione",
    ),
    path(
        "<slug:comune>/obiettivi/<int:obiettivo_id>/rendicontazione/anteprima/",
        objective_views.anteprima_rendicontazione,
        name="anteprima_rendicontazione",
    ),
    path(
        "<slug:comune>/piani/<int:piano_id>/approva/",
        objective_views.approva_piano,
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
    # Cruscotti e grafici
    path(
        "<slug:comune>/piani/<int:piano_id>/cruscotto/",
        reporting_views.cruscotto_piano,
        name="cruscotto",
    ),
    path(
        "<slug:comune>/piani/<int:piano_id>/settori/<int:settore_id>/",
        reporting_views.cruscotto_settore,
        name="cruscotto_settore",
    ),
    path(
        "<slug:comune>/piani/<int:piano_id>/relazione/",
        relazione_views.relazione,
        name="relazione",
    ),
    path(
        "<slug:comune>/indicatori/<int:indicatore_id>/andamento/",
        reporting_views.andamento_indicatore,
        name="andamento_indicatore",
    ),
    # Valutazione dell'OIV
    path("<slug:comune>/valutazione/", valutazione_views.coda, name="coda_valutazione"),
    path(
        "<slug:comune>/obiettivi/<int:obiettivo_id>/valutazione/",
        valutazione_views.revisione,
        name="revisione",
    ),
    path(
        "<slug:comune>/obiettivi/<int:obiettivo_id>/valutazione/valida/",
        valutazione_views.valida,
        name="valida",
    ),
    path(
        "<slug:comune>/obiettivi/<int:obiettivo_id>/valutazione/integrazione/",
        valutazione_views.integrazione,
        name="integrazione",
    ),
    path(
        "<slug:comune>/obiettivi/<int:obiettivo_id>/commenti/",
        valutazione_views.commenta,
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
]
