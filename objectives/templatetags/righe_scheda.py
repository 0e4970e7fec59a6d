"""The scheda page's rows in Python (objectives.righe_scheda):

- ``{% riga_indicatore i colonne %}``, ``{% riga_fase f %}``: one row of its tables;
- ``{{ esito|esito_html }}``: what ``{% include "objectives/_esito.html" %}`` renders.
"""

from django import template

from objectives import righe_scheda

register = template.Library()

register.simple_tag(righe_scheda.riga_indicatore, name="riga_indicatore")
register.simple_tag(righe_scheda.riga_fase, name="riga_fase")
register.filter("esito_html", righe_scheda.esito_html)
