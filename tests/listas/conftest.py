"""The lists reuse the small plan of the import tests."""
from tests.importacion.conftest import periodos, plan  # noqa: F401  (fixtures)
