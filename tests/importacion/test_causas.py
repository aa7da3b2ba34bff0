"""Causes imported from Excel: created, then updated by key on a second import, unchanged rows reported."""
import pytest

from matrices.models import Causa
from tests import factories as f
from tests.importacion.helpers import CAUSAS, estados, importar, libro

pytestmark = pytest.mark.django_db


def test_preview_writes_nothing_and_apply_creates_the_causes(usuario_puno, plan):
    data = libro({"Causas": [CAUSAS, [plan.codigo, "drtpe-puno", 1, "a", "Poca difusión"],
                             [plan.codigo, "drtpe-puno", 2, "b)", "Falta de personal"]]})
    vista = importar(usuario_puno, plan, data)
    assert vista.errores == [] and estados(vista) == [(2, "nueva"), (3, "nueva")]
    assert not Causa.objects.filter(problema__plan=plan).exists()

    hecho = importar(usuario_puno, plan, data, aplicar=True)
    assert hecho.aplicado
    assert sorted(Causa.objects.filter(problema__plan=plan).values_list("problema__numero", "letra", "texto")) == [
        (1, "a", "Poca difusión"), (2, "b", "Falta de personal")]


def test_reimporting_an_edited_file_updates_instead_of_duplicating(usuario_puno, plan, drtpe_puno):
    f.make_causa(plan.problemas.get(numero=1), drtpe_puno, "a", "Texto viejo")
    data = libro({"Causas": [CAUSAS, [plan.codigo, "drtpe-puno", 1, "a", "Texto nuevo"],
                             [plan.codigo, "drtpe-puno", 1, "c", "Otra"]]})
    hecho = importar(usuario_puno, plan, data, aplicar=True)
    assert estados(hecho) == [(2, "actualiza"), (3, "nueva")]
    assert hecho.filas[0].cambios == [["Texto", "Texto viejo", "Texto nuevo"]]
    assert Causa.objects.filter(problema__plan=plan).count() == 2
    otra_vez = importar(usuario_puno, plan, data)
    assert estados(otra_vez) == [(2, "sin_cambios"), (3, "sin_cambios")]
    assert not otra_vez.aplicable
