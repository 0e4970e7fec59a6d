"""The evidence panel of a scheda, for any page that shows one, and file sizes.

{% allegati_della_scheda obiettivo %} renders ``valutazione/_allegati.html`` with the
scheda's allegati and, for who may add them, the upload form: the pages of the scheda
and of the rendicontazione (objectives) show it without importing this app.
{{ allegato.dimensione|dimensione }} → "1,2 MB".
"""

from django import template

from valutazione import allegati
from valutazione.formati import dimensione_leggibile

register = template.Library()

register.filter("dimensione", dimensione_leggibile)


@register.inclusion_tag("valutazione/_allegati.html", takes_context=True)
def allegati_della_scheda(context, obiettivo):
    return {
        **context.flatten(),
        **allegati.contesto(context["request"].user, obiettivo, context.get("form_allegato")),
    }
