from django.apps import AppConfig


class AmcConfig(AppConfig):
    name = "amc"
    verbose_name = "AMC"
