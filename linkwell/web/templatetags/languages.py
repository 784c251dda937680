"""Languages shown by name: people's records keep the ISO 639 code."""

from django import template

from linkwell.core.languages import language_label

register = template.Library()


@register.filter
def language(code: str) -> str:
    """ "Polish (polski)" for "pl"; "" for nothing recorded, so `default` still applies."""
    return language_label(code) if code else ""
