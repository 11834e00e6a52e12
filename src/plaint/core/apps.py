from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "plaint.core"
    label = "core"
    verbose_name = "Plaint core"

    def ready(self) -> None:
        # Imported here: the models these modules use exist only once the app registry is ready.
        from plaint.core.events import HousekeepingDue, subscribe
        from plaint.core.ratelimit import ratelimit_housekeeping

        subscribe(HousekeepingDue, ratelimit_housekeeping)
