"""The OIV's review of a rendicontazione, the thread with the responsabile, the evidence.

A validation keeps what the engine computed next to what the OIV decided: both are
shown everywhere, the validated one counts while the obiettivo stays validato.
"""

import os
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q

from indicators.models import Indicatore
from objectives.models import Fase, Obiettivo

PUNTEGGIO = {"max_digits": 7, "decimal_places": 2}


class Validazione(models.Model):
    """One validation of an obiettivo by the OIV; a later one supersedes it."""

    percorso_comune = "obiettivo__piano__comune"

    obiettivo = models.ForeignKey(
        Obiettivo, on_delete=models.CASCADE, related_name="validazioni", verbose_name="obiettivo"
    )
    utente = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="validato da",
    )
    quando = models.DateTimeField("validato il")
    punteggio_calcolato = models.DecimalField(
        "punteggio calcolato", null=True, blank=True, **PUNTEGGIO
    )
    punteggio = models.DecimalField("punteggio validato", null=True, blank=True, **PUNTEGGIO)
    note = models.TextField("note dell'OIV", blank=True)
    # The seduta of the Nucleo in which it was decided (documents show its date).
    seduta = models.ForeignKey(
        "valutazione.Seduta",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="validazioni",
        verbose_name="seduta",
    )
    # False once a newer validation exists or the obiettivo was reopened and revalidated.
    attiva = models.BooleanField("in vigore", default=True)

    class Meta:
        verbose_name = "validazione"
        verbose_name_plural = "validazioni"
        ordering = ["obiettivo_id", "-quando", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["obiettivo"],
                condition=Q(attiva=True),
                name="una_validazione_attiva",
                violation_error_message="L'obiettivo ha già una validazione in vigore.",
            )
        ]

    def __str__(self):
        return f"Validazione di {self.obiettivo.codice} del {self.quando:%d/%m/%Y}"


class PunteggioValidato(models.Model):
    """A score the OIV set differently from the computed one, with the reason.

    ``indicatore`` empty: the obiettivo's own score."""

    percorso_comune = "obiettivo__piano__comune"

    validazione = models.ForeignKey(
        Validazione, on_delete=models.CASCADE, related_name="rettifiche", verbose_name="validazione"
    )
    obiettivo = models.ForeignKey(
        Obiettivo,
        on_delete=models.CASCADE,
        related_name="punteggi_validati",
        verbose_name="obiettivo",
    )
    indicatore = models.ForeignKey(
        Indicatore,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="punteggi_validati",
        verbose_name="indicatore",
    )
    punteggio_calcolato = models.DecimalField(
        "punteggio calcolato", null=True, blank=True, **PUNTEGGIO
    )
    punteggio = models.DecimalField("punteggio validato", **PUNTEGGIO)
    motivazione = models.TextField("motivazione")
    attivo = models.BooleanField("in vigore", default=True)

    class Meta:
        verbose_name = "punteggio validato"
        verbose_name_plural = "punteggi validati"
        ordering = ["obiettivo_id", "indicatore_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(punteggio__gte=0) & Q(punteggio__lte=100),
                name="punteggio_validato_0_100",
                violation_error_message="Il punteggio validato deve essere compreso tra 0 e 100.",
            ),
            models.CheckConstraint(
                condition=~Q(motivazione=""),
                name="punteggio_validato_motivato",
                violation_error_message="Un punteggio diverso da quello calcolato richiede la motivazione.",
            ),
            models.UniqueConstraint(
                fields=["validazione", "indicatore"],
                name="rettifica_unica_per_indicatore",
            ),
            models.UniqueConstraint(
                fields=["validazione"],
                condition=Q(indicatore__isnull=True),
                name="rettifica_unica_per_obiettivo",
            ),
        ]

    def __str__(self):
        oggetto = f"indicatore {self.indicatore.numero}" if self.indicatore_id else "obiettivo"
        return f"{oggetto}: {self.punteggio}"


