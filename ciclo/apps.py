from django.apps import AppConfig


class CicloConfig(AppConfig):
    name = "ciclo"
    verbose_name = "Ciclo del plan"

    def ready(self):
        from ciclo.estructura import ESTRUCTURA
        from planes import estructura

        # The plan's structure, guarded once signed (planes/estructura.py holds the guard).
        estructura.registrar(*ESTRUCTURA)
