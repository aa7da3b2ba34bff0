from django.apps import AppConfig


class AmcConfig(AppConfig):
    name = "amc"
    verbose_name = "AMC"

    def ready(self):
        from django.db.models.signals import post_migrate

        from amc.auditoria import proteger_historial

        # After every migrate (the last app's signal is enough, but each is harmless).
        post_migrate.connect(proteger_historial, dispatch_uid="amc_proteger_historial")
