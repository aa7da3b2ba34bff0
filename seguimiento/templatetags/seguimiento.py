from django import template

from seguimiento import services

register = template.Library()


@register.filter
def es_revisor(user) -> bool:
    """{% if user|es_revisor %}: ministry reviewers and administrators."""
    return services.is_reviewer(user)
