from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "plaint.core"
    label = "core"
    verbose_name = "Plaint core"
