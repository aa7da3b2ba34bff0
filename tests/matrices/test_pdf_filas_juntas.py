"""A spanning cell is never cut by a page break in the PDF: in the logical matrix an activity's
cell spans its indicator rows, in the alignment table an objective's cell spans its indicators;
each such group is one row group kept on one page (`tbody.junto`), so no page starts with rows
whose objective was left on the page before. Read back from the PDF, page by page."""
from __future__ import annotations

import io

import pdfplumber
import pytest
from django.urls import reverse

from matrices import models as mm
from tests import factories as f

pytestmark = pytest.mark.django_db

LARGO = " con el detalle de la meta, la población objetivo y la región en que se cumple" * 2


def _paginas(response) -> list[str]:
    assert response["Content-Type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        return [" ".join((p.extract_text() or "").split()) for p in pdf.pages]


def _pagina_de(paginas: list[str], marca: str) -> int:
    encontradas = [n for n, texto in enumerate(paginas) if marca in texto]
    assert len(encontradas) == 1, f"«{marca}» en las páginas {encontradas}"
    return encontradas[0]


def _grupos_en_una_pagina(paginas, grupos: dict[str, list[str]]) -> dict[str, list[int]]:
    """The groups whose rows are not all on their objective's page: {objective: [pages]}."""
    cortados = {}
    for objetivo, filas in grupos.items():
        en = [_pagina_de(paginas, objetivo)] + [_pagina_de(paginas, fila) for fila in filas]
        if len(set(en)) > 1:
            cortados[objetivo] = en
    return cortados


def test_an_activity_and_its_indicator_rows_stay_on_one_page_of_the_logical_matrix(client, usuario_planificador):
    gn = f.make_entidad("GN")
    plan = f.make_plan(rector=gn)
    final = mm.Resultado.objects.create(plan=plan, tipo="final", orden=1, enunciado="Personas con empleo formal")
    inter = mm.Resultado.objects.create(plan=plan, tipo="intermedio", orden=1, resultado_final=final, enunciado="Servicios usados")
    producto = mm.Producto.objects.create(plan=plan, resultado=inter, orden=1, enunciado="Servicios inclusivos")
    grupos, orden = {}, 0
    for k in range(1, 31):
        act = mm.Actividad.objects.create(plan=plan, producto=producto, entidad=gn, orden=k, descripcion=f"ACT{k:02d}")
        grupos[f"ACT{k:02d}"] = []
        for j in (1, 2, 3):
            orden += 1
            mm.Indicador.objects.create(plan=plan, entidad=gn, orden=orden, actividad=act, nombre=f"IND{k:02d}{j} {LARGO}",
                                        medio_verificacion=f"Informe{LARGO}")
            grupos[f"ACT{k:02d}"].append(f"IND{k:02d}{j}")
    client.force_login(usuario_planificador)
    paginas = _paginas(client.get(reverse("reporte_matriz_logica", args=[plan.pk]) + "?nivel=GN&formato=pdf"))
    assert len(paginas) >= 4  # the matrix runs over several pages: the page breaks are tested
    assert _grupos_en_una_pagina(paginas, grupos) == {}
    assert _pagina_de(paginas, "ACTIVIDADES") == _pagina_de(paginas, "ACT01")  # the block's heading goes with its first row


def test_an_objective_and_its_indicators_stay_on_one_page_of_the_alignment(client, usuario_planificador):
    gn = f.make_entidad("GN")
    plan = f.make_plan(rector=gn)
    grupos = {}
    for k in range(1, 26):
        objetivo = mm.ObjetivoNacional.objects.create(plan=plan, marco="plan_bicentenario", orden=k, codigo=f"OBJ{k:02d}",
                                                      enunciado=f"OBJ{k:02d} Incremento de los empleos adecuados")
        grupos[f"OBJ{k:02d}"] = []
        for j in range(1, 2 + k % 3 + 1):  # two, three or four indicators
            ind = mm.IndicadorNacional.objects.create(objetivo=objetivo, numero=f"{k}.{j}", nombre=f"NAC{k:02d}{j} {LARGO}",
                                                      formula="PEA asalariada / PEA total", fuente="MTPE / ENAHO",
                                                      linea_base="42,7%", tendencia="45%")
            mm.MetaIndicadorNacional.objects.create(indicador=ind, anio=2021, valor="60%")
            grupos[f"OBJ{k:02d}"].append(f"NAC{k:02d}{j}")
    client.force_login(usuario_planificador)
    paginas = _paginas(client.get(reverse("reporte_alineamiento", args=[plan.pk]) + "?formato=pdf"))
    assert len(paginas) >= 4
    assert _grupos_en_una_pagina(paginas, grupos) == {}
