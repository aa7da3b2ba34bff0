from django.apps import AppConfig


class AmcConfig(AppConfig):
    name = "amc"
    verbose_name = "AMC"

    def ready(self):
        from django.core.checks import Tags, register, registry
        from django.core.checks.security.base import check_sts_preload

        from amc.checks import hsts_preload

        # HSTS preload is opt-in here (settings.SECURE_HSTS_PRELOAD): Django's W021, which asks
        # for it on every deployment, is replaced by amc.checks.hsts_preload.
        registry.registry.deployment_checks.discard(check_sts_preload)
        register(hsts_preload, Tags.security, deploy=True)
