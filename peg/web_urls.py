"""The project's own pages: access, password (change and reset), the comune, its stemma
and its locked logins."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import salute, views

urlpatterns = [
    # Answered by the middleware peg.salute.Salute first; here so that it is reserved.
    path("salute/", salute.vista, name="salute"),
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
    path("password/dimenticata/", views.RecuperoPassword.as_view(), name="password_reset"),
    path(
        "password/dimenticata/inviata/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="registration/password_reset_done.html"
        ),
        name="password_reset_done",
    ),
    path(
        "password/nuova/<uidb64>/<token>/",
        views.NuovaPassword.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/nuova/impostata/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="registration/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("", include("peg.anagrafica.urls")),
    path("<slug:comune>/", views.comune_detail, name="comune"),
    path("<slug:comune>/logo/", views.comune_logo, name="comune_logo"),
    path("<slug:comune>/accessi-bloccati/", views.accessi_bloccati, name="accessi_bloccati"),
    path(
        "<slug:comune>/accessi-bloccati/sblocca/",
        views.sblocca_accesso,
        name="sblocca_accesso",
    ),
]
