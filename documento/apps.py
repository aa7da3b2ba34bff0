from django.apps import AppConfig


class DocumentoConfig(AppConfig):
    """The whole plan as one document (page, PDF, workbook): the top layer, composing the
    reports of every other app."""

    name = "documento"
    verbose_name = "Documento del plan"
