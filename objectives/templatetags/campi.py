"""Form fields as crispy-forms' Bootstrap 5 fields, written in Python (objectives.campi_html):

- ``{{ field|campo }}``: one field with its label, help text and errors;
- ``{% riga form nome colonne numero %}``: a row of a planning formset in its fieldset;
- ``{% campi form colonne larga %}``: a form's visible fields in a Bootstrap row;
- ``{% indicatori_rendicontati moduli.indicatori %}``, ``{% fasi_rendicontate moduli.fasi %}``:
  the rows of the rendicontazione page.
"""

from django import template

from objectives import campi_html

register = template.Library()


@register.filter
def campo(bf):
    return campi_html.campo(bf)


@register.simple_tag
def riga(form, nome, colonne, numero):
    return campi_html.riga(form, nome, colonne, numero)


@register.simple_tag
def campi(form, colonne, larga=""):
    return campi_html.campi(form, colonne, larga)


@register.simple_tag
def indicatori_rendicontati(moduli):
    return campi_html.indicatori_rendicontati(moduli)


@register.simple_tag
def fasi_rendicontate(moduli):
    return campi_html.fasi_rendicontate(moduli)
