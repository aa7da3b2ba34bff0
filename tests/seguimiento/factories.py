"""Test data for the follow-up: a plan whose years include today, so its periods can be open."""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from amc.access import Rol
from matrices.models import Actividad, Indicador, MetaIndicador, Resultado
from planes.models import Entidad
from seguimiento.models import (
    CategoriaDesagregacion, IndicadorDesagregacion, MetaPeriodo, PeriodoReporte, TipoDesagregacion,
)
from tests import factories as f

# A real one-page PDF (evidence files are parsed: seguimiento/evidencia.py).
PDF_BYTES = (
    b"%PDF-1.3\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<\n/Producer (pypdf)\n>>\nendobj\n2 0 obj\n<<\n/Type /Pages\n/Count 1\n"
    b"/Kids [ 4 0 R ]\n>>\nendobj\n3 0 obj\n<<\n/Type /Catalog\n/Pages 2 0 R\n>>\nendobj\n4 0 obj\n<<\n/Type /Page\n"
    b"/Resources <<\n>>\n/MediaBox [ 0.0 0.0 200 200 ]\n/Parent 2 0 R\n>>\nendobj\nxref\n0 5\n0000000000 65535 f \n"
    b"0000000015 00000 n \n0000000054 00000 n \n0000000113 00000 n \n0000000162 00000 n \ntrailer\n<<\n/Size 5\n"
    b"/Root 3 0 R\n/Info 1 0 R\n>>\nstartxref\n256\n%%EOF\n"
)
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def hoy() -> datetime.date:
    return timezone.localdate()


def pdf(name: str = "informe.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def make_resultado(plan) -> Resultado:
    return Resultado.objects.get_or_create(plan=plan, tipo="final", orden=1, defaults={"enunciado": "Resultado final de prueba"})[0]


def make_indicador(plan, entidad, orden, *, nombre=None, agregacion="suma", meta_anual=None, anio=None, linea_base=None) -> Indicador:
    ind = Indicador.objects.create(
        plan=plan, entidad=entidad, orden=orden, resultado=make_resultado(plan), nombre=nombre or f"Indicador {orden}",
        unidad_medida="personas", agregacion=agregacion,
        linea_base_valor=None if linea_base is None else Decimal(linea_base),
    )
    if meta_anual is not None:
        MetaIndicador.objects.create(indicador=ind, anio=anio or hoy().year, valor=Decimal(meta_anual))
    return ind


def make_actividad(plan, entidad, orden, descripcion=None) -> Actividad:
    return Actividad.objects.create(plan=plan, entidad=entidad, orden=orden, descripcion=descripcion or f"Actividad {orden}")


def make_periodos(plan, anio=None, frecuencia="trimestral", *, abiertos=True) -> list[PeriodoReporte]:
    """The year's periods; `abiertos`: each window runs to 60 days from today (else the
    windows ended 15 days after each period, long ago for a past year)."""
    anio = anio or hoy().year
    n = {"mensual": 12, "trimestral": 4, "semestral": 2, "anual": 1}[frecuencia]
    periodos = []
    for numero in range(1, n + 1):
        inicio, fin = PeriodoReporte.fechas(frecuencia, anio, numero)
        hasta = max(fin, hoy()) + datetime.timedelta(days=60) if abiertos else fin + datetime.timedelta(days=15)
        desde = min(inicio, hoy()) if abiertos else inicio
        periodos.append(PeriodoReporte.objects.create(plan=plan, frecuencia=frecuencia, anio=anio, numero=numero, inicio=inicio,
                                                      fin=fin, entrega_desde=desde, entrega_hasta=hasta))
    return periodos


def meta_periodo(indicador, periodo, valor) -> MetaPeriodo:
    return MetaPeriodo.objects.create(indicador=indicador, periodo=periodo, valor=Decimal(valor))


def tipo_sexo() -> TipoDesagregacion:
    """The sex disaggregation (a data migration makes it; a browser test's flush removes it)."""
    tipo, _ = TipoDesagregacion.objects.get_or_create(codigo="sexo", defaults={"nombre": "Sexo"})
    CategoriaDesagregacion.objects.get_or_create(tipo=tipo, codigo="mujeres", defaults={"nombre": "Mujeres", "orden": 1})
    CategoriaDesagregacion.objects.get_or_create(tipo=tipo, codigo="hombres", defaults={"nombre": "Hombres", "orden": 2})
    return tipo


def desagregar(indicador, tipo, obligatoria=False) -> IndicadorDesagregacion:
    return IndicadorDesagregacion.objects.create(indicador=indicador, tipo=tipo, obligatoria=obligatoria)


@dataclass
class Escenario:
    plan: object
    mtpe: Entidad
    puno: Entidad
    periodos: list
    indicadores: list
    actividades: list
    users: dict = field(default_factory=dict)

    @property
    def periodo(self):
        return self.periodos[0]


def escenario(*, n_indicadores=2, n_actividades=1, frecuencia="trimestral", abiertos=True, extra_regiones=0,
              usuarios=True) -> Escenario:
    """A plan of the ministry with DRTPE Puno (and `extra_regiones` more regional entities),
    each regional entity with `n_indicadores` indicators (yearly target 100) and
    `n_actividades` activities, and the current year's periods."""
    mtpe = Entidad.objects.get(codigo="mtpe")
    puno = Entidad.objects.get(codigo="drtpe-puno")
    regiones = [puno] + [f.make_entidad("GR") for _ in range(extra_regiones)]
    anio = hoy().year
    plan = f.make_plan(rector=mtpe, participantes=regiones, anio_inicio=anio - 1, anio_fin=anio + 1)
    indicadores, actividades = [], []
    for entidad in regiones:
        for i in range(1, n_indicadores + 1):
            indicadores.append(make_indicador(plan, entidad, i, nombre=f"Servidores capacitados {i} ({entidad.sigla})",
                                              meta_anual=100, anio=anio, linea_base=10))
        for i in range(1, n_actividades + 1):
            actividades.append(make_actividad(plan, entidad, i, f"Taller de capacitación {i} ({entidad.sigla})"))
    periodos = make_periodos(plan, anio, frecuencia, abiertos=abiertos)
    esc = Escenario(plan, mtpe, puno, periodos, indicadores, actividades)
    if usuarios:
        esc.users = {
            "puno": f.make_user(Rol.REGIONAL, puno),
            "mtpe": f.make_user(Rol.MINISTERIO, mtpe),
            "planificador": f.make_user(Rol.PLANIFICADOR, mtpe),
        }
    return esc
