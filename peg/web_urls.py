"""The project's own pages: access, password, the comune and its stemma."""

from django.contrib.auth import views as auth_views
from django.urls import path

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
    path("<slug:comune>/", views.comune_detail, name="comune"),
    path("<slug:comune>/logo/", views.comune_logo, name="comune_logo"),
]
