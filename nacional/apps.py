from django.apps import AppConfig


class NacionalConfig(AppConfig):
    """The national view (regions compared on the indicator catalogue) and the trends of a
    catalogue indicator over years and plans (issue 12). Top layer: it reads every app below."""

    name = "nacional"
    verbose_name = "Vista nacional"
