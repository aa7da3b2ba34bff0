"""The five roles as Django groups, kept in step with the models after every migrate.

Model permissions say what kind of rows a role may touch; amc.access says which rows
(those of the user's entity).
"""
from __future__ import annotations

from django.apps import apps as global_apps

from amc.access import Rol

PLAN_APPS = ("planes", "matrices", "presupuesto", "cronograma", "seguimiento")

# Rows that belong to one entity (not to the plan's rector): regional and local staff edit these.
ENTITY_OWNED = {
    "planes": {"declaracion", "miembroequipo"},
    "matrices": {"causa", "subpuntocausa", "alternativa", "subitemalternativa", "alternativapriorizada",
                 "actividad", "indicador", "metaindicador"},
    "presupuesto": {"lineapresupuesto", "sublineacosto"},
    "cronograma": {"cronograma", "programacionmensual", "hito"},
    "seguimiento": {"valorindicador", "valordesagregado", "avanceactividad", "ejecucionpresupuestal",
                    "metaperiodo", "indicadordesagregacion"},
}
REFERENCE = {"planes": {"nivelgobierno", "entidad", "usuario"},
             "seguimiento": {"tipodesagregacion", "categoriadesagregacion"}}


def _perms_for(role: str):
    from django.contrib.auth.models import Permission

    perms = Permission.objects.filter(content_type__app_label__in=PLAN_APPS).select_related("content_type")
    chosen = []
    for perm in perms:
        app, model = perm.content_type.app_label, perm.content_type.model
        action = perm.codename.split("_", 1)[0]
        reference = model in REFERENCE.get(app, set())
        if role == Rol.ADMINISTRADOR:
            chosen.append(perm)
        elif action == "view" and model != "usuario":
            chosen.append(perm)
        elif role == Rol.MINISTERIO and not reference:
            chosen.append(perm)
        elif role in (Rol.REGIONAL, Rol.LOCAL) and model in ENTITY_OWNED.get(app, set()):
            chosen.append(perm)
    if role == Rol.ADMINISTRADOR:
        # Groups, and the login lockouts (django-axes): an administrator unlocks an account.
        chosen.extend(Permission.objects.filter(content_type__app_label__in=("auth", "axes")))
    return chosen


def sync_groups(sender=None, using="default", apps=global_apps, verbosity=0, **kwargs):
    """Create the role groups and give them their permissions (idempotent)."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group

    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    for role in Rol.ALL:
        group, _ = Group.objects.using(using).get_or_create(name=role)
        group.permissions.set(_perms_for(role))
