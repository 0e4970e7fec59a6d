"""The repeated rows of the scheda page (its indicatori and fasi) and the score of a row
(``objectives/_esito.html``), written in Python: the same HTML as the template they
replace, character for character (``tests/test_pagina_scheda_html.py`` compares every
demo scheda), without a template node per value and an include per row.

Values are printed as Django's templates print them: localised, then escaped unless safe
(``peg.scrittura.in_html``); the filters are those of ``peg.templatetags.formato``.
"""

from django.utils.safestring import SafeString, mark_safe

from indicators.engine.formatting import data_breve, data_lunga, numero_compatto, percentuale
from peg.scrittura import in_html


def _o_valore(testo, valore) -> str:
    """``{{ testo|o_valore:valore }}`` (peg.templatetags.formato)."""
    return testo or numero_compatto(valore)


def esito_html(esito) -> SafeString:
    """objectives/_esito.html with ``esito``."""
    testo = in_html(esito.testo)
    parti = [
        f"<strong>{testo}</strong>"
        if esito.calcolato
        else f'<span class="text-muted">{testo}</span>'
    ]
    if esito.validato:
        parti.append(' <span class="badge bg-success">validato OIV</span>')
        if esito.rettificato:
            parti.append(
                '<br><span class="small text-muted calcolato">calcolato '
                f"{in_html(esito.testo_calcolato)}</span>"
            )
    parti.append(
        '\n<details class="spiegazione"><summary class="small">calcolo</summary><ol class="small">'
    )
    parti.extend(f"<li>{in_html(passo)}</li>" for passo in esito.passi)
    parti.append("</ol></details>\n")
    return mark_safe("".join(parti))  # noqa: S308 - every value escaped above


def _letta(riga) -> str:
    lettura = riga.lettura()
    if not lettura:
        return ""
    return f'<div class="lettura small"><span class="text-muted">Letta come:</span> {in_html(lettura)}</div>'


def riga_indicatore(i, colonne: int) -> SafeString:
    """The body of ``{% for i in indicatori %}`` in objectives/obiettivo.html."""
    denominazione = in_html(i.denominazione)
    if i.codice_attivita:
        denominazione += f'<br><span class="text-muted small">Codice attività: {in_html(i.codice_attivita)}</span>'
    if i.tipo:
        denominazione += (
            f'<br><span class="badge bg-secondary">{in_html(i.get_tipo_display())}</span>'
        )
    if i.polarita == "decrescente":
        denominazione += ' <span class="badge bg-light text-dark">più basso è meglio</span>'
    atteso = in_html(_o_valore(i.valore_atteso_testo, i.valore_atteso))
    if i.unita_misura and i.valore_atteso is not None:
        atteso += f' <span class="text-muted small">{in_html(i.unita_misura)}</span>'
    scadenza = in_html(data_lunga(i.data_attesa)) if i.data_attesa else in_html(i.scadenza_testo)
    rilevazioni = "".join(
        f'<div class="text-nowrap"><span class="text-muted small">{in_html(r.get_tipo_display())}:'
        f"</span> {in_html(_o_valore(r.valore_testo, r.valore) or '-')}"
        + (
            f" ({in_html(percentuale(r.percentuale_raggiungimento))})"
            if r.percentuale_raggiungimento is not None
            else ""
        )
        + "</div>"
        for r in i.per_tipo.values()
    )
    storico = "".join(
        f"<td>{in_html(_o_valore(s.valore_testo, s.valore)) if s else ''}</td>"
        for s in i.storico_colonne
    )
    nota = ""
    if i.note:
        nota = (
            f'<tr class="nota"><td></td><td colspan="{in_html(int(colonne) - 1)}"><span class="text-muted'
            f' small">Note:</span> {in_html(i.note)}</td></tr>'
        )
    return mark_safe(  # noqa: S308 - every value escaped above
        "\n      <tr>\n"
        f"        <td>{in_html(i.numero)}</td>\n"
        f'        <td class="text-end text-nowrap">{in_html(percentuale(i.peso) or "-")}</td>\n'
        f"        <td>{denominazione}</td>\n"
        f"        <td>{in_html(i.formula)}</td>\n"
        f"        <td>{in_html(_o_valore(i.valore_intermedio_testo, i.valore_intermedio))}</td>\n"
        f'        <td class="text-nowrap">{in_html(data_lunga(i.data_intermedia))}</td>\n'
        f"        <td>{atteso}</td>\n"
        f'        <td class="text-nowrap">{scadenza}</td>\n'
        f"        <td>{in_html(i.graduazione)}{_letta(i)}</td>\n"
        f"        <td>{rilevazioni}</td>\n"
        f"        {storico}\n"
        f'        <td class="text-nowrap">{esito_html(i.esito)}</td>\n'
        "      </tr>\n"
        f"      {nota}\n    "
    )


def riga_fase(f) -> SafeString:
    """The body of ``{% for f in fasi %}`` in objectives/obiettivo.html."""
    descrizione = in_html(f.descrizione)
    if f.codice_attivita:
        descrizione += f'<br><span class="text-muted small">Codice attività: {in_html(f.codice_attivita)}</span>'
    if f.responsabile:
        centro = f" · {in_html(f.centro_di_responsabilita)}" if f.centro_di_responsabilita else ""
        descrizione += f'<br><span class="text-muted small">Responsabile: {in_html(f.responsabile)}{centro}</span>'
    if f.data_inizio_prevista or f.data_fine_prevista:
        tempi = in_html(data_breve(f.data_inizio_prevista))
        if f.data_inizio_prevista:
            tempi += " – "
        tempi += in_html(data_breve(f.data_fine_prevista))
        if f.data_inizio_effettiva or f.data_fine_effettiva:
            tempi += (
                f'<br><span class="text-muted small">effettivi: '
                f"{in_html(data_breve(f.data_inizio_effettiva))} – "
                f"{in_html(data_breve(f.data_fine_effettiva))}</span>"
            )
    else:
        tempi = in_html(f.tempi_testo)
    monitoraggio = (
        f'<div class="small testo">{in_html(f.monitoraggio)}</div>' if f.monitoraggio else ""
    )
    return mark_safe(  # noqa: S308 - every value escaped above
        "\n      <tr>\n"
        f"        <td>{in_html(f.numero)}</td>\n"
        f'        <td class="text-end text-nowrap">{in_html(percentuale(f.peso) or "-")}</td>\n'
        f"        <td>{descrizione}</td>\n"
        f'        <td class="text-nowrap">{tempi}</td>\n'
        f"        <td>{in_html(f.indicatore)}</td>\n"
        f"        <td>{in_html(f.livello_atteso)}</td>\n"
        f"        <td>{in_html(f.graduazione)}{_letta(f)}</td>\n"
        f'        <td class="text-end text-nowrap">{in_html(percentuale(f.avanzamento))}</td>\n'
        f"        <td>{in_html(f.raggiunto)}{monitoraggio}</td>\n"
        f'        <td class="text-nowrap">{esito_html(f.esito)}</td>\n'
        "      </tr>\n    "
    )
