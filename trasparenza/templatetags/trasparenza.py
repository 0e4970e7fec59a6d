"""Tags of Amministrazione trasparente: the comuni with publications (the login page's
link) and an indicatore's target as the public page prints it."""

from django import template

from .. import access, contenuti

register = template.Library()


@register.simple_tag
def comuni_trasparenti():
    return list(access.comuni_pubblici().only("nome", "denominazione", "slug"))


register.filter("target", contenuti.target)
