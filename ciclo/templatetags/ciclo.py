"""The plan's life in templates: `{% load ciclo %}{% if user|gestiona:plan %}…{% endif %}`."""
from django import template

from ciclo import services

register = template.Library()


@register.filter
def gestiona(user, plan) -> bool:
    """Whether `user` changes `plan`'s state, amends it or starts the next plan from it."""
    return bool(user and user.is_authenticated) and services.puede_gestionar(user, plan)
