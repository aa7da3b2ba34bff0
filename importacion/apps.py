from django.apps import AppConfig


class ImportacionConfig(AppConfig):
    """Excel import (upload, preview, apply) and the filtered lists with their exports. The
    apps register their own sheets and lists (importacion.registro)."""

    name = "importacion"
    verbose_name = "Importación y listas"
