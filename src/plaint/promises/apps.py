from django.apps import AppConfig


class PromisesConfig(AppConfig):
    name = "plaint.promises"
    label = "promises"
    verbose_name = "Promises"
