"""Sheets of the plan's design that people keep in Excel: causes, alternatives and their
sub-items, activities, indicators and their yearly targets (see importacion/resources.py)."""
from __future__ import annotations

from importacion.resources import Columna, Entero, HojaResource, Numero, Opcion, Texto, normalize, parse_int, parse_text
from matrices.models import (
    Actividad, Agregacion, Alternativa, Causa, Fase, Indicador, IndicadorCatalogo, MetaIndicador, Problema, Resultado, Sentido,
    SubitemAlternativa, SubpuntoCausa,
)


def _letra(value) -> str:
    """"b", "B", "b)", "b." -> "b" (the document writes "b)")."""
    return parse_text(value).strip().rstrip(").").strip().lower()


def _lista_numeros(numeros) -> str:
    numeros = sorted(numeros)
    return ", ".join(str(n) for n in numeros) if numeros else "ninguno"


def columna_problema(attribute="problema") -> Columna:
    return Columna("Problema", attribute, widget=Entero(), obligatoria=True, lista="problemas", ancho=10, tipo="integer",
                   ayuda="Número del problema del plan (sección 6) al que corresponde la fila.", ejemplo="1")


class ProblemaMixin:
    """Sheets whose rows hang from one of the plan's problems, by number (each declares its
    `problema = columna_problema()`: import-export collects only fields of resource classes)."""

    def cargar_problemas(self):
        self.problemas = {p.numero: p for p in Problema.objects.filter(plan=self.plan)}

    def leer_problema(self, value, row):
        numero = parse_int(value)
        if numero is None:
            return None
        if numero not in self.problemas:
            raise ValueError(f"El plan {self.plan.codigo} no tiene el problema {numero}; sus problemas son "
                             f"{_lista_numeros(self.problemas)}.")
        return self.problemas[numero]

    def dehydrate_problema(self, obj):
        return obj.problema.numero

    def lista_problemas(self):
        return {"problemas": sorted(self.problemas) if hasattr(self, "problemas") else
                sorted(Problema.objects.filter(plan=self.plan).values_list("numero", flat=True))}


class CausaResource(ProblemaMixin, HojaResource):
    hoja = "Causas"
    titulo = "Causas (análisis causal)"
    explicacion = ("Una fila por causa de un problema según su entidad (sección 7). La causa se identifica por el "
                   "problema y su letra: si la letra ya existe, la fila la actualiza.")

    problema = columna_problema()
    letra = Columna("Letra", "letra", obligatoria=True, ancho=8, ayuda="Letra de la causa (a, b, c…), como la cita el plan. "
                    "Las letras pueden saltarse.", ejemplo="b")
    texto = Columna("Texto", "texto", obligatoria=True, ancho=80, ayuda="La causa, como la redacta la entidad.")

    clave = ("problema", "letra")
    clave_campos = ("problema_id", "entidad_id", "letra")
    actualizables = ("texto",)
    fk_resueltas = ("problema", "entidad")

    class Meta(HojaResource.Meta):
        model = Causa
        fields = ("plan_codigo", "entidad_codigo", "problema", "letra", "texto")

    def existentes(self):
        return Causa.objects.filter(problema__plan=self.plan).select_related("problema", "entidad")

    def cargar_referencias(self):
        self.cargar_problemas()

    def leer_letra(self, value, row):
        return _letra(value)

    def listas(self):
        return self.lista_problemas()

    def describir(self, instance):
        return f"Causa {instance.problema.numero}.{instance.letra}"


