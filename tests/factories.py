"""Test data built by plain functions: small, explicit, and each test says what it needs.

Reference rows (levels) come from fixtures/referencia.json, loaded once per test database.
"""
from __future__ import annotations

import itertools
from decimal import Decimal

from django.contrib.auth.models import Group

from amc.access import Rol
from planes.models import Entidad, NivelGobierno, Plan, PlanEntidad, Usuario

_seq = itertools.count(1)
PASSWORD = "clave-de-prueba-123"


def nivel(codigo: str) -> NivelGobierno:
    return NivelGobierno.objects.get(codigo=codigo)


def make_entidad(nivel_codigo: str = "GR", **kw) -> Entidad:
    n = next(_seq)
    tipo = {"GN": Entidad.Tipo.MINISTERIO, "GR": Entidad.Tipo.DIRECCION_REGIONAL, "GL": Entidad.Tipo.MUNICIPALIDAD_PROVINCIAL}[nivel_codigo]
    defaults = {"codigo": f"entidad-{n}", "nombre": f"Entidad de prueba {n}", "sigla": f"ENT{n}", "nivel": nivel(nivel_codigo), "tipo": tipo}
    defaults.update(kw)
    return Entidad.objects.create(**defaults)


def make_plan(*, rector: Entidad | None = None, participantes=(), anio_inicio=2015, anio_fin=2016, **kw) -> Plan:
    n = next(_seq)
    rector = rector or make_entidad("GN")
    defaults = {"codigo": f"plan-{n}", "titulo": f"Plan de prueba {n}", "servicio": "Servicio de prueba",
                "sector": "Trabajo", "entidad_responsable": rector, "anio_inicio": anio_inicio, "anio_fin": anio_fin}
    defaults.update(kw)
    plan = Plan.objects.create(**defaults)
    PlanEntidad.objects.create(plan=plan, entidad=rector, rol=PlanEntidad.Rol.RECTOR, orden=0)
    for i, entidad in enumerate(participantes, start=1):
        PlanEntidad.objects.create(plan=plan, entidad=entidad, orden=i)
    return plan


def make_user(rol: str, entidad: Entidad | None, *, username: str | None = None, **kw) -> Usuario:
    username = username or f"usuario{next(_seq)}"
    user = Usuario.objects.create_user(username=username, password=PASSWORD, entidad=entidad, is_staff=True, **kw)
    user.groups.add(Group.objects.get(name=rol))
    return user


def make_problema(plan, numero=1, enunciado="Problema de prueba"):
    from matrices.models import Problema

    return Problema.objects.create(plan=plan, numero=numero, enunciado=enunciado)


def make_causa(problema, entidad, letra="a", texto="Causa de prueba"):
    from matrices.models import Causa

    return Causa.objects.create(problema=problema, entidad=entidad, letra=letra, texto=texto)


def make_linea(plan, entidad, orden, *, costo=None, cantidad=None, estado="determinado", descripcion=None, especifica=""):
    from presupuesto.models import LineaPresupuesto

    return LineaPresupuesto.objects.create(
        plan=plan, entidad=entidad, orden=orden, descripcion=descripcion or f"Actividad {orden}", estado=estado,
        costo_unitario=None if costo is None else Decimal(costo), cantidad=None if cantidad is None else Decimal(cantidad),
        especifica_gasto=especifica,
    )


ROLES = Rol
