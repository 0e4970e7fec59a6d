"""What the PIAO keeps when the next year is prepared (objectives.anno_successivo):
each new scheda takes the PIAO themes of the scheda it comes from, as the scheda takes
its ambiti, so the segreteria does not tag the year again."""

from django.dispatch import receiver

from objectives.anno_successivo.prepara import schede_preparate

from .models import TemaObiettivo


@receiver(schede_preparate)
def temi_dell_anno_prima(sender, coppie, **kwargs):
    nuova_di = {vecchia.pk: nuova.pk for vecchia, nuova in coppie}
    righe = TemaObiettivo.objects.filter(obiettivo_id__in=nuova_di).values_list(
        "obiettivo_id", "tema"
    )
    TemaObiettivo.objects.bulk_create(
        [TemaObiettivo(obiettivo_id=nuova_di[pk], tema=tema) for pk, tema in righe],
        ignore_conflicts=True,
    )