class SubpuntoCausaResource(ProblemaMixin, HojaResource):
    hoja = "Subpuntos de causas"
    titulo = "Subpuntos de causas"
    explicacion = "Los subpuntos que explican una causa (las viñetas bajo ella), identificados por problema, letra y orden."

    problema = columna_problema(None)
    causa = Columna("Causa (letra)", "causa", obligatoria=True, ancho=10,
                    ayuda="Letra de la causa, que debe existir (hoja «Causas»).", ejemplo="a")
    orden = Columna("Orden", "orden", widget=Entero(), obligatoria=True, ancho=8, tipo="integer",
                    ayuda="Número del subpunto dentro de su causa (1, 2, 3…).", ejemplo="1")
    texto = Columna("Texto", "texto", obligatoria=True, ancho=80, ayuda="El subpunto.")

    clave = ("causa", "orden")
    clave_campos = ("causa_id", "orden")
    actualizables = ("texto",)
    fk_resueltas = ("causa",)

    class Meta(HojaResource.Meta):
        model = SubpuntoCausa
        fields = ("plan_codigo", "entidad_codigo", "problema", "causa", "orden", "texto")

    def existentes(self):
        return SubpuntoCausa.objects.filter(causa__problema__plan=self.plan).select_related("causa__problema", "causa__entidad")

    def cargar_referencias(self):
        self.cargar_problemas()
        self.causas = {(c.problema_id, c.letra): c for c in
                       Causa.objects.filter(problema__plan=self.plan, entidad=self.entidad).select_related("problema")}

    def leer_causa(self, value, row):
        letra = _letra(value)
        if not letra:
            return None
        try:
            problema = self.leer_problema(row.get("Problema"), row)
        except ValueError:
            problema = None
        if problema is None:
            raise ValueError("No se puede ubicar la causa: corrija el número del problema.")
        causa = self.causas.get((problema.pk, letra))
        if causa is None:
            raise ValueError(f"{self.entidad.nombre_corto} no tiene la causa {problema.numero}.{letra}: impórtela antes en "
                             "la hoja «Causas» o corrija la letra.")
        return causa

    def dehydrate_problema(self, obj):
        return obj.causa.problema.numero

    def dehydrate_causa(self, obj):
        return obj.causa.letra

    def listas(self):
        return self.lista_problemas()

    def describir(self, instance):
        return f"Subpunto {instance.causa.problema.numero}.{instance.causa.letra}.{instance.orden}"


class AlternativaResource(ProblemaMixin, HojaResource):
    hoja = "Alternativas"
    titulo = "Alternativas de solución"
    explicacion = ("Una fila por alternativa (sección 8), con la letra de la causa que atiende cuando el plan la "
                   "identifica. Sus subítems numerados van en la hoja «Subítems de alternativas».")

    problema = columna_problema()
    letra = Columna("Letra", "letra", obligatoria=True, ancho=8, ayuda="Letra de la alternativa (a, b, c…).", ejemplo="a")
    causa = Columna("Causa (letra)", "causa", ancho=10, ayuda="Letra de la causa que atiende, del mismo problema y de su "
                    "entidad. Vacía si el plan no lo dice.", ejemplo="a")
    texto = Columna("Texto", "texto", ancho=80, ayuda="La alternativa. Puede quedar vacía si solo tiene subítems.")

    clave = ("problema", "letra")
    clave_campos = ("problema_id", "entidad_id", "letra")
    actualizables = ("causa", "texto")
    fk_resueltas = ("problema", "entidad", "causa")

    class Meta(HojaResource.Meta):
        model = Alternativa
        fields = ("plan_codigo", "entidad_codigo", "problema", "letra", "causa", "texto")

    def existentes(self):
        return Alternativa.objects.filter(problema__plan=self.plan).select_related("problema", "entidad", "causa")

    def cargar_referencias(self):
        self.cargar_problemas()
        self.causas = {(c.problema_id, c.letra): c for c in
                       Causa.objects.filter(problema__plan=self.plan, entidad=self.entidad).select_related("problema")}

    def leer_letra(self, value, row):
        return _letra(value)

    def leer_causa(self, value, row):
        letra = _letra(value)
        if not letra:
            return None
        try:
            problema = self.leer_problema(row.get("Problema"), row)
        except ValueError:
            problema = None
        if problema is None:
            raise ValueError("No se puede ubicar la causa: corrija el número del problema.")
        causa = self.causas.get((problema.pk, letra))
        if causa is None:
            raise ValueError(f"{self.entidad.nombre_corto} no tiene la causa {problema.numero}.{letra}: impórtela antes en "
                             "la hoja «Causas» o corrija la letra.")
        return causa

    def dehydrate_causa(self, obj):
        return obj.causa.letra if obj.causa_id else ""

    def listas(self):
        return self.lista_problemas()

    def describir(self, instance):
        return f"Alternativa {instance.problema.numero}.{instance.letra}"


