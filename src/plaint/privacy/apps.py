from django.apps import AppConfig

from plaint.core.events import HousekeepingDue, subscribe


class PrivacyConfig(AppConfig):
    name = "plaint.privacy"
    label = "privacy"
    verbose_name = "Personal data"

    def ready(self) -> None:
        from plaint.privacy.services.retention import retention_housekeeping

        subscribe(HousekeepingDue, retention_housekeeping)
