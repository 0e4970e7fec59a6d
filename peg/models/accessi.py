"""Unlocked logins: who unlocked whose account, when (the lock itself is django-axes')."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .ente import Comune


class Sblocco(models.Model):
    """The segreteria of a comune lifted the lock of one of its users (peg.blocchi)."""

    percorso_comune = "comune"

    comune = models.ForeignKey(
        Comune, on_delete=models.CASCADE, related_name="sblocchi", verbose_name="comune"
    )
    utente = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="sblocchi_ricevuti",
        verbose_name="utente sbloccato",
    )
    sbloccato_da = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="sblocchi_fatti",
        verbose_name="sbloccato da",
    )
    il = models.DateTimeField("quando", default=timezone.now)
    tentativi = models.PositiveIntegerField("tentativi falliti", default=0)

    class Meta:
        verbose_name = "sblocco di un accesso"
        verbose_name_plural = "sblocchi degli accessi"
        ordering = ["-il", "-id"]

    def __str__(self):
        return f"{self.utente} sbloccato il {timezone.localtime(self.il):%d/%m/%Y %H:%M}"
