"""Charts in templates, without changes to the views.

{% gantt fasi %} · {% gantt fasi gruppo="codice_obiettivo" titolo="…" anno=2019 %}
{% andamento indicatore %} · {% andamento indicatore anno=2019 collegamento=url %}
{% barre voci "titolo" %} · {% colonne voci "titolo" %}
{{ esito|esito_validato }} → "95,00% validato (calcolato 80,00%)"

Each tag renders the SVG and, beside it, a table with the same data (accessibility).
"""

from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe

from indicators.engine import fasce
from indicators.engine.formatting import data_lunga
from peg.scrittura import in_html, tronca
from reporting import andamenti
from reporting import gantt as gantt_svg
from reporting import svg as grafici_svg

register = template.Library()


@register.inclusion_tag("reporting/_gantt.html")
def gantt(fasi, titolo="Piano operativo: tempi previsti ed effettivi", gruppo="", anno=None):
    """fasi: Fase objects (a list or a prefetched queryset); gruppo: the name of an
    attribute of each fase whose value heads its group (e.g. the obiettivo's codice)."""
    fasi = list(fasi)
    raggruppa = (lambda fase: getattr(fase, gruppo)) if gruppo else None
    grafico = gantt_svg.gantt(
        fasi,
        titolo=titolo,
        gruppo=raggruppa,
        anni=[anno] if anno else [],
        oggi=timezone.localdate(),
    )
    return {
        "grafico": mark_safe(grafico),  # noqa: S308 - every text escaped by reporting.svg
        "righe": _righe_dei_dati(fasi, raggruppa),
        "titolo": titolo,
        "gruppo": gruppo,
    }


def _righe_dei_dati(fasi, raggruppa) -> str:
    """The rows of the chart's data table, written in Python (a settore's Gantt has
    hundreds): each as the template's loop wrote it, values as ``{{ }}`` prints them."""
    parti = []
    for fase in fasi:
        # The obiettivo's name wraps (it can be 200 characters); the dates do not.
        gruppo = f"<td>{in_html(raggruppa(fase))}</td>" if raggruppa else ""
        prevista = _periodo(fase.data_inizio_prevista, fase.data_fine_prevista)
        effettiva = _periodo(fase.data_inizio_effettiva, fase.data_fine_effettiva)
        parti.append(
            f"\n    <tr>{gruppo}<td>{in_html(fase.numero)}</td>"
            f"<td>{in_html(tronca(fase.descrizione, 120))}</td>"
            f'<td class="text-nowrap">{in_html(prevista)}</td>'
            f'<td class="text-nowrap">{in_html(effettiva)}</td></tr>\n  '
        )
    return mark_safe("".join(parti))  # noqa: S308 - every value escaped above


def _periodo(inizio, fine) -> str:
    if not inizio and not fine:
        return gantt_svg.SENZA_DATE
    return f"{data_lunga(inizio) or '…'} – {data_lunga(fine) or '…'}"


@register.inclusion_tag("reporting/_andamento.html")
def andamento(indicatore, anno=None, collegamento=""):
    """The indicatore's trend: storico values, the scheda's finale, the target dashed."""
    punti = andamenti.punti(indicatore, anno)
    # The denominazione is beside the chart (scheda table, page heading): not repeated.
    titolo = f"Andamento dell'indicatore {indicatore.numero} negli anni"
    unita = f" {indicatore.unita_misura}" if indicatore.unita_misura else ""
    grafico = grafici_svg.andamento(
        punti,
        grafici_svg.tronca(titolo, 160),
        atteso=indicatore.valore_atteso,
        unita="" if len(unita) > 12 else unita,
    )
    return {
        "grafico": mark_safe(grafico),  # noqa: S308 - every text escaped by reporting.svg
        "punti": punti,
        "indicatore": indicatore,
        "titolo": titolo,
        "collegamento": collegamento,
    }


@register.inclusion_tag("reporting/_barre.html")
def barre(voci, titolo, descrizione=""):
    """voci: reporting.svg.Voce list (label, value, optional calcolato marker)."""
    voci = list(voci)
    return {
        "grafico": mark_safe(grafici_svg.barre(voci, titolo, descrizione)),  # noqa: S308
        "voci": voci,
        "titolo": titolo,
    }


@register.inclusion_tag("reporting/_colonne.html")
def colonne(voci, titolo, descrizione=""):
    """voci: reporting.svg.Voce list whose valore is a count."""
    voci = list(voci)
    return {
        "grafico": mark_safe(grafici_svg.colonne(voci, titolo, descrizione)),  # noqa: S308
        "voci": voci,
        "titolo": titolo,
    }


@register.filter
def esito_validato(esito):
    return esito.testo_pieno if esito is not None else ""


@register.filter
def fascia(esito):
    return fasce.fascia(esito).etichetta


@register.filter
def con_date(fasi):
    """Whether any fase has a date: a Gantt of undated fasi says nothing."""
    return any(gantt_svg.date_di(fase) for fase in fasi)


@register.filter
def con_storico(indicatori):
    """The indicatori that have historical values (prefetched storico: no query)."""
    return [i for i in indicatori if andamenti.ha_storico(i)]
