"""What a user may do in one comune: the roles every access check starts from."""

from django.conf import settings
from django.db import models

from .ente import Comune
from .organizzazione import Settore


class Ruolo(models.Model):
    """What a user may do in one comune. A person may hold roles in several comuni."""

    percorso_comune = "comune"

    class Tipo(models.TextChoices):
        SEGRETERIA = "segreteria", "Segreteria / controllo di gestione"
        RESPONSABILE = "responsabile", "Responsabile di settore"
        OIV = "oiv", "OIV / Nucleo di valutazione"
        LETTORE = "lettore", "Lettore (giunta, sindaco)"
        # The individual evaluation (individuale/): who decides on the Nucleo's proposals
        # (segretario, dirigenti/EQ), who pays the premi, and the staff who read only
        # their own scheda di valutazione.
        SINDACO = "sindaco", "Sindaco (decide le valutazioni proposte dal Nucleo)"
        PERSONALE = "personale", "Ufficio personale (premi)"
        DIPENDENTE = "dipendente", "Dipendente (vede la propria scheda di valutazione)"

    utente = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="ruoli",
        verbose_name="utente",
    )
    comune = models.ForeignKey(
        Comune, on_delete=models.CASCADE, related_name="ruoli", verbose_name="comune"
    )
    tipo = models.CharField("ruolo", max_length=20, choices=Tipo.choices)
    settori = models.ManyToManyField(
        Settore,
        blank=True,
        related_name="ruoli",
        verbose_name="settori",
        help_text="Per il responsabile: i settori di cui risponde.",
    )

    class Meta:
        verbose_name = "ruolo"
        verbose_name_plural = "ruoli"
        ordering = ["comune_id", "utente_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["utente", "comune", "tipo"],
                name="ruolo_unico",
                violation_error_message="L'utente ha già questo ruolo in questo comune.",
            )
        ]

    def __str__(self):
        return f"{self.utente} - {self.get_tipo_display()} - {self.comune.nome}"
