"""Error pages: where to send the user instead, and a page for the empty 405 answers.

Every error page extends templates/base.html (a logged-in user keeps the navigation) and
says, in Italian, what happened and where to go: the scheda, piano or comune of the
address refused, else the home. The link only names a page: that page checks access.
"""

from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

# The page an address belongs to, from its URL kwargs: the most specific first.
_PAGINE = (
    ("obiettivo_id", "obiettivo", "Torna alla scheda"),
    ("piano_id", "piano", "Torna al piano"),
)


def dove_andare(request) -> tuple[str, str]:
    """(url, label) of the page the refused address belongs to (never the address
    itself); the home otherwise."""
    match = getattr(request, "resolver_match", None) if request is not None else None
    kwargs = match.kwargs if match is not None else {}
    comune = kwargs.get("comune")
    for chiave, rotta, etichetta in _PAGINE if comune else ():
        if chiave not in kwargs:
            continue
        try:
            url = reverse(rotta, kwargs={"comune": comune, chiave: kwargs[chiave]})
        except NoReverseMatch:
            break
        if url != request.path:
            return url, etichetta
    return reverse("home"), "Torna alla pagina iniziale"


def pagina_errore(request, template: str, status: int, *, verso_la_home=False, **contesto):
    """The error page with where to go: ``verso_la_home`` when the address's own objects
    may be what is missing (404)."""
    if verso_la_home:
        url, etichetta = reverse("home"), "Torna alla pagina iniziale"
    else:
        url, etichetta = dove_andare(request)
    contesto = {"torna_url": url, "torna_etichetta": etichetta, **contesto}
    return render(request, template, contesto, status=status)


class MetodoNonAmmesso:
    """Middleware: a 405 with an empty body (``require_POST``, ``require_safe``, Django's
    LogoutView) gets the page in the product's layout; the Allow header stays."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        risposta = self.get_response(request)
        if risposta.status_code != 405 or risposta.streaming or risposta.content:
            return risposta
        pagina = pagina_errore(request, "405.html", 405, metodo=request.method)
        if risposta.has_header("Allow"):
            pagina["Allow"] = risposta["Allow"]
        return pagina