class Commento(models.Model):
    """The thread between OIV, responsabile and segreteria about one obiettivo."""

    percorso_comune = "obiettivo__piano__comune"

    class Tipo(models.TextChoices):
        COMMENTO = "commento", "Commento"
        INTEGRAZIONE = "integrazione", "Richiesta di integrazione"
        VALIDAZIONE = "validazione", "Validazione"

    obiettivo = models.ForeignKey(
        Obiettivo, on_delete=models.CASCADE, related_name="commenti", verbose_name="obiettivo"
    )
    autore = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="autore"
    )
    tipo = models.CharField("tipo", max_length=12, choices=Tipo.choices, default=Tipo.COMMENTO)
    testo = models.TextField("testo")
    quando = models.DateTimeField("scritto il")
    # Integration requests and validations: the seduta in which the Nucleo decided.
    seduta = models.ForeignKey(
        "valutazione.Seduta",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="commenti",
        verbose_name="seduta",
    )

    class Meta:
        verbose_name = "commento"
        verbose_name_plural = "commenti"
        ordering = ["obiettivo_id", "quando", "id"]

    def __str__(self):
        return f"{self.get_tipo_display()} di {self.autore} su {self.obiettivo.codice}"


class ArchivioPrivato(FileSystemStorage):
    """``settings.ALLEGATI_ROOT``, read at each use; no URL: files go out only through
    the view that checks who may see the obiettivo."""

    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.ALLEGATI_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Gli allegati non hanno un indirizzo pubblico: si scaricano dalla scheda.")


def _archivio_allegati():
    return ArchivioPrivato()


def _percorso(allegato, filename: str) -> str:
    estensione = Path(filename).suffix.lower()
    return (
        f"{allegato.obiettivo.piano.comune_id}/{allegato.obiettivo_id}/{allegato.uuid}{estensione}"
    )


class Allegato(models.Model):
    """Evidence of a result: a delibera, a determinazione, a verbale, a photo."""

    percorso_comune = "obiettivo__piano__comune"

    class Tipo(models.TextChoices):
        DELIBERA = "delibera", "Delibera"
        DETERMINAZIONE = "determinazione", "Determinazione"
        VERBALE = "verbale", "Verbale"
        RELAZIONE = "relazione", "Relazione"
        ALTRO = "altro", "Altro documento"

    uuid = models.UUIDField("identificativo", unique=True, default=uuid.uuid4, editable=False)
    obiettivo = models.ForeignKey(
        Obiettivo, on_delete=models.CASCADE, related_name="allegati", verbose_name="obiettivo"
    )
    indicatore = models.ForeignKey(
        Indicatore,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="allegati",
        verbose_name="indicatore",
    )
    fase = models.ForeignKey(
        Fase,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="allegati",
        verbose_name="fase",
    )
    tipo = models.CharField("tipo di documento", max_length=15, choices=Tipo.choices)
    descrizione = models.CharField("descrizione", max_length=250)
    file = models.FileField("file", storage=_archivio_allegati, upload_to=_percorso, max_length=250)
    nome_file = models.CharField("nome del file", max_length=250)
    content_type = models.CharField("tipo MIME", max_length=100)
    dimensione = models.PositiveBigIntegerField("dimensione (byte)")
    caricato_da = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="caricato da",
    )
    caricato_il = models.DateTimeField("caricato il")

    class Meta:
        verbose_name = "allegato"
        verbose_name_plural = "allegati"
        ordering = ["obiettivo_id", "caricato_il", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(indicatore__isnull=True) | Q(fase__isnull=True),
                name="allegato_di_un_solo_elemento",
                violation_error_message="Un allegato riguarda l'obiettivo, un indicatore o una fase, non entrambi.",
            )
        ]

    def __str__(self):
        return f"{self.get_tipo_display()}: {self.descrizione}"

    @property
    def riferimento(self) -> str:
        if self.indicatore_id:
            return f"Indicatore {self.indicatore.numero}"
        if self.fase_id:
            return f"Fase {self.fase.numero}"
        return "Obiettivo"
