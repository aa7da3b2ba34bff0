from django.core.management.base import BaseCommand

from amc.exportaciones import limpiar


class Command(BaseCommand):
    help = "Borra las exportaciones (y sus archivos) de más de N días (AMC_EXPORTACIONES_DIAS, 7 por defecto)."

    def add_arguments(self, parser):
        parser.add_argument("--dias", type=int, default=None, help="Antigüedad máxima en días.")

    def handle(self, *args, dias=None, **options):
        n = limpiar(dias=dias)
        self.stdout.write(f"{n} exportaciones borradas.")
