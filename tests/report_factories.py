"""A whole plan for the report tests, built by one plain function: every section the
reports read, `scale` times over (scale 1 is small; scale 6 has six times the rows), so a
test can render a small and a large plan under the same query count."""
from __future__ import annotations

import string
from dataclasses import dataclass
from decimal import Decimal

from matrices import models as mm
from planes import models as pm
from presupuesto import models as bm
from tests import factories as f


@dataclass
class ReportPlan:
    plan: pm.Plan
    nacional: pm.Entidad
    regional: pm.Entidad


def make_report_plan(scale: int = 1, *, titulo: str | None = None, con_local: bool = False) -> ReportPlan:
    gn = f.make_entidad("GN")
    gr = f.make_entidad("GR")
    participantes = [gr]
    gl = None
    if con_local:
        gl = f.make_entidad("GL")
        participantes.append(gl)
    plan = f.make_plan(rector=gn, participantes=participantes, **({"titulo": titulo} if titulo else {}))
    entidades = [gn, gr]
    letters = string.ascii_lowercase

    # 6-9: problems, causes (letters skip for the regional entity), alternatives, prioritised
    for n in range(1, 2 * scale + 1):
        problema = mm.Problema.objects.create(plan=plan, numero=n, enunciado=f"Problema {n} del servicio evaluado")
        for ent in entidades:
            pasos = range(0, 6, 1) if ent is gn else range(0, 6, 2)  # regional: a, c, e
            for i in pasos:
                letra = letters[i]
                causa = mm.Causa.objects.create(problema=problema, entidad=ent, letra=letra,
                                                texto=f"Causa {n}.{letra} de {ent.sigla}")
                mm.SubpuntoCausa.objects.bulk_create([
                    mm.SubpuntoCausa(causa=causa, orden=k, texto=f"Subpunto {k} de la causa {n}.{letra} de {ent.sigla}")
                    for k in (1, 2)
                ])
                alt = mm.Alternativa.objects.create(problema=problema, entidad=ent, letra=letra, causa=causa,
                                                    texto=f"Alternativa {n}.{letra} de {ent.sigla}")
                mm.SubitemAlternativa.objects.create(alternativa=alt, numero=1, texto=f"Subítem 1 de la alternativa {n}.{letra}")
                if i < 4:
                    mm.AlternativaPriorizada.objects.create(problema=problema, entidad=ent, anio=2015, letra=letra,
                                                            texto=f"Priorizada {n}.{letra} de {ent.sigla}", alternativa=alt)

    # 11: alignment
    an = mm.ObjetivoNacional.objects.create(plan=plan, marco="acuerdo_nacional", orden=1, enunciado="Equidad y Justicia",
                                            detalle="Acceso al empleo digno y productivo")
    pb = mm.ObjetivoNacional.objects.create(plan=plan, marco="plan_bicentenario", orden=1, codigo="Objetivo específico 5",
                                            enunciado="Incremento de los empleos adecuados")
    for k in range(1, scale + 2):
        ind = mm.IndicadorNacional.objects.create(objetivo=pb, numero=str(14 + k), nombre=f"Indicador nacional {k}",
                                                  formula="PEA asalariada / PEA total", fuente="MTPE / ENAHO",
                                                  linea_base="42,7%", tendencia="45%")
        mm.MetaIndicadorNacional.objects.create(indicador=ind, anio=2021, valor="60%")
    del an

    # 12: roles
    nivel = {c: f.nivel(c) for c in ("GN", "GR", "GL")}
    orden = 0
    for fase in mm.Fase.values:
        for k in range(scale):
            orden += 1
            fila = mm.FilaRoles.objects.create(plan=plan, fase=fase, orden=orden)
            mm.CeldaRol.objects.create(fila=fila, nivel=nivel["GN"], texto=f"Rol nacional {orden}")
            if k % 2 == 0:
                mm.CeldaRol.objects.create(fila=fila, nivel=nivel["GR"], texto=f"Rol regional {orden}")

    # 13: results chain, indicator table, logical matrices
    final = mm.Resultado.objects.create(plan=plan, tipo="final", orden=1, enunciado="Personas que acceden a empleos formales")
    inter = mm.Resultado.objects.create(plan=plan, tipo="intermedio", orden=1, resultado_final=final,
                                        enunciado="Más personas acceden a los servicios de empleo")
    producto = mm.Producto.objects.create(plan=plan, resultado=inter, orden=1, enunciado="Servicios de empleo más inclusivos")
    for k in range(1, scale + 2):
        ip = mm.IndicadorProducto.objects.create(producto=producto, orden=k, indicador=f"N° de directivas {k}", meta=str(k))
        mm.TareaNivel.objects.create(indicador=ip, nivel=nivel["GN"], texto=f"Formular directiva {k}")
        mm.TareaNivel.objects.create(indicador=ip, nivel=nivel["GR"], texto=f"Implementar directiva {k}")
    ind_orden = {gn.id: 0, gr.id: 0}

    def indicador(ent, **target):
        ind_orden[ent.id] += 1
        return mm.Indicador.objects.create(plan=plan, entidad=ent, orden=ind_orden[ent.id], **target)

    indicador(gn, resultado=inter, nombre="% de personas beneficiadas (nacional)")
    indicador(gr, resultado=inter, nombre="% de personas beneficiadas (regional)", medio_verificacion="Informe")
    indicador(gn, producto=producto, nombre="N° de gobiernos regionales fortalecidos")
    linea_orden = 0
    for ent, nombre in ((gn, "nacional"), (gr, "regional")):
        for k in range(1, 3 * scale + 1):
            act = mm.Actividad.objects.create(plan=plan, producto=producto, entidad=ent, orden=k,
                                              descripcion=f"Actividad {nombre} {k}", fase="ejecucion")
            indicador(ent, actividad=act, nombre=f"Indicador de la actividad {nombre} {k}", medio_verificacion="Informe")
            if k % 3 == 0:
                indicador(ent, actividad=act, nombre=f"Segundo indicador de la actividad {nombre} {k}", medio_verificacion="Acta")
            # 13.3: one budget line per activity, in four kinds
            linea_orden += 1
            kind = k % 4
            if kind == 1:
                bm.LineaPresupuesto.objects.create(plan=plan, entidad=ent, orden=linea_orden, actividad=act,
                                                   descripcion=f"Presupuesto {nombre} {k}", unidad_medida="Servicio tercero",
                                                   costo_unitario=Decimal("1500.50"), cantidad=Decimal("2"),
                                                   especifica_gasto="2.3.2.7.2.99")
            elif kind == 2:
                linea = bm.LineaPresupuesto.objects.create(plan=plan, entidad=ent, orden=linea_orden, actividad=act,
                                                           descripcion=f"Presupuesto {nombre} {k}")
                bm.SublineaCosto.objects.create(linea=linea, orden=1, concepto="Especialista", unidad_medida="Remuneración",
                                                costo_unitario=Decimal("2500"), cantidad=Decimal("2"),
                                                especifica_gasto="2.3.2.7.11.99")
                bm.SublineaCosto.objects.create(linea=linea, orden=2, concepto="Break", unidad_medida="Servicio",
                                                costo_unitario=Decimal("50"), cantidad=Decimal("20"))
            elif kind == 3:
                bm.LineaPresupuesto.objects.create(plan=plan, entidad=ent, orden=linea_orden, actividad=act,
                                                   descripcion=f"Presupuesto {nombre} {k}", estado="no_determinado")
            else:
                bm.LineaPresupuesto.objects.create(plan=plan, entidad=ent, orden=linea_orden, actividad=act,
                                                   descripcion=f"Presupuesto {nombre} {k}", estado="sin_monto")
    if gl is not None:
        act = mm.Actividad.objects.create(plan=plan, producto=producto, entidad=gl, orden=1, descripcion="Actividad local 1")
        mm.Indicador.objects.create(plan=plan, entidad=gl, orden=1, actividad=act, nombre="Indicador local 1")
    bm.Clasificador.objects.get_or_create(anio=plan.anio_inicio, codigo="2.3.2.7.2.99",
                                          defaults={"nombre": "Otros servicios de consultoría"})

    # Part A, narratives, notes
    for k in range(1, scale + 2):
        pm.BaseLegal.objects.create(plan=plan, orden=k, tipo="Ley", numero=f"N° 2{k:04d}", titulo=f"Ley de prueba {k}")
        pm.ServicioPrestado.objects.create(plan=plan, letra=letters[k - 1], nombre=f"Servicio {k}")
        pm.HallazgoEvaluacion.objects.create(plan=plan, materia="rectoria", orden=k, texto=f"Hallazgo de rectoría {k}")
        pm.MiembroEquipo.objects.create(plan=plan, entidad=gn, orden=k, nombre=f"Especialista {k}",
                                        documento_designacion="Oficio 496-2015-MTPE/2")
        pm.FuncionNivel.objects.create(plan=plan, nivel=nivel["GN"], apartado="3.1 Funciones rectoras",
                                       literal=letters[k - 1] + ".", texto=f"Función rectora {k}", orden=k)
    pm.Declaracion.objects.create(plan=plan, entidad=gn, tipo="vision", texto="Ser la institución referente")
    pm.Declaracion.objects.create(plan=plan, entidad=gr, tipo="mision", texto="Promover el empleo en la región")
    general = pm.Objetivo.objects.create(plan=plan, numero=0, enunciado="Mejorar la calidad del servicio")
    del general
    esp = pm.Objetivo.objects.create(plan=plan, numero=1, enunciado="Articular las políticas nacionales")
    est = pm.Estrategia.objects.create(objetivo=esp, codigo="1.1", enunciado="Lograr que las políticas se articulen")
    pm.AccionEstrategica.objects.create(estrategia=est, codigo="1.1.1", enunciado="Promover la participación regional")
    organo = pm.Organo.objects.create(entidad=gn, nombre=f"Oficina de Descentralización {plan.codigo}")
    pm.OrganoResponsable.objects.create(plan=plan, organo=organo, orden=1, funcion="Seguimiento y evaluación")
    pm.SeccionNarrativa.objects.create(plan=plan, numero="Introducción", titulo="INTRODUCCIÓN", orden=1,
                                       texto="La Secretaría de Descentralización evalúa los servicios.")
    pm.SeccionNarrativa.objects.create(plan=plan, numero="11.1", titulo="A los Objetivos del Acuerdo Nacional", orden=111,
                                       texto="La cadena de valor se enmarca en cuatro objetivos.")
    pm.SeccionNarrativa.objects.create(plan=plan, numero="14", titulo="ASISTENCIA TÉCNICA", orden=140,
                                       texto="Se incorporaron acciones de capacitación.")
    pm.NotaFuente.objects.create(plan=plan, seccion="7", orden=1, titulo="Letras no contiguas",
                                 descripcion="Las letras de las causas regionales saltan, como en la fuente.")
    pm.NotaFuente.objects.create(plan=plan, seccion="13.3", orden=1, titulo="Montos no determinados",
                                 descripcion="«No se ha determinado» no es cero.")
    pm.NotaFuente.objects.create(plan=plan, seccion="18", orden=1, titulo="Cronograma ausente",
                                 descripcion="La fuente no trae cronograma.")
    return ReportPlan(plan, gn, gr)


def expected_budget(scale: int) -> dict[str, Decimal]:
    """Totals per level of make_report_plan(scale), computed the long way."""
    per_level = Decimal("0")
    for k in range(1, 3 * scale + 1):
        if k % 4 == 1:
            per_level += Decimal("1500.50") * 2
        elif k % 4 == 2:
            per_level += Decimal("2500") * 2 + Decimal("50") * 20
    return {"GN": per_level, "GR": per_level, "plan": per_level * 2}
