from django.apps import AppConfig

from plaint.core.events import HousekeepingDue, subscribe


class ImprovementConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "plaint.improvement"
    verbose_name = "Improvement"

    def ready(self) -> None:
        from plaint.improvement import handlers

        subscribe(HousekeepingDue, handlers.on_housekeeping_due)
