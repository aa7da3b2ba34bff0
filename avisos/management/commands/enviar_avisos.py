"""The scheduled job of the notices: run it from cron (README, «Avisos y pendientes»)."""
from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError

from avisos import services


class Command(BaseCommand):
    help = ("Crea los avisos de periodos abiertos y de plazos por vencer, y envía por correo los avisos pendientes "
            "(también los de devoluciones, envíos y aprobaciones). Ejecutarlo de nuevo no repite ningún aviso ni correo.")

    def add_arguments(self, parser):
        parser.add_argument("--fecha", help="La fecha de hoy, AAAA-MM-DD (para pruebas; por defecto, hoy en Lima).")
        parser.add_argument("--sin-correo", action="store_true", help="Solo crea los avisos; no envía correos.")

    def handle(self, *args, fecha=None, sin_correo=False, **options):
        try:
            hoy = datetime.date.fromisoformat(fecha) if fecha else None
        except ValueError:
            raise CommandError(f"Fecha no válida: «{fecha}». Escríbala como AAAA-MM-DD.") from None
        nuevos = services.avisos_programados(hoy=hoy)
        self.stdout.write(f"Avisos nuevos: {nuevos.abiertos} de periodo abierto, {nuevos.plazos} de plazo por vencer.")
        if sin_correo:
            return
        envio = services.correos_enviar()
        self.stdout.write(f"Correos enviados: {envio.enviados}.")
        if envio.fallidos:
            raise CommandError(f"{envio.fallidos} correo(s) no se pudieron enviar: quedan pendientes para la próxima ejecución.")
