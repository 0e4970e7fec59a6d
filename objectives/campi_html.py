"""The fields of the planning and rendicontazione forms, rendered in Python.

The same HTML as crispy-forms' Bootstrap 5 field (``{{ field|as_crispy_field }}``: label,
widget with its classes and aria attributes, errors, help text) and as Django's widget
templates, without their chain of template includes — one per field, per attribute
list and per <option>: 1,489 includes on the planning page of a 6 × 4 scheda, 92% of
its time. ``tests/test_campi_html.py`` compares each field with crispy's rendering.

``RENDERER`` is the forms' ``default_renderer``: the widgets these forms use are written
here, any other one falls back to Django's templates.
"""

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import SafeString, mark_safe

from indicators.engine.formatting import data_breve, data_lunga, numero_compatto
from peg.scrittura import in_html, sfuggi, tronca


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html"""
    parti = []
    for nome, valore in attrs.items():
        if valore is False:
            continue
        if valore is True:
            parti.append(f" {sfuggi(nome)}")
        else:
            parti.append(f' {sfuggi(nome)}="{sfuggi(str(valore))}"')
    return "".join(parti)


def _input(w: dict) -> str:
    valore = "" if w["value"] is None else f' value="{sfuggi(str(w["value"]))}"'
    return (
        f'<input type="{sfuggi(w["type"])}" name="{sfuggi(w["name"])}"{valore}{_attrs(w["attrs"])}>'
    )


def _option(o: dict) -> str:
    return (
        f'<option value="{sfuggi(str(o["value"]))}"{_attrs(o["attrs"])}>'
        f"{sfuggi(o['label'])}</option>"
    )


def _select(w: dict) -> str:
    parti = [f'<select name="{sfuggi(w["name"])}"{_attrs(w["attrs"])}>']
    for gruppo, opzioni, _ in w["optgroups"]:
        if gruppo:
            parti.append(f'\n  <optgroup label="{sfuggi(gruppo)}">')
        parti.extend(f"\n  {_option(o)}" for o in opzioni)
        if gruppo:
            parti.append("\n  </optgroup>")
    parti.append("\n</select>")
    return "".join(parti)


def _textarea(w: dict) -> str:
    valore = sfuggi(w["value"]) if w["value"] else ""
    return f'<textarea name="{sfuggi(w["name"])}"{_attrs(w["attrs"])}>\n{valore}</textarea>'


SCRITTI = {
    **{
        f"django/forms/widgets/{nome}.html": _input
        for nome in ("input", "text", "date", "hidden", "number", "checkbox", "email")
    },
    "django/forms/widgets/select.html": _select,
    "django/forms/widgets/textarea.html": _textarea,
}


class Renderer(DjangoTemplates):
    """Django's renderer, with the common widgets written in Python."""

    def render(self, template_name, context, request=None):
        scrivi = SCRITTI.get(template_name)
        if scrivi is None:
            return super().render(template_name, context, request)
        return mark_safe(scrivi(context["widget"]))  # noqa: S308 - every value escaped above


RENDERER = Renderer()


def _classe_widget(widget, aggiunte: str) -> str:
    """crispy_field: the widget's own class, its lowercased class name, then ``aggiunte``."""
    nome = widget.__class__.__name__.lower()
    classe = widget.attrs.get("class", "")
    if classe:
        if classe.find(nome) == -1:
            classe += f" {nome}"
    else:
        classe = nome
    for c in aggiunte.split():
        if c not in classe.split():
            classe += f" {c}"
    return classe


def _errori(bf, errori=None) -> str:
    """bootstrap5/layout/field_errors_block.html (``errori``: ``bf.errors`` if already read:
    each reading builds an empty ErrorList)."""
    errori = bf.errors if errori is None else errori
    if not errori:
        return ""
    righe = "".join(
        f'<p id="error_{n}_{bf.auto_id}"><strong>{sfuggi(e)}</strong></p>'
        for n, e in enumerate(errori, start=1)
    )
    return f'<div id="{errori.field_id}_error" class="invalid-feedback">{righe}</div>'


def _aiuto(bf) -> str:
    """bootstrap5/layout/help_text.html (the help text is trusted, as crispy does)."""
    if not bf.help_text:
        return ""
    ident = f'id="{bf.auto_id}_helptext" ' if bf.auto_id else ""
    return f'<div {ident}class="form-text">{bf.help_text}</div>'


def _etichetta(bf, tag: str = "label", classe: str = "form-label") -> str:
    obbligatorio = bf.field.required
    per = f' for="{bf.id_for_label}"' if bf.id_for_label else ""
    classi = classe + (" requiredField" if obbligatorio else "")
    asterisco = '<span class="asteriskField">*</span>' if obbligatorio else ""
    return f'<{tag}{per} class="{classi}">{sfuggi(bf.label)}{asterisco}</{tag}>'


