from django.apps import AppConfig


class CronogramaConfig(AppConfig):
    name = "cronograma"
    verbose_name = "Cronograma"
