"""The public pages of «Amministrazione trasparente › Performance»: no login, indexable
(D.Lgs 33/2013 art. 9), only what the segreteria published and keeps in force."""

import json

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from individuale import art20, smvp_pubblico

from . import access, contenuti, dati_aperti, dcat, documenti, pubblicazioni
from .models import Pubblicazione

T = Pubblicazione.Tipo


def _pagina(request, modello: str, comune, anno, tipo, **altro):
    """A document's page: its publication in force (or None: the page says it is not
    available), for a year with at least one publication."""
    elenco = access.pubblicazioni_del_comune(comune)
    if not any(p.anno == anno for p in elenco):
        raise Http404("Nessun documento pubblicato per quest'anno.")
    pubblicazione = next((p for p in elenco if p.anno == anno and p.tipo == tipo), None)
    contesto = {
        "comune": comune,
        "anno": anno,
        "tipo": T(tipo),
        "pubblicazione": pubblicazione,
        "anni": sorted({p.anno for p in elenco}, reverse=True),
        **altro,
    }
    return render(request, modello, contesto)


@require_safe
def indice(request, comune):
    comune = access.comune_pubblico(comune)
    elenco = access.pubblicazioni_del_comune(comune)
    anni = {}
    for p in elenco:
        anni.setdefault(p.anno, {})[p.tipo] = p
    contesto = {"comune": comune, "anni": sorted(anni.items(), reverse=True), "Tipo": T}
    return render(request, "trasparenza/pubblico/indice.html", contesto)


@require_safe
def piano(request, comune, anno):
    comune = access.comune_pubblico(comune)
    p = access.pubblicazione(comune, anno, T.PIANO)
    altro = {}
    if p is not None:
        altro = {
            "settori": contenuti.obiettivi_per_settore(p),
            "variazioni": contenuti.variazioni(p),
        }
    return _pagina(request, "trasparenza/pubblico/piano.html", comune, anno, T.PIANO, **altro)


@require_safe
def relazione(request, comune, anno):
    comune = access.comune_pubblico(comune)
    p = access.pubblicazione(comune, anno, T.RELAZIONE)
    altro = {"relazione": documenti.dati_relazione(p)} if p is not None else {}
    modello = "trasparenza/pubblico/relazione.html"
    return _pagina(request, modello, comune, anno, T.RELAZIONE, **altro)


@require_safe
def validazione(request, comune, anno):
    """Controlli e rilievi sull'amministrazione: the OIV's documento di validazione."""
    comune = access.comune_pubblico(comune)
    modello = "trasparenza/pubblico/validazione.html"
    return _pagina(request, modello, comune, anno, T.VALIDAZIONE)


@require_safe
def validazione_pdf(request, comune, anno):
    p = access.pubblicazione_obbligatoria(access.comune_pubblico(comune), anno, T.VALIDAZIONE)
    return _pdf(documenti.pdf_validazione(p), f"validazione-relazione-{p.comune.slug}-{anno}.pdf")


@require_safe
def sistema(request, comune, anno):
    comune = access.comune_pubblico(comune)
    p = access.pubblicazione(comune, anno, T.SISTEMA)
    altro = (
        {"regole": contenuti.sistema(p.piano), "individuale": smvp_pubblico.contesto(comune, anno)}
        if p is not None
        else {}
    )
    return _pagina(request, "trasparenza/pubblico/sistema.html", comune, anno, T.SISTEMA, **altro)


def _premi(request, comune, anno, tipo):
    """The art. 20 tables (individuale.art20) of the distributions in force, once published."""
    comune = access.comune_pubblico(comune)
    altro = {"non_disponibili": pubblicazioni.PREMI_NON_DISPONIBILI}
    if access.pubblicazione(comune, anno, tipo) is not None:
        altro["tabelle"] = art20.tabelle_del_comune(comune, anno)
        altro["mostra_ammontare"] = tipo == T.PREMI_AMMONTARE
        altro["mostra_dati"] = tipo == T.PREMI_DATI
    return _pagina(request, "trasparenza/pubblico/premi.html", comune, anno, tipo, **altro)


@require_safe
def premi_ammontare(request, comune, anno):
    return _premi(request, comune, anno, T.PREMI_AMMONTARE)


@require_safe
def premi_dati(request, comune, anno):
    return _premi(request, comune, anno, T.PREMI_DATI)


def _pdf(percorso, nome: str) -> FileResponse:
    return FileResponse(percorso.open("rb"), content_type="application/pdf", filename=nome)


@require_safe
def piano_pdf(request, comune, anno):
    p = access.pubblicazione_obbligatoria(access.comune_pubblico(comune), anno, T.PIANO)
    return _pdf(documenti.pdf_piano(p), f"piano-performance-{p.comune.slug}-{anno}.pdf")


@require_safe
def relazione_pdf(request, comune, anno):
    p = access.pubblicazione_obbligatoria(access.comune_pubblico(comune), anno, T.RELAZIONE)
    return _pdf(documenti.pdf_relazione(p), f"relazione-performance-{p.comune.slug}-{anno}.pdf")


@require_safe
def dati_csv(request, comune, anno):
    p = access.pubblicazione_obbligatoria(access.comune_pubblico(comune), anno, T.PIANO)
    risposta = HttpResponse(dati_aperti.csv_bytes(p), content_type="text/csv; charset=utf-8")
    risposta["Content-Disposition"] = f'inline; filename="piano-{anno}.csv"'
    return risposta


@require_safe
def dati_json(request, comune, anno):
    comune = access.comune_pubblico(comune)
    p = access.pubblicazione_obbligatoria(comune, anno, T.PIANO)
    return HttpResponse(dati_aperti.json_bytes(p, comune), content_type="application/json")


@require_safe
def catalogo(request, comune):
    comune = access.comune_pubblico(comune)
    dati = dcat.catalogo(
        comune, access.pubblicazioni_del_comune(comune), request.build_absolute_uri
    )
    testo = json.dumps(dati, ensure_ascii=False, indent=1)
    return HttpResponse(testo, content_type="application/ld+json; charset=utf-8")


@require_safe
def logo(request, comune):
    """The stemma of a comune with publications: public like the pages that show it."""
    comune = access.comune_pubblico(comune)
    if not comune.logo:
        raise Http404("Il comune non ha un logo.")
    return FileResponse(comune.logo.open("rb"))


ROBOTS = """User-agent: *
Allow: /trasparenza/
Disallow: /
"""


@require_safe
def robots(request):
    """Search engines index Amministrazione trasparente (art. 9) and nothing else."""
    return HttpResponse(ROBOTS, content_type="text/plain; charset=utf-8")
