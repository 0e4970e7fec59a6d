"""Form fields as crispy-forms' Bootstrap 5 fields, written in Python (objectives.campi_html):

- ``{{ field|campo }}``: one field with its label, help text and errors;
- ``{% riga form nome colonne numero %}``: a row of a planning formset in its fieldset;
- ``{% campi form colonne larga %}``: a form's visible fields in a Bootstrap row.
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