class SubitemAlternativaResource(ProblemaMixin, HojaResource):
    hoja = "Subítems de alternativas"
    titulo = "Subítems de alternativas"
    explicacion = "Los subítems numerados (1., 2., 3.) de una alternativa, identificados por problema, letra y número."

    problema = columna_problema(None)
    alternativa = Columna("Alternativa (letra)", "alternativa", obligatoria=True, ancho=12,
                          ayuda="Letra de la alternativa, que debe existir (hoja «Alternativas»).", ejemplo="a")
    numero = Columna("Número", "numero", widget=Entero(), obligatoria=True, ancho=9, tipo="integer",
                     ayuda="Número del subítem (1, 2, 3…).", ejemplo="1")
    texto = Columna("Texto", "texto", obligatoria=True, ancho=80, ayuda="El subítem.")

    clave = ("alternativa", "numero")
    clave_campos = ("alternativa_id", "numero")
    actualizables = ("texto",)
    fk_resueltas = ("alternativa",)

    class Meta(HojaResource.Meta):
        model = SubitemAlternativa
        fields = ("plan_codigo", "entidad_codigo", "problema", "alternativa", "numero", "texto")

    def existentes(self):
        return SubitemAlternativa.objects.filter(alternativa__problema__plan=self.plan).select_related(
            "alternativa__problema", "alternativa__entidad")

    def cargar_referencias(self):
        self.cargar_problemas()
        self.alternativas = {(a.problema_id, a.letra): a for a in Alternativa.objects.filter(
            problema__plan=self.plan, entidad=self.entidad).select_related("problema", "entidad")}

    def leer_alternativa(self, value, row):
        letra = _letra(value)
        if not letra:
            return None
        try:
            problema = self.leer_problema(row.get("Problema"), row)
        except ValueError:
            problema = None
        if problema is None:
            raise ValueError("No se puede ubicar la alternativa: corrija el número del problema.")
        alternativa = self.alternativas.get((problema.pk, letra))
        if alternativa is None:
            raise ValueError(f"{self.entidad.nombre_corto} no tiene la alternativa {problema.numero}.{letra}: impórtela "
                             "antes en la hoja «Alternativas» o corrija la letra.")
        return alternativa

    def dehydrate_problema(self, obj):
        return obj.alternativa.problema.numero

    def dehydrate_alternativa(self, obj):
        return obj.alternativa.letra

    def listas(self):
        return self.lista_problemas()

    def describir(self, instance):
        a = instance.alternativa
        return f"Subítem {a.problema.numero}.{a.letra}.{instance.numero}"


def _ayuda_orden(que: str) -> str:
    return f"Número de orden de {que} en la matriz de su entidad; identifica la fila: si ya existe, se actualiza."


