"""Load the reference data and the 2015 MTPE / DRTPE Puno plan (and, with --demo, the
demonstration users and data). Loading twice changes nothing: fixtures use natural keys."""
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


def seed_fixture_paths(demo: bool = False) -> list[Path]:
    """The fixture files in load order: reference data, the indicator catalogue (the seed's
    indicators link to it), the plan's files by name, demo."""
    paths = [FIXTURES / "referencia.json", FIXTURES / "catalogo_indicadores.json"]
    paths += sorted((FIXTURES / "plan_mtpe_puno_2015").glob("*.json"))
    if demo:
        paths += sorted((FIXTURES / "demo").glob("*.json"))
    return paths


class Command(BaseCommand):
    help = "Carga los datos de referencia y el plan 2015 MTPE / DRTPE Puno (con --demo, los datos de demostración)."

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true", help="Carga también usuarios y datos de demostración.")

    def handle(self, *args, demo=False, **options):
        paths = seed_fixture_paths(demo)
        with transaction.atomic():
            call_command("loaddata", *[str(p) for p in paths], verbosity=0)
        if options["verbosity"]:
                self.stdout.write(f"Cargados {len(paths)} archivos de datos" + (" (con demostración)." if demo else "."))
