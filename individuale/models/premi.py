"""A distribution of a fondo (``distribuisci_premi`` or the premi page, not in dry run):
the fondo, what went to each person and why (score, fascia, base and maggiorazione of
art. 81 CCNL 2019-2021), the residuo. A later run for the same fondo supersedes it
(``attiva``): the payroll reads the one in force, the old ones stay as the record."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .schede import SchedaIndividuale
from .smvp import DECIMALE, EURO, Categoria, Smvp


class Distribuzione(models.Model):
    percorso_comune = "smvp__comune"

    # CASCADE: deleted only with its comune (the pages never delete an SMVP in use).
    smvp = models.ForeignKey(
        Smvp, on_delete=models.CASCADE, related_name="distribuzioni", verbose_name="sistema"
    )
    # None: the fondo unico shared by every category.
    categoria = models.ForeignKey(
        Categoria,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="distribuzioni",
        verbose_name="categoria",
    )
    fondo = models.DecimalField("fondo (€)", **EURO)
    distribuito = models.DecimalField("distribuito (€)", **EURO)
    maggiorazione_media = models.DecimalField(
        "premio individuale medio (€)", null=True, blank=True, **EURO
    )
    eseguita_il = models.DateTimeField("eseguita il")
    eseguita_da = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="eseguita da",
    )
    attiva = models.BooleanField("in vigore", default=True)

    class Meta:
        verbose_name = "distribuzione dei premi"
        verbose_name_plural = "distribuzioni dei premi"
        ordering = ["smvp_id", "-eseguita_il", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["smvp", "categoria"],
                condition=Q(attiva=True),
                name="distribuzione_una_in_vigore",
                violation_error_message="C'è già una distribuzione in vigore per questo fondo.",
            ),
            models.UniqueConstraint(
                fields=["smvp"],
                condition=Q(attiva=True, categoria__isnull=True),
                name="distribuzione_fondo_unico_in_vigore",
                violation_error_message="C'è già una distribuzione in vigore del fondo unico.",
            ),
            models.CheckConstraint(
                condition=Q(distribuito__lte=models.F("fondo")),
                name="distribuzione_entro_il_fondo",
                violation_error_message="Il distribuito non può superare il fondo.",
            ),
        ]

    def __str__(self):
        return f"Premi {self.smvp.anno}: {self.distribuito} su {self.fondo}"

    @property
    def residuo(self):
        """What the rounding down and the fasce at 0% left of the fondo."""
        return self.fondo - self.distribuito


class Quota(models.Model):
    percorso_comune = "distribuzione__smvp__comune"

    distribuzione = models.ForeignKey(
        Distribuzione, on_delete=models.CASCADE, related_name="quote", verbose_name="distribuzione"
    )
    scheda = models.ForeignKey(
        SchedaIndividuale, on_delete=models.RESTRICT, related_name="quote", verbose_name="scheda"
    )
    punteggio = models.DecimalField("punteggio finale", **DECIMALE)
    fascia = models.DecimalField("fascia: premio (%)", **DECIMALE)
    base = models.DecimalField("premio (€)", **EURO)
    maggiorazione = models.DecimalField("maggiorazione art. 81 (€)", **EURO, default=0)
    importo = models.DecimalField("importo (€)", **EURO)

    class Meta:
        verbose_name = "quota di premio"
        verbose_name_plural = "quote di premio"
        ordering = ["distribuzione_id", "-importo", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["distribuzione", "scheda"],
                name="quota_una_per_scheda",
                violation_error_message="La persona ha già una quota in questa distribuzione.",
            )
        ]

    def __str__(self):
        return f"{self.scheda.persona.nome}: {self.importo}"