class ActividadResource(HojaResource):
    hoja = "Actividades"
    titulo = "Actividades de la matriz lógica"
    explicacion = "Las actividades de la matriz lógica de su entidad (13.1 / 13.2), por número de orden."

    orden = Columna("Orden", "orden", widget=Entero(), obligatoria=True, ancho=8, tipo="integer",
                    ayuda=_ayuda_orden("la actividad"), ejemplo="4")
    producto = Columna("Producto (orden)", "producto", widget=Entero(), lista="productos", ancho=10, tipo="integer",
                       ayuda="Número de orden del producto de la cadena de resultados al que contribuye.", ejemplo="1")
    fase = Columna("Fase", "fase", widget=Opcion(Fase.choices), lista="fases", ancho=22,
                   ayuda="Fase de la matriz de roles: " + ", ".join(str(label) for _, label in Fase.choices) + ".",
                   ejemplo="Ejecución")
    descripcion = Columna("Actividad", "descripcion", ancho=80,
                          ayuda="La actividad, como la escribe la matriz lógica (puede quedar vacía: filas sin objetivo en la fuente).")

    clave = ("orden",)
    clave_campos = ("plan_id", "entidad_id", "orden")
    actualizables = ("producto", "fase", "descripcion")
    fk_resueltas = ("plan", "entidad", "producto")

    class Meta(HojaResource.Meta):
        model = Actividad
        fields = ("plan_codigo", "entidad_codigo", "nivel", "orden", "producto", "fase", "descripcion")

    def existentes(self):
        return Actividad.objects.filter(plan=self.plan).select_related("entidad", "producto")

    def cargar_referencias(self):
        self.productos = {p.orden: p for p in self.plan.productos.all()}

    def leer_producto(self, value, row):
        numero = parse_int(value)
        if numero is None:
            return None
        if numero not in self.productos:
            raise ValueError(f"El plan no tiene el producto {numero}; sus productos son {_lista_numeros(self.productos)}.")
        return self.productos[numero]

    def dehydrate_producto(self, obj):
        return obj.producto.orden if obj.producto_id else None

    def listas(self):
        return {"fases": [str(label) for _, label in Fase.choices],
                "productos": sorted(self.plan.productos.values_list("orden", flat=True))}

    def describir(self, instance):
        return f"Actividad {instance.orden}"


MIDE = [("resultado_final", "Resultado final"), ("resultado_intermedio", "Resultado intermedio"),
        ("producto", "Producto"), ("actividad", "Actividad")]


