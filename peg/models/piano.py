"""The piano (PEG, PDO, PIAO) of a comune for one or more years, with its measurement
system (SMVP): how scores are aggregated and what a missing value does."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from indicators.engine.graduation import GraduationSyntaxError, parse

from ..fields import percentuale_validators
from .ente import Comune


class Piano(models.Model):
    percorso_comune = "comune"

    class Tipo(models.TextChoices):
        PEG = "PEG", "PEG - Piano esecutivo di gestione"
        PDO = "PDO", "PDO - Piano dettagliato degli obiettivi"
        PIAO = "PIAO", "PIAO - Sezione performance"

    class Stato(models.TextChoices):
        BOZZA = "bozza", "Bozza"
        APPROVATO = "approvato", "Approvato"
        IN_MONITORAGGIO = "in_monitoraggio", "In monitoraggio"
        RENDICONTATO = "rendicontato", "Rendicontato"
        VALIDATO = "validato", "Validato"

    class BaseObiettivo(models.TextChoices):
        INDICATORI = "indicatori", "gli indicatori (media pesata)"
        FASI = "fasi", "le fasi (media pesata)"
        ENTRAMBI = "entrambi", "indicatori e fasi"

    class BaseSettore(models.TextChoices):
        PESO = "peso", "peso nel settore"
        PUNTEGGIO = "punteggio", "punteggio della pesatura"

    class ValoriMancanti(models.TextChoices):
        INCOMPLETO = "incompleto", "rende incompleto il risultato superiore"
        ZERO = "zero", "vale 0"
        ESCLUDI = "escludi", "è escluso e gli altri pesi sono riproporzionati"

    comune = models.ForeignKey(
        Comune, on_delete=models.CASCADE, related_name="piani", verbose_name="comune"
    )
    tipo = models.CharField("tipo", max_length=4, choices=Tipo.choices, default=Tipo.PEG)
    titolo = models.CharField("titolo", max_length=200)
    anno_inizio = models.PositiveSmallIntegerField("anno di inizio")
    anno_fine = models.PositiveSmallIntegerField("anno di fine")
    stato = models.CharField("stato", max_length=20, choices=Stato.choices, default=Stato.BOZZA)
    delibera_numero = models.CharField("delibera di approvazione n.", max_length=30, blank=True)
    delibera_data = models.DateField("delibera del", null=True, blank=True)
    vista_dup = models.CharField(
        "DUP di riferimento", max_length=120, blank=True, help_text="Es. DUP 2019-2021."
    )
    note = models.TextField("note", blank=True)
    note_trascrizione = models.TextField(
        "note di trascrizione",
        blank=True,
        help_text="Come è stato trascritto il documento originale: solo nell'amministrazione, "
        "mai nelle pagine né nelle stampe.",
    )

    # Sistema di misurazione (SMVP): how scores are aggregated in this piano.
    base_obiettivo = models.CharField(
        "l'obiettivo si misura con",
        max_length=10,
        choices=BaseObiettivo.choices,
        default=BaseObiettivo.INDICATORI,
    )
    quota_indicatori = models.DecimalField(
        "quota degli indicatori (%)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("50"),
        validators=percentuale_validators("Quota degli indicatori"),
        help_text="Solo se l'obiettivo si misura con indicatori e fasi: il resto va alle fasi.",
    )
    base_settore = models.CharField(
        "il settore pesa gli obiettivi per",
        max_length=10,
        choices=BaseSettore.choices,
        default=BaseSettore.PESO,
    )
    valori_mancanti = models.CharField(
        "un valore non rilevato",
        max_length=10,
        choices=ValoriMancanti.choices,
        default=ValoriMancanti.INCOMPLETO,
    )
    riproporziona_pesi = models.BooleanField(
        "riproporziona i pesi che non sommano a 100",
        default=False,
        help_text="Se no, i pesi valgono come scritti e la differenza da 100 è segnalata.",
    )
    soglia_raggiunto = models.DecimalField(
        "un obiettivo è raggiunto da (%)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("100"),
        validators=percentuale_validators("La soglia di raggiungimento"),
        help_text="Sotto questa percentuale la relazione elenca l'obiettivo tra i non raggiunti.",
    )
    regola_predefinita = models.CharField(
        "graduazione predefinita",
        max_length=200,
        default="proporzionale",
        help_text="Usata per gli indicatori senza graduazione, es. «proporzionale».",
    )

    class Meta:
        verbose_name = "piano"
        verbose_name_plural = "piani"
        ordering = ["comune_id", "-anno_inizio", "tipo"]
        constraints = [
            models.CheckConstraint(
                condition=Q(anno_fine__gte=F("anno_inizio")),
                name="piano_anni_ordinati",
                violation_error_message="Piano: l'anno di fine non può precedere l'anno di inizio.",
            ),
            models.UniqueConstraint(
                fields=["comune", "tipo", "anno_inizio", "titolo"],
                name="piano_unico_per_comune",
                violation_error_message="Esiste già un piano con questo tipo, anno e titolo.",
            ),
        ]

    def __str__(self):
        return f"{self.get_tipo_display().split(' - ')[0]} {self.anni_label} - {self.comune.nome}"

    def clean(self):
        try:
            parse(self.regola_predefinita)
        except GraduationSyntaxError as exc:
            raise ValidationError(
                {"regola_predefinita": f"Graduazione non leggibile: {exc}"}
            ) from exc

    @property
    def anni_label(self) -> str:
        if self.anno_inizio == self.anno_fine:
            return str(self.anno_inizio)
        return f"{self.anno_inizio}-{self.anno_fine}"

    @property
    def anni(self) -> range:
        return range(self.anno_inizio, self.anno_fine + 1)
