"""The schede individuali on the home: {% valutazioni_individuali comune %} shows «Le mie
valutazioni» (the user's own schede) and «Valutazioni da fare» (those waiting for him as
evaluator, Nucleo or sindaco), and for the segreteria the year's list; nothing at all
for a user with none of these (one query)."""

from django import template

from individuale import access, workflow

register = template.Library()
VALUTA = {workflow.VALUTATORE, workflow.DECIDE}


@register.inclusion_tag("individuale/schede/_home.html", takes_context=True)
def valutazioni_individuali(context, comune):
    user = context["request"].user
    mie, da_fare, anni = [], [], {}
    for s in access.schede_in_corso(user, comune):
        parti = workflow.chi_sono(user, s)
        anni.setdefault(s.smvp.anno, s.smvp)
        if workflow.PERSONA in parti:
            mie.append((s, workflow.azioni_possibili(user, s)))
        elif parti & VALUTA and (
            workflow.azioni_possibili(user, s) or workflow.modifiche_possibili(user, s)
        ):
            da_fare.append(s)
    return {
        "comune": comune,
        "mie": mie,
        "da_fare": da_fare,
        "anni": sorted(anni, reverse=True) if access.puo_creare_schede(user, comune) else [],
    }