class IndicadorResource(HojaResource):
    hoja = "Indicadores"
    titulo = "Indicadores"
    explicacion = ("Los indicadores de la matriz lógica de su entidad, por número de orden; cada uno mide una cosa: "
                   "un resultado, un producto o una actividad. Sus metas anuales van en la hoja «Metas».")

    orden = Columna("Orden", "orden", widget=Entero(), obligatoria=True, ancho=8, tipo="integer",
                    ayuda=_ayuda_orden("el indicador"), ejemplo="1")
    mide = Columna("Mide", None, widget=Opcion(MIDE), obligatoria=True, lista="mide", ancho=20,
                   ayuda="Qué mide: Resultado final, Resultado intermedio, Producto o Actividad.", ejemplo="Actividad")
    medido = Columna("Orden de lo medido", None, widget=Entero(), obligatoria=True, ancho=10, tipo="integer",
                     ayuda="Número de orden del resultado, producto o actividad (de su entidad) que mide.", ejemplo="3")
    nombre = Columna("Indicador", "nombre", obligatoria=True, ancho=60, ayuda="El indicador, p. ej. «Nº de servidores capacitados».")
    unidad_medida = Columna("Unidad de medida", "unidad_medida", lista="unidades", lista_estricta=False, ancho=18,
                            ayuda="Unidad en que se mide. La lista sugiere las del plan; puede escribir otra.", ejemplo="Persona")
    catalogo_codigo = Columna("Código del catálogo", None, lista="catalogo", ancho=22,
                              ayuda="Opcional: el código de la entrada del catálogo nacional de indicadores que este "
                              "indicador mide (p. ej. servidores-capacitados), para compararlo con otras regiones. "
                              "Debe ser de la misma unidad y sentido. Vacía: sin vincular.",
                              ejemplo="servidores-capacitados")
    formula = Columna("Fórmula", "formula", ancho=30, ayuda="Cómo se calcula, si aplica.")
    linea_base_valor = Columna("Línea de base", "linea_base_valor", widget=Numero(), ancho=12, tipo="number",
                               ayuda="Valor de la línea de base, con punto decimal (1234.50).", ejemplo="0")
    linea_base_anio = Columna("Año de la línea de base", "linea_base_anio", widget=Entero(), ancho=10, tipo="integer",
                              ayuda="Año de la línea de base.", ejemplo="2014")
    medio_verificacion = Columna("Medio de verificación", "medio_verificacion", ancho=30,
                                 ayuda="Evidencia de su cumplimiento: informe, acta, lista de asistencia…")
    agregacion = Columna("Cómo se acumulan sus valores", "agregacion", widget=Opcion(Agregacion.choices), lista="agregacion",
                         ancho=24, ayuda="Cómo se suman los valores de los periodos. Vacía: "
                         f"«{Agregacion.SUMA.label}».")
    sentido = Columna("Sentido", "sentido", widget=Opcion(Sentido.choices), lista="sentido", ancho=24,
                      ayuda="Hacia dónde debe ir el indicador: «Ascendente» si más es mejor, «Descendente» si menos es mejor "
                      "(una tasa a reducir, p. ej. la de informalidad), «Constante» si la meta es un nivel que se mantiene. "
                      "Da el % de logro y el semáforo del seguimiento. Vacía: «Ascendente».", ejemplo="Ascendente")

    clave = ("orden",)
    clave_campos = ("plan_id", "entidad_id", "orden")
    actualizables = ("resultado", "producto", "actividad", "nombre", "unidad_medida", "catalogo", "formula",
                     "linea_base_valor", "linea_base_anio", "medio_verificacion", "agregacion", "sentido")
    fk_resueltas = ("plan", "entidad", "resultado", "producto", "actividad", "catalogo")
    columnas_de_campos = {"resultado": "Orden de lo medido", "producto": "Orden de lo medido",
                          "actividad": "Orden de lo medido", "catalogo": "Código del catálogo"}

    class Meta(HojaResource.Meta):
        model = Indicador
        fields = ("plan_codigo", "entidad_codigo", "nivel", "orden", "mide", "medido", "nombre", "unidad_medida",
                  "catalogo_codigo", "formula", "linea_base_valor", "linea_base_anio", "medio_verificacion", "agregacion", "sentido")

    def existentes(self):
        return Indicador.objects.filter(plan=self.plan).select_related("entidad", "resultado", "producto", "actividad",
                                                                       "catalogo")

    def cargar_referencias(self):
        self.resultados = {(r.tipo, r.orden): r for r in Resultado.objects.filter(plan=self.plan)}
        self.productos = {p.orden: p for p in self.plan.productos.all()}
        self.actividades = {a.orden: a for a in Actividad.objects.filter(plan=self.plan, entidad=self.entidad)}
        self.catalogo = {c.codigo: c for c in IndicadorCatalogo.objects.all()}

    def leer_agregacion(self, value, row):
        return self.fields["agregacion"].widget.clean(value) or Agregacion.SUMA

    def leer_sentido(self, value, row):
        return self.fields["sentido"].widget.clean(value) or Sentido.ASCENDENTE

    def importar_extra(self, instance, row, errores):
        codigo = (str(row.get("Código del catálogo") or "")).strip()
        instance.catalogo = self.catalogo.get(codigo) if codigo else None
        if codigo and instance.catalogo is None:
            errores.setdefault("Código del catálogo", []).append(
                f"El catálogo de indicadores no tiene la entrada «{codigo}». Use uno de sus códigos (lista de la "
                "plantilla) o deje la celda vacía.")
        try:
            mide = self.fields["mide"].widget.clean(row.get("Mide"))
            if not mide:
                raise ValueError("Falta «Mide»: indique si mide un resultado final o intermedio, un producto o una actividad.")
        except ValueError as exc:
            errores.setdefault("Mide", []).append(str(exc))
            return
        try:
            numero = parse_int(row.get("Orden de lo medido"))
            if numero is None:
                raise ValueError("Falta «Orden de lo medido»: el número de lo que mide el indicador.")
            instance.resultado = instance.producto = instance.actividad = None
            if mide.startswith("resultado"):
                tipo = mide.split("_")[1]
                target = self.resultados.get((tipo, numero))
                label = f"resultado {tipo} {numero}"
                instance.resultado = target
            elif mide == "producto":
                target = self.productos.get(numero)
                label = f"producto {numero}"
                instance.producto = target
            else:
                target = self.actividades.get(numero)
                label = f"actividad {numero} de {self.entidad.nombre_corto}"
                instance.actividad = target
            if target is None:
                raise ValueError(f"El plan no tiene {label}.")
        except ValueError as exc:
            errores.setdefault("Orden de lo medido", []).append(str(exc))

    def dehydrate_mide(self, obj):
        if obj.resultado_id:
            return dict(MIDE)[f"resultado_{obj.resultado.tipo}"]
        return "Producto" if obj.producto_id else "Actividad"

    def dehydrate_catalogo_codigo(self, obj):
        return obj.catalogo.codigo if obj.catalogo_id else ""

    def dehydrate_medido(self, obj):
        return (obj.resultado or obj.producto or obj.actividad).orden

    def listas(self):
        unidades = set(Indicador.objects.filter(plan=self.plan).exclude(unidad_medida="").values_list("unidad_medida", flat=True))
        return {"mide": [label for _, label in MIDE], "unidades": sorted(unidades, key=normalize),
                "agregacion": [str(label) for _, label in Agregacion.choices],
                "sentido": [str(label) for _, label in Sentido.choices],
                "catalogo": list(IndicadorCatalogo.objects.values_list("codigo", flat=True))}

    def describir(self, instance):
        return f"Indicador {instance.orden}"