def _scelte_multiple(bf) -> str:
    """bootstrap5/layout/radio_checkbox_select.html"""
    widget = bf.field.widget
    ident = widget.attrs.get("id") or bf.auto_id
    attrs = bf.build_widget_attrs({"id": ident} if ident else {})
    gruppi = widget.optgroups(bf.html_name, widget.format_value(bf.value()), attrs)
    invalida = " is-invalid" if bf.errors else ""
    parti = ["<div >"]
    for gruppo, opzioni, _ in gruppi:
        if gruppo:
            parti.append(f"<strong>{sfuggi(gruppo)}</strong>")
        for o in opzioni:
            parti.append(
                f'<div class="form-check"><input type="{o["type"]}" class="form-check-input{invalida}"'
                f'  name="{sfuggi(bf.html_name)}" value="{sfuggi(str(o["value"]))}" '
                f'{_attrs(o["attrs"])}><label for="{o["attrs"].get("id", "")}" class="form-check-label">'
                f"{sfuggi(o['label'])}</label></div>"
            )
    if bf.errors and parti[1:]:
        parti[-1] = parti[-1].removesuffix("</div>") + _errori(bf) + "</div>"
    parti.append("</div>")
    return "".join(parti) + _aiuto(bf)


def _file(bf) -> str:
    """bootstrap5/layout/field_file.html for a file input with no file yet (a stored file,
    with its link and «clear» box, is left to crispy-forms)."""
    ident = bf.field.widget.attrs.get("id") or bf.auto_id
    widgets = bf.field.widget.subwidgets(
        bf.html_name, bf.value(), bf.build_widget_attrs({"id": ident} if ident else {})
    )
    parti = []
    for w in widgets:
        if w.get("is_initial"):
            from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

            return as_crispy_field(bf)
        classe = "form-control" + (f" {w['attrs']['class']}" if w["attrs"].get("class") else "")
        classe += " is-invalid" if bf.errors else ""
        disabilitato = " disabled" if bf.field.disabled else ""
        attrs = _attrs({k: v for k, v in w["attrs"].items() if k != "class"})
        contenitore = '<div class="is-invalid">' if bf.errors else "<div>"
        parti.append(
            f"{contenitore}"
            f'<input type="{sfuggi(w["type"])}" name="{sfuggi(w["name"])}" '
            f'class="{sfuggi(classe)}"{disabilitato}{attrs}>'
            f"{_errori(bf)}{_aiuto(bf)}</div>"
        )
    return "".join(parti)


def campo(bf) -> SafeString:
    """crispy-forms' bootstrap5/field.html for one bound field (labels shown, errors
    as blocks, help text after them)."""
    widget = bf.field.widget
    if bf.is_hidden:
        return mark_safe(str(bf))  # noqa: S308 - Django's rendering
    casella = isinstance(widget, forms.CheckboxInput)
    classi_campo = bf.css_classes()
    parti = []
    if casella:
        parti.append('<div class="mb-3">')
    parti.append(
        f'<div id="div_{bf.auto_id}" class="{"form-check" if casella else "mb-3"}'
        f'{" " + classi_campo if classi_campo else ""}">'
    )
    fieldset = bf.use_fieldset and bf.label and not casella
    if bf.label and not casella:
        if bf.use_fieldset:
            descritto = bf.aria_describedby
            parti.append(
                f"<fieldset{f' aria-describedby={chr(34)}{descritto}{chr(34)}' if descritto else ''}>"
            )
            parti.append(_etichetta(bf, "legend", "form-label fs-6"))
        else:
            parti.append(_etichetta(bf))
    if isinstance(widget, forms.RadioSelect):  # and CheckboxSelectMultiple
        parti.append(_scelte_multiple(bf))
    elif isinstance(widget, forms.FileInput):
        parti.append(_file(bf))
    else:
        errori = bf.errors
        invalida = " is-invalid" if errori else ""
        if casella:
            classe = "form-check-input"
        elif isinstance(widget, forms.Select):
            classe = "form-select"
        else:
            classe = "form-control"
        parti.append(bf.as_widget(attrs={"class": _classe_widget(widget, classe + invalida)}))
        if casella:
            parti.append(_etichetta(bf, "label", "form-check-label"))
        parti.append(_errori(bf, errori) + _aiuto(bf))
    if fieldset:
        parti.append("</fieldset>")
    parti.append("</div>")
    if casella:
        parti.append("</div>")
    return mark_safe("".join(parti))  # noqa: S308 - every value escaped above


