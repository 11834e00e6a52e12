from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "plaint.privacy"
    label = "privacy"
    verbose_name = "Personal data"

    def ready(self) -> None:
        # The services import the models: only once the app registry is ready.
        from plaint.privacy.services import retention

        retention.register_duties()
