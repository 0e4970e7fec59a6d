"""The DUP's strategic tree, to which the obiettivi link."""

from django.core.exceptions import ValidationError
from django.db import models

from .bilancio import Missione, Programma
from .piano import Piano


class NodoDUP(models.Model):
    """A node of the DUP strategic tree, of any depth and label.

    Seregno: Linea strategica → Azione strategica; Cinisello: Obiettivo di
    mandato → di missione → di programma (DUP_05_0401_0101); Chiavari: the bare
    "Riferimento DUP" numbers.
    """

    percorso_comune = "piano__comune"

    piano = models.ForeignKey(
        Piano, on_delete=models.CASCADE, related_name="nodi_dup", verbose_name="piano"
    )
    padre = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="figli",
        verbose_name="nodo superiore",
    )
    livello = models.CharField(
        "livello", max_length=60, help_text="Es. Linea strategica, Obiettivo di missione."
    )
    codice = models.CharField("codice", max_length=40)
    denominazione = models.CharField("denominazione", max_length=300, blank=True)
    missione = models.ForeignKey(
        Missione, on_delete=models.PROTECT, null=True, blank=True, verbose_name="missione"
    )
    programma = models.ForeignKey(
        Programma, on_delete=models.PROTECT, null=True, blank=True, verbose_name="programma"
    )
    ordine = models.PositiveIntegerField("ordine", default=0)

    class Meta:
        verbose_name = "nodo del DUP"
        verbose_name_plural = "albero del DUP"
        ordering = ["piano_id", "ordine", "codice"]
        constraints = [
            models.UniqueConstraint(
                fields=["piano", "codice"],
                name="nodo_dup_codice_unico",
                violation_error_message="Nel piano esiste già un nodo del DUP con questo codice.",
            )
        ]

    def __str__(self):
        testo = f"{self.livello}: {self.codice}"
        return f"{testo} {self.denominazione}" if self.denominazione else testo

    def clean(self):
        if not self.padre_id:
            return
        if self.padre.piano_id != self.piano_id:
            raise ValidationError({"padre": "Il nodo superiore appartiene a un altro piano."})
        antenato = self.padre
        while antenato is not None:
            if self.pk and antenato.pk == self.pk:
                raise ValidationError(
                    {"padre": "Il nodo non può stare sotto se stesso o un suo discendente."}
                )
            antenato = antenato.padre