class MetaIndicadorResource(HojaResource):
    hoja = "Metas"
    titulo = "Metas anuales de los indicadores"
    explicacion = "La meta de cada indicador de su entidad para cada año del plan: una fila por indicador y año."

    indicador = Columna("Indicador (orden)", "indicador", widget=Entero(), obligatoria=True, lista="indicadores", ancho=10,
                        tipo="integer", ayuda="Número de orden del indicador de su entidad (hoja «Indicadores»).", ejemplo="1")
    indicador_nombre = Columna("Indicador", None, referencia=True, ancho=50,
                               ayuda="El nombre del indicador, como referencia: no se importa.")
    anio = Columna("Año", "anio", widget=Entero(), obligatoria=True, lista="anios", ancho=8, tipo="integer",
                   ayuda="Año de la meta, dentro de los años del plan.", ejemplo="2015")
    valor = Columna("Meta", "valor", widget=Numero(), obligatoria=True, ancho=12, tipo="number",
                    ayuda="La meta como número, con punto decimal (25 o 12.50).", ejemplo="25")
    descripcion = Columna("Meta como se escribe", "descripcion", ancho=30,
                          ayuda="La meta como la escribe el documento, si dice más que el número (p. ej. «25 servidores»).")

    clave = ("indicador", "anio")
    clave_campos = ("indicador_id", "anio")
    actualizables = ("valor", "descripcion")
    fk_resueltas = ("indicador",)

    class Meta(HojaResource.Meta):
        model = MetaIndicador
        fields = ("plan_codigo", "entidad_codigo", "indicador", "indicador_nombre", "anio", "valor", "descripcion")

    def existentes(self):
        return MetaIndicador.objects.filter(indicador__plan=self.plan).select_related("indicador__entidad", "indicador__plan")

    def cargar_referencias(self):
        self.indicadores = {i.orden: i for i in Indicador.objects.filter(plan=self.plan, entidad=self.entidad).select_related("plan")}

    def leer_indicador(self, value, row):
        numero = parse_int(value)
        if numero is None:
            return None
        if numero not in self.indicadores:
            raise ValueError(f"{self.entidad.nombre_corto} no tiene el indicador {numero} en este plan; sus indicadores son "
                             f"{_lista_numeros(self.indicadores)}.")
        return self.indicadores[numero]

    def dehydrate_indicador(self, obj):
        return obj.indicador.orden

    def dehydrate_indicador_nombre(self, obj):
        return obj.indicador.nombre

    def listas(self):
        return {"anios": list(self.plan.anios),
                "indicadores": sorted(Indicador.objects.filter(plan=self.plan, entidad=self.entidad).values_list("orden", flat=True))}

    def describir(self, instance):
        return f"Meta {instance.anio} del indicador {instance.indicador.orden}"


__all__ = ["CausaResource", "SubpuntoCausaResource", "AlternativaResource", "SubitemAlternativaResource", "ActividadResource", "IndicadorResource",
           "MetaIndicadorResource", "Texto"]
