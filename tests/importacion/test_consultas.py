"""Issue 7, item 7: importing costs a bounded number of queries per batch, not per row.

Reading and validating make the same number of queries for 600 rows as for 1,200; writing
makes one INSERT per batch (Meta.batch_size rows, split further only where the database
limits the parameters of one statement, as SQLite does) and a savepoint around each batch."""
import math

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matrices.models import Indicador
from seguimiento.models import ValorIndicador
from seguimiento.resources import ValorIndicadorResource
from tests.importacion.helpers import importar, libro

pytestmark = pytest.mark.django_db

VALORES = ["Plan", "Entidad", "Indicador (orden)", "Periodo", "Valor", "Enlace del medio de verificación", "Comentario",
           "Motivo del cambio"]


@pytest.fixture
def muchos_indicadores(plan, drtpe_puno):
    producto = plan.productos.get()
    Indicador.objects.bulk_create([Indicador(plan=plan, entidad=drtpe_puno, orden=i, producto=producto, nombre=f"Indicador {i}")
                                   for i in range(2, 401)])


def valores(plan, n):
    return libro({"Valores de indicadores": [VALORES, *[[plan.codigo, "drtpe-puno", 1 + i // 4, f"T{i % 4 + 1} 2015", i, "", "", ""]
                                                        for i in range(n)]]})


def inserts_por_lote(n: int) -> int:
    """How many INSERT statements Django makes for n values on this database."""
    fields = [f for f in ValorIndicador._meta.concrete_fields if not f.primary_key]
    por_sentencia = min(ValorIndicadorResource._meta.batch_size, connection.ops.bulk_batch_size(fields, [None] * n) or n)
    lotes = math.ceil(n / ValorIndicadorResource._meta.batch_size)
    return sum(math.ceil(min(ValorIndicadorResource._meta.batch_size, n - b * ValorIndicadorResource._meta.batch_size) / por_sentencia)
               for b in range(lotes))


def contar(usuario, plan, data, aplicar):
    with CaptureQueriesContext(connection) as ctx:
        resultado = importar(usuario, plan, data, aplicar=aplicar)
    sql = [q["sql"] for q in ctx.captured_queries]
    inserts = sum(1 for s in sql if s.startswith("INSERT"))
    savepoints = sum(1 for s in sql if "SAVEPOINT" in s)
    return resultado, inserts, savepoints, len(sql) - inserts - savepoints


@pytest.mark.parametrize("n", [600, 1200])
def test_importing_values_costs_queries_per_batch_not_per_row(usuario_puno, plan, periodos, muchos_indicadores, n):
    resultado, inserts, savepoints, otras = contar(usuario_puno, plan, valores(plan, n), aplicar=True)
    assert resultado.aplicado and resultado.contar("nueva") == n
    lotes = math.ceil(n / ValorIndicadorResource._meta.batch_size)
    assert inserts == inserts_por_lote(n)
    assert savepoints <= 2 * (lotes + 4)  # the import, its sheet, before/after hooks, and one per batch
    # Reading and validating: permission check, references, existing rows, sequence reset... the same for any size.
    assert otras == OTRAS_CONSULTAS[connection.vendor]


@pytest.mark.parametrize("n", [600, 1200])
def test_previewing_an_unchanged_file_costs_the_same_queries_at_any_size(usuario_puno, plan, periodos, muchos_indicadores, n):
    data = valores(plan, n)
    importar(usuario_puno, plan, data, aplicar=True)
    resultado, inserts, savepoints, otras = contar(usuario_puno, plan, data, aplicar=False)
    assert resultado.contar("sin_cambios") == n
    assert inserts == 0 and otras + savepoints == SIN_CAMBIOS[connection.vendor]


# The same at both sizes, which is the point: the user's roles, the entity's participation in the
# plan, its indicators, the plan's periods, the values broken into parts, the existing values
# (and on PostgreSQL the id sequence reset after inserting); plus savepoints for the unchanged case.
OTRAS_CONSULTAS = {"sqlite": 6, "postgresql": 7}
SIN_CAMBIOS = {"sqlite": 16, "postgresql": 16}
