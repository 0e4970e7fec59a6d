"""The Nucleo di valutazione (or OIV) as a collegial body: its members, its sedute and
their verbali. Validations, integration requests and the individual proposals reference
the seduta in which they were decided (``Validazione.seduta``, ``Commento.seduta``,
``individuale.SchedaIndividuale.seduta_proposta``): documents show the seduta's date,
the recorded timestamps stay for ordering and audit.

One Nucleo may serve several comuni (a convenzione, as the demo ``oiv``): a seduta
belongs to one comune, and its verbale is numbered per comune and year."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from indicators.engine.formatting import data_lunga
from peg.models import Comune
from peg.storia import Storia


class Nucleo(models.Model):
    """The body that validates: monocratic (one member) or collegial (a presidente)."""

    nome = models.CharField(
        "denominazione", max_length=200, help_text="Es. Nucleo di valutazione associato."
    )
    comuni = models.ManyToManyField(
        Comune, related_name="nuclei", verbose_name="comuni serviti", blank=True
    )
    history = Storia(verbose_name="storico del nucleo")

    class Meta:
        verbose_name = "nucleo di valutazione"
        verbose_name_plural = "nuclei di valutazione"
        ordering = ["nome", "id"]

    def __str__(self):
        return self.nome


class Componente(models.Model):
    """A member of the Nucleo: usually external (not a person of the comune's staff)."""

    nucleo = models.ForeignKey(
        Nucleo, on_delete=models.CASCADE, related_name="componenti", verbose_name="nucleo"
    )
    nome = models.CharField("nome e cognome", max_length=120)
    qualifica = models.CharField(
        "qualifica", max_length=200, blank=True, help_text="Es. Esperto esterno, presidente."
    )
    esterno = models.BooleanField("esterno all'ente", default=True)
    presidente = models.BooleanField("presidente", default=False)
    utente = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="componenti_nucleo",
        verbose_name="utente",
        help_text="L'accesso con cui il componente lavora nel sistema, se ne ha uno.",
    )
    dal = models.DateField("in carica dal", null=True, blank=True)
    al = models.DateField("in carica fino al", null=True, blank=True)
    history = Storia(verbose_name="storico del componente")

    class Meta:
        verbose_name = "componente del nucleo"
        verbose_name_plural = "componenti del nucleo"
        ordering = ["nucleo_id", "-presidente", "nome", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["nucleo"],
                condition=Q(presidente=True, al__isnull=True),
                name="un_presidente_in_carica",
                violation_error_message="Il nucleo ha già un presidente in carica.",
            )
        ]

    def __str__(self):
        return f"{self.nome} (presidente)" if self.presidente else self.nome


class Seduta(models.Model):
    """A meeting of the Nucleo for one comune, with its verbale (numbered per year)."""

    percorso_comune = "comune"

    nucleo = models.ForeignKey(
        Nucleo, on_delete=models.PROTECT, related_name="sedute", verbose_name="nucleo"
    )
    comune = models.ForeignKey(
        Comune, on_delete=models.CASCADE, related_name="sedute_nucleo", verbose_name="comune"
    )
    anno = models.PositiveSmallIntegerField("anno del verbale")
    numero = models.PositiveSmallIntegerField("verbale n.")
    data = models.DateField("data della seduta")
    presenti = models.ManyToManyField(
        Componente, related_name="sedute", verbose_name="componenti presenti", blank=True
    )
    ordine_del_giorno = models.TextField("ordine del giorno", blank=True)
    verbale = models.TextField("verbale", blank=True)
    # A closed seduta's verbale is final: nothing more is decided in it.
    chiusa = models.BooleanField("verbale chiuso", default=False)
    registrata_da = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="registrata da",
    )
    registrata_il = models.DateTimeField("registrata il", auto_now_add=True)
    history = Storia(verbose_name="storico della seduta")

    class Meta:
        verbose_name = "seduta del nucleo"
        verbose_name_plural = "sedute del nucleo"
        ordering = ["comune_id", "-data", "-numero", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["nucleo", "comune", "anno", "numero"],
                name="seduta_numero_unico",
                violation_error_message="Esiste già un verbale con questo numero per l'anno.",
            )
        ]

    def __str__(self):
        return f"Verbale n. {self.numero}/{self.anno} del {data_lunga(self.data)}"
