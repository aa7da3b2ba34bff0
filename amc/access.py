"""Who may see and change what: roles, and the entity that owns each piece of a plan.

Every user belongs to an entity. A piece of a plan is owned by one entity (a cause by the
entity whose cause it is, a problem by the plan's rector entity). Its owner's staff change it;
administrators change anything; ministry staff and planners read every plan; regional and
local staff read the plans their entity takes part in.
"""
from __future__ import annotations

from django.core.exceptions import PermissionDenied

from amc.vocabulario import Nivel


class Rol:
    """The groups. Their names are what the admin shows; permissions are set in planes.roles."""

    ADMINISTRADOR = "Administradores"
    MINISTERIO = "Personal del ministerio"
    REGIONAL = "Personal de dirección regional"
    LOCAL = "Personal de gobierno local"
    PLANIFICADOR = "Planificadores"

    ALL = (ADMINISTRADOR, MINISTERIO, REGIONAL, LOCAL, PLANIFICADOR)


def role_names(user) -> frozenset[str]:
    """The user's group names, read once per request object."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_amc_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._amc_roles = cached
    return cached


def is_admin(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or Rol.ADMINISTRADOR in role_names(user)


def reads_all_plans(user) -> bool:
    """Administrators, ministry staff and planners read every plan."""
    return is_admin(user) or bool(role_names(user) & {Rol.MINISTERIO, Rol.PLANIFICADOR})


def region_supervisada(user) -> str:
    """The region (INEI department code, two digits of the ubigeo) whose local governments a
    regional directorate's staff follow up: they read the plans those municipalities take part
    in, and review their submissions where the plan says so. "" for anybody else."""
    if not (role_names(user) & {Rol.REGIONAL}) or not getattr(user, "entidad_id", None):
        return ""
    entidad = user.entidad
    if entidad.nivel.codigo != Nivel.REGIONAL or len(entidad.ubigeo or "") < 2:
        return ""
    return entidad.ubigeo[:2]


def en_su_region(user, entidad) -> bool:
    """Whether `entidad` is a local government of the region `user` follows up (see
    `region_supervisada`): by the INEI code, a province or district of the department."""
    region = region_supervisada(user)
    return bool(region) and entidad.nivel.codigo == Nivel.LOCAL and (entidad.ubigeo or "").startswith(region)


def is_read_only(user) -> bool:
    """Planners read and export; they change nothing."""
    return not is_admin(user) and role_names(user) <= {Rol.PLANIFICADOR}


def owner_entity_id(obj):
    """The id of the entity that owns `obj`, following the model's `owner_field` path."""
    path = type(obj).owner_field.split("__")
    target = obj
    for part in path[:-1]:
        target = getattr(target, part, None)
        if target is None:
            return None
    return getattr(target, path[-1] + "_id", None)


def can_edit(user, obj) -> bool:
    """Whether `user` may change or delete `obj` (ignoring Django's model permissions)."""
    if is_admin(user):
        return True
    if is_read_only(user) or not getattr(user, "entidad_id", None):
        return False
    return owner_entity_id(obj) == user.entidad_id


def check_can_edit(user, obj) -> None:
    """Raise PermissionDenied, saying whose the object is, unless `user` may change it."""
    if not can_edit(user, obj):
        raise PermissionDenied(refusal_message(obj))


def owner_entity(obj):
    """The entity that owns `obj` (following its `owner_field` path), or None."""
    if type(obj).owner_field == "id":  # an entity owns itself
        return obj
    target = obj
    for part in type(obj).owner_field.split("__"):
        target = getattr(target, part, None)
        if target is None:
            return None
    return target


def refusal_message(obj) -> str:
    owner = owner_entity(obj)
    owner_name = (getattr(owner, "sigla", "") or getattr(owner, "nombre", "")) if owner is not None else ""
    return (
        f"No tiene permiso: este registro ({obj._meta.verbose_name}) pertenece a {owner_name or 'otra entidad'}. "
        "Solo el personal de esa entidad puede modificarlo."
    )
