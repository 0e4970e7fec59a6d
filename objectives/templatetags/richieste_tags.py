"""The richieste di variazione where other pages show them, each a small include:

- {% richieste_della_scheda obiettivo %}: the scheda's requests and «Chiedi una variazione»;
- {% richieste_in_attesa piano %}: on the piano's page, how many wait, with the list's link;
- {% richieste_da_fare comune %}: on the home, what waits for the user (the segreteria
  decides, a responsabile follows his own).
"""

from datetime import timedelta

from django import template
from django.db.models import Q
from django.utils import timezone

from objectives import richieste
from objectives.access import richieste_visibili, vede_richieste
from objectives.models import RichiestaVariazione
from peg.access import ruoli

register = template.Library()
R = RichiestaVariazione.Stato
# How long a decided request stays on the responsabile's home.
RECENTI_GIORNI = 30


@register.inclusion_tag("objectives/_richieste_scheda.html", takes_context=True)
def richieste_della_scheda(context, obiettivo):
    user = context["request"].user
    comune = obiettivo.piano.comune
    r = ruoli(user, comune)
    elenco = []
    # None to look for if the scheda's reader found it has none (leggi_scheda).
    if getattr(obiettivo, "presenti", {}).get("richieste_variazione", True) and vede_richieste(
        user, comune, r
    ):
        elenco = list(
            richieste_visibili(user, comune, r)
            .filter(obiettivo=obiettivo)
            .select_related("richiesta_da", "obiettivo")
            .order_by("-richiesta_il", "-id")
        )
    return {
        "comune": comune,
        "obiettivo": obiettivo,
        "elenco": elenco,
        "puo_chiedere": richieste.puo_chiedere(user, obiettivo),
    }


@register.inclusion_tag("objectives/_richieste_piano.html", takes_context=True)
def richieste_in_attesa(context, piano):
    user = context["request"].user
    r = ruoli(user, piano.comune)
    visibile = vede_richieste(user, piano.comune, r)
    n = 0
    if visibile:
        n = (
            richieste_visibili(user, piano.comune, r)
            .filter(obiettivo__piano=piano, stato=R.IN_ATTESA)
            .count()
        )
    return {"comune": piano.comune, "piano": piano, "visibile": visibile, "n": n}


@register.inclusion_tag("objectives/_richieste_home.html", takes_context=True)
def richieste_da_fare(context, comune):
    """The segreteria: the requests to decide. A responsabile: his settori's requests
    waiting, and those decided in the last RECENTI_GIORNI days."""
    user = context["request"].user
    r = ruoli(user, comune)
    if not vede_richieste(user, comune, r):
        return {"comune": comune, "elenco": []}
    segreteria = r.segreteria
    recenti = timezone.now() - timedelta(days=RECENTI_GIORNI)
    filtro = (
        Q(stato=R.IN_ATTESA) if segreteria else Q(stato=R.IN_ATTESA) | Q(decisa_il__gte=recenti)
    )
    # Only what the list shows (objectives/_richieste_home.html).
    campi = ("cosa", "stato", "richiesta_il", "decisa_il", "obiettivo__codice", "obiettivo__anno")
    campi += ("richiesta_da__username", "richiesta_da__first_name", "richiesta_da__last_name")
    elenco = list(
        richieste_visibili(user, comune, r)
        .filter(filtro)
        .select_related("obiettivo", "richiesta_da")
        .only(*campi)
        .order_by("-richiesta_il", "-id")[:50]
    )
    return {"comune": comune, "elenco": elenco, "segreteria": segreteria}
