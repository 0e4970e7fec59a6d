"""The individual side of the SMVP as Amministrazione trasparente publishes it with the
«Sistema di misurazione e valutazione della performance» (D.Lgs 33/2013 art. 20 c. 1,
D.Lgs 150/2009 art. 7): categories with who evaluates and the weights, the catalogue of
comportamenti with their scale, the fasce, the conciliazione, the validation gate and
the criterion of the premi. Rules only: no person, no score, no amount."""

from .models import Smvp
from .smvp import aree_testo, fasce_con_limiti, riepilogo_pesi


def contesto(comune, anno: int) -> dict | None:
    """What the public page shows of the comune's SMVP of ``anno`` (None: there is none)."""
    smvp = Smvp.objects.filter(comune=comune, anno=anno).first()
    if smvp is None:
        return None
    categorie = list(smvp.categorie.prefetch_related("comportamenti"))
    for c in categorie:
        c.pesi, c.aree_testo = riepilogo_pesi(c), aree_testo(c)
    return {"smvp": smvp, "categorie": categorie, "fasce": fasce_con_limiti(smvp)}
