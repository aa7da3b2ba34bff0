"""Base classes for the plan's models: natural keys and entity scoping.

Natural keys let the seed fixtures load twice without duplicating anything, and into a
database that already holds other plans. A model lists its key fields in
`natural_key_fields`; a foreign key in that list contributes its target's whole key, so
Causa's key is (plan, problem number, entity, letter).
"""
from __future__ import annotations

from django.db import models

from amc import access
from amc.vocabulario import Nivel


class AmcQuerySet(models.QuerySet):
    """get_by_natural_key plus the two scopes every list and form goes through."""

    def get_by_natural_key(self, *key):
        return self.get(**self.model.natural_key_lookup(key))

    def owned_by(self, user):
        """What `user` may change: everything for administrators, else its entity's rows."""
        if access.is_admin(user):
            return self
        if access.is_read_only(user) or not getattr(user, "entidad_id", None):
            return self.none()
        return self.filter(**{self.model.owner_field: user.entidad_id})

    def visible_to(self, user):
        """What `user` may read: every plan for ministry staff and planners, else the plans
        its entity takes part in; a regional directorate's staff also read the plans the local
        governments of its region take part in (`access.region_supervisada`), never another
        region's."""
        if access.reads_all_plans(user):
            return self
        if not getattr(user, "entidad_id", None):
            return self.none()
        if self.model.plan_field is None:  # reference data read through the user's own participations
            return self.filter(participaciones__entidad=user.entidad_id)
        participaciones = _participaciones_model(self.model)
        cond = models.Q(entidad=user.entidad_id)
        region = access.region_supervisada(user)
        if region:
            cond |= models.Q(entidad__nivel__codigo=Nivel.LOCAL, entidad__ubigeo__startswith=region)
        planes = participaciones.objects.filter(cond).values("plan_id")
        lookup = f"{self.model.plan_field}__in" if self.model.plan_field else "pk__in"
        return self.filter(**{lookup: planes})

    def usable_by(self, user, field_name: str = ""):
        """What `user` may choose in a form's `field_name` pointing at this model: rows of the
        plans it may read (reference data: everything). Entities and units narrow it further."""
        return self if self.model.plan_field is None else self.visible_to(user)


def _participaciones_model(model):
    """The model of the plan's participating entities, reached from `model` through its
    `plan_field` (no import of the planes app: this is the base layer)."""
    plan = model
    for part in model.plan_field.split("__") if model.plan_field else ():
        plan = plan._meta.get_field(part).related_model
    return plan._meta.get_field("participaciones").related_model


class AmcModel(models.Model):
    """A model of the plan with a natural key and an owning entity.

    owner_field: lookup path from the model to the owning Entidad.
    plan_field: lookup path from the model to its Plan ("" for Plan itself).
    """

    natural_key_fields: tuple[str, ...] = ()
    owner_field: str = ""
    plan_field: str | None = "plan"  # None: reference data, not part of any plan
    #: Whether a save or delete raises the data version (`amc.versiones`), which every report
    #: computed once per version is keyed by. False only for rows no such report reads (a
    #: user's notices): marking one read must not make every user's reports be computed again.
    cambia_version: bool = True

    objects = AmcQuerySet.as_manager()

    class Meta:
        abstract = True

    def validate_constraints(self, exclude=None):
        # Inline forms leave out the fields they take from the parent (problem, entity,
        # plan); those are set all the same, so the constraints they take part in are
        # checked here rather than left to fail in the database.
        if exclude:
            exclude = {name for name in exclude if not self._field_is_set(name)}
        super().validate_constraints(exclude)

    def _field_is_set(self, name: str) -> bool:
        try:
            field = self._meta.get_field(name)
        except Exception:
            return False
        return getattr(self, getattr(field, "attname", name), None) not in (None, "")

    def natural_key(self):
        key: list = []
        for name in self.natural_key_fields:
            field = self._meta.get_field(name)
            if field.is_relation:
                key.extend(getattr(self, name).natural_key())
            else:
                key.append(getattr(self, name))
        return tuple(key)

    @classmethod
    def natural_key_arity(cls) -> int:
        total = 0
        for name in cls.natural_key_fields:
            field = cls._meta.get_field(name)
            total += field.related_model.natural_key_arity() if field.is_relation else 1
        return total

    @classmethod
    def natural_key_lookup(cls, key, prefix: str = "") -> dict:
        lookup: dict = {}
        i = 0
        for name in cls.natural_key_fields:
            field = cls._meta.get_field(name)
            if field.is_relation:
                n = field.related_model.natural_key_arity()
                lookup.update(field.related_model.natural_key_lookup(key[i : i + n], f"{prefix}{name}__"))
                i += n
            else:
                lookup[prefix + name] = key[i]
                i += 1
        if i != len(key):
            raise cls.DoesNotExist(f"Clave natural de {cls.__name__} mal formada: {key!r}")
        return lookup
