"""The demo's publications: Seregno's and Cinisello Balsamo's 2019 piani are in
«Amministrazione trasparente» out of the box (piano and sistema di misurazione), so the
public pages show real content. Their relazione stays unpublished: the OIV has not
validated their schede yet (the README's walkthrough does it, then the segreteria
publishes). Received from the demo loader (``objectives.demo_loader``, a lower layer)
for each piano it loads; the documents' delibere are not in the demo files, so none is
written."""

from __future__ import annotations

from .models import Pubblicazione
from .pubblicazioni import pubblica

PUBBLICATI = {"seregno": 2019, "cinisello-balsamo": 2019}
DOCUMENTI = (Pubblicazione.Tipo.PIANO, Pubblicazione.Tipo.SISTEMA)
MOTIVO = "Dati dimostrativi: piano pubblicato"


def pubblica_demo(sender, piano, dati, **kwargs) -> None:
    anno = PUBBLICATI.get(piano.comune.slug)
    if anno is None or not piano.anno_inizio <= anno <= piano.anno_fine:
        return
    for tipo in DOCUMENTI:
        pubblica(piano, anno, tipo, utente=None, motivo=MOTIVO)