def _lettura(form) -> str:
    """objectives/_lettura.html: the graduazione read back, under its field."""
    lettura = getattr(form, "lettura", None)
    classe = "" if lettura is not None and lettura.ok else " text-danger"
    testo = sfuggi(lettura.testo) if lettura is not None else ""
    return (
        f'<div id="lettura-{form.prefix}" class="lettura small{classe}" aria-live="polite">'
        f"{testo}</div>"
    )


LARGHE = {"denominazione", "descrizione", "graduazione", "formula"}


def _errori_del_modulo(form) -> str:
    errori = form.non_field_errors()
    return f'<div class="text-danger small">{errori}</div>' if errori else ""


def riga(form, nome: str, colonne, numero: int) -> SafeString:
    """One row of a planning formset (indicatore, fase, risorsa) in its fieldset."""
    if form.instance.pk:
        titolo = f"{sfuggi(nome)} {getattr(form.instance, 'numero', None) or numero}"
    else:
        titolo = f"{sfuggi(nome)}: nuova riga (facoltativa)"
    parti = [
        '<fieldset class="border rounded p-3 mb-2 riga">',
        f'<legend class="h6 float-none w-auto px-2">{titolo}</legend>',
        *(str(bf) for bf in form.hidden_fields()),
        _errori_del_modulo(form),
        '<div class="row g-2">',
    ]
    if "ORDER" in form.fields:
        parti.append(f'<div class="col-md-1">{campo(form["ORDER"])}</div>')
    for bf in form.visible_fields():
        if bf.name in ("ORDER", "DELETE"):
            continue
        larghezza = 2 if bf.name == "peso" else 6 if bf.name in LARGHE else colonne
        lettura = _lettura(form) if bf.name == "graduazione" else ""
        parti.append(f'<div class="col-md-{larghezza}">{campo(bf)}{lettura}</div>')
    if "DELETE" in form.fields:
        parti.append(f'<div class="col-md-12">{campo(form["DELETE"])}</div>')
    parti.append("</div></fieldset>")
    return mark_safe("".join(parti))  # noqa: S308 - every value escaped above


def campi(form, colonne, larga: str = "") -> SafeString:
    """A form's visible fields in a Bootstrap row, ``larga`` across it (rendicontazione,
    campagne)."""
    parti = [_errori_del_modulo(form), '<div class="row g-2">']
    for bf in form.visible_fields():
        larghezza = 12 if bf.name == larga else colonne
        parti.append(f'<div class="col-md-{larghezza}">{campo(bf)}</div>')
    parti.append("</div>")
    return mark_safe("".join(parti))  # noqa: S308 - every value escaped above


# -- The rendicontazione page's rows (objectives/rendicontazione.html) ------------------


def indicatori_rendicontati(moduli) -> SafeString:
    """One fieldset per indicatore (its RilevazioniForm, ``esito`` set): what it expects,
    its live score, its fields — as the template's loop wrote them."""
    parti = []
    for form in moduli:
        i = form.indicatore
        atteso = i.valore_atteso_testo or numero_compatto(i.valore_atteso) or "-"
        entro = f" entro il {in_html(data_lunga(i.data_attesa))}" if i.data_attesa else ""
        regola = f" · graduazione: {in_html(i.graduazione)}" if i.graduazione else ""
        parti.append(
            '\n  <fieldset class="border rounded p-3 mb-3">\n'
            f'    <legend class="h6 float-none w-auto px-2">{in_html(i.numero)}. '
            f"{in_html(i.denominazione)}</legend>\n"
            f'    <p class="small mb-2">Atteso: {in_html(atteso)}{entro}{regola}\n'
            f'      · <strong id="esito-ind-{in_html(i.pk)}" aria-live="polite">'
            f"Conseguimento: {in_html(form.esito.testo)}</strong></p>\n"
            f"    {campi(form, 4)}\n\n  </fieldset>\n  "
        )
    return mark_safe("".join(parti))  # noqa: S308 - every value escaped above


def fasi_rendicontate(moduli) -> SafeString:
    """One fieldset per fase (its FaseForm, ``esito`` set), as the template's loop wrote them."""
    parti = []
    for form in moduli:
        f = form.instance
        parti.append(
            '\n  <fieldset class="border rounded p-3 mb-3">\n'
            f'    <legend class="h6 float-none w-auto px-2">Fase {in_html(f.numero)}: '
            f"{in_html(tronca(f.descrizione, 120))}</legend>\n"
            f'    <p class="small mb-2">Prevista: {in_html(data_breve(f.data_inizio_prevista))} – '
            f"{in_html(data_breve(f.data_fine_prevista))} · "
            f'<strong id="esito-fase-{in_html(f.pk)}" aria-live="polite">'
            f"Conseguimento: {in_html(form.esito.testo)}</strong></p>\n"
            f"    {campi(form, 3, 'monitoraggio')}\n\n  </fieldset>\n  "
        )
    return mark_safe("".join(parti))  # noqa: S308 - every value escaped above
