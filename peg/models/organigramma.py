"""The organigramma as a piano approved it: each settore's codice, name, materie and
responsabili fixed when the piano leaves the bozza, so that a later reorganisation
(a settore renamed, a new responsabile) never rewrites the piano's prints."""

from django.db import models

from .organizzazione import Settore
from .piano import Piano


class SettoreDelPiano(models.Model):
    """One settore as the piano printed it at its approval (``peg.organigramma_piano``)."""

    percorso_comune = "piano__comune"

    piano = models.ForeignKey(
        Piano, on_delete=models.CASCADE, related_name="organigramma", verbose_name="piano"
    )
    settore = models.ForeignKey(
        Settore, on_delete=models.CASCADE, related_name="nei_piani", verbose_name="settore"
    )
    codice = models.CharField("codice", max_length=20, blank=True)
    nome = models.CharField("denominazione", max_length=250)
    descrizione = models.TextField("materie del settore", blank=True)
    responsabili_testo = models.CharField(
        "responsabili (come stampato)", max_length=200, blank=True
    )
    # The names of the linked persone, joined: what the prints show when the settore
    # has no printed responsabile (``responsabili_testo`` empty).
    responsabili = models.TextField("responsabili collegati", blank=True)
    fissato_il = models.DateTimeField("fissato il", auto_now_add=True)

    class Meta:
        verbose_name = "settore del piano (organigramma all'approvazione)"
        verbose_name_plural = "settori del piano (organigramma all'approvazione)"
        ordering = ["piano_id", "codice", "nome"]
        constraints = [
            models.UniqueConstraint(
                fields=["piano", "settore"],
                name="settore_del_piano_unico",
                violation_error_message="Il piano ha già fissato questo settore.",
            )
        ]

    def __str__(self):
        return f"{self.codice} - {self.nome}" if self.codice else self.nome
