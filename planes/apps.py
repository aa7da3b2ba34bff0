from django.apps import AppConfig


class PlanesConfig(AppConfig):
    name = "planes"
    verbose_name = "Planes y entidades"

    def ready(self):
        from django.db.models.signals import post_migrate

        from planes.roles import sync_groups

        post_migrate.connect(sync_groups, sender=self)
