from django.apps import AppConfig


class AvisosConfig(AppConfig):
    name = "avisos"
    verbose_name = "Avisos y pendientes"

    def ready(self):
        from avisos import receivers

        receivers.connect()
