from django.db import models

from peg.fields import date_order


class Periodo(models.Model):
    """Inizio e fine, previsti ed effettivi (informazioni temporali di obiettivi e fasi)."""

    data_inizio_prevista = models.DateField("inizio previsto", null=True, blank=True)
    data_fine_prevista = models.DateField("fine prevista", null=True, blank=True)
    data_inizio_effettiva = models.DateField("inizio effettivo", null=True, blank=True)
    data_fine_effettiva = models.DateField("fine effettiva", null=True, blank=True)

    class Meta:
        abstract = True
        constraints = [
            date_order(
                "data_inizio_prevista",
                "data_fine_prevista",
                "%(class)s_date_previste",
                "Date previste",
            ),
            date_order(
                "data_inizio_effettiva",
                "data_fine_effettiva",
                "%(class)s_date_effettive",
                "Date effettive",
            ),
        ]
