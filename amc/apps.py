from django.apps import AppConfig


class AmcConfig(AppConfig):
    name = "amc"
    verbose_name = "AMC"

    def ready(self):
        from django.core.checks import Tags, register, registry
        from django.core.checks.security.base import check_sts_preload
        from django.db.models.signals import post_migrate

        from amc.auditoria import proteger_historial
        from amc.checks import hsts_preload
        from amc.versiones import conectar

        conectar()  # the data version (amc.versiones): raised after every change of plan data

        # After every migrate (the last app's signal is enough, but each is harmless).
        post_migrate.connect(proteger_historial, dispatch_uid="amc_proteger_historial")
        # HSTS preload is opt-in here (settings.SECURE_HSTS_PRELOAD): Django's W021, which asks
        # for it on every deployment, is replaced by amc.checks.hsts_preload.
        registry.registry.deployment_checks.discard(check_sts_preload)
        register(hsts_preload, Tags.security, deploy=True)
