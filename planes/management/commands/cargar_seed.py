"""Load the reference data and the 2015 MTPE / DRTPE Puno plan (and, with --demo, the
demonstration users and data). Loading twice changes nothing: fixtures use natural keys."""
import json
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
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


def _check_seed_sin_suscribir(paths: list[Path]) -> None:
    """Loading the fixtures again would write the seed's rows over a signed plan (its structure
    and its state, back to «propuesta»): refused, with the guard's message."""
    from planes.estructura import EstructuraBloqueada, estructura_check
    from planes.models import Plan

    codigos = _codigos(p for p in paths if p.parent.name != "demo")  # demo plans are reset on every load
    for plan in Plan.objects.select_for_update().filter(codigo__in=codigos):
        try:
            estructura_check(plan)
        except EstructuraBloqueada as exc:
            raise CommandError(f"No se vuelve a cargar el plan {plan.codigo}: está {plan.get_estado_display().lower()}. "
                               f"{exc.args[0]}") from exc


def _codigos(paths) -> list[str]:
    return [obj["fields"]["codigo"] for p in paths for obj in json.loads(p.read_text(encoding="utf-8"))
            if obj.get("model") == "planes.plan"]


def _historial_de_suscritos(paths: list[Path]) -> None:
    """A plan loaded signed (the demo plans) gets the history «como se suscribió» reads."""
    from planes.estructura import historial_al_suscribir, sin_historial_al_suscribir
    from planes.models import Plan

    for plan in Plan.objects.filter(codigo__in=_codigos(paths), suscrito_en__isnull=False):
        if sin_historial_al_suscribir(plan):
            historial_al_suscribir(plan, motivo="Estado del plan al suscribirse (cargado de los datos)")


class Command(BaseCommand):
    help = "Carga los datos de referencia y el plan 2015 MTPE / DRTPE Puno (con --demo, los datos de demostración)."

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true", help="Carga también usuarios y datos de demostración.")

    def handle(self, *args, demo=False, **options):
        paths = seed_fixture_paths(demo)
        with transaction.atomic():
            _check_seed_sin_suscribir(paths)
            call_command("loaddata", *[str(p) for p in paths], verbosity=0)
            _historial_de_suscritos(paths)
        if options["verbosity"]:
                self.stdout.write(f"Cargados {len(paths)} archivos de datos" + (" (con demostración)." if demo else "."))
