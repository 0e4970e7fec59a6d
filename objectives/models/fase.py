from django.db import models

from indicators.regola import ConGraduazione
from peg.fields import percentuale_validators, peso_field, range_0_100
from peg.storia import Storia

from .obiettivo import Obiettivo
from .periodo import Periodo


class Fase(ConGraduazione, Periodo):
    """A fase of the piano operativo (sub-obiettivo / attività)."""

    percorso_comune = "obiettivo__piano__comune"

    obiettivo = models.ForeignKey(
        Obiettivo, on_delete=models.CASCADE, related_name="fasi", verbose_name="obiettivo"
    )
    numero = models.PositiveSmallIntegerField("n°")
    codice_attivita = models.CharField(
        "codice attività",
        max_length=40,
        blank=True,
        help_text="Quando la scheda raggruppa più attività (Seregno: Ob_Obiet050901).",
    )
    peso = peso_field()
    descrizione = models.TextField("sub-obiettivo / attività")
    tempi_testo = models.CharField("tempi (come stampati)", max_length=200, blank=True)
    indicatore = models.TextField("indicatore", blank=True)
    livello_atteso = models.CharField("livello atteso", max_length=120, blank=True)
    raggiunto = models.CharField("raggiunto", max_length=120, blank=True)
    avanzamento = models.DecimalField(
        "avanzamento (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=percentuale_validators("Avanzamento"),
    )
    responsabile = models.CharField("responsabile", max_length=120, blank=True)
    centro_di_responsabilita = models.CharField(
        "centro di responsabilità", max_length=200, blank=True
    )
    monitoraggio = models.TextField("monitoraggio / note", blank=True)
    note_trascrizione = models.TextField("note di trascrizione", blank=True)
    history = Storia(verbose_name="storico della fase")

    class Meta(Periodo.Meta):
        verbose_name = "fase"
        verbose_name_plural = "fasi (piano operativo)"
        ordering = ["obiettivo_id", "numero"]
        constraints = [
            *Periodo.Meta.constraints,
            models.UniqueConstraint(
                fields=["obiettivo", "numero"],
                name="fase_numero_unico",
                violation_error_message="Fase: il numero è già usato in questo obiettivo.",
            ),
            range_0_100("peso", "fase_peso_0_100", "Il peso della fase"),
            range_0_100("avanzamento", "fase_avanzamento_0_100", "L'avanzamento della fase"),
        ]

    def __str__(self):
        return f"Fase {self.numero}: {self.descrizione[:60]}"
