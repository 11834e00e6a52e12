from django.apps import AppConfig


class PromisesConfig(AppConfig):
    name = "plaint.promises"
    label = "promises"
    verbose_name = "Promises"

    def ready(self) -> None:
        from plaint.promises.handlers import subscribe_all  # models must be loaded first

        subscribe_all()
