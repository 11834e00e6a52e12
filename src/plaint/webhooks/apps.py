from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "plaint.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"

    def ready(self) -> None:
        from plaint.webhooks.handlers import subscribe_all  # models must be loaded first

        subscribe_all()
