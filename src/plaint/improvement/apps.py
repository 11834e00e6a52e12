from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "plaint.improvement"
    verbose_name = "Improvement"

    def ready(self) -> None:
        # Here, not at the top: the handlers import models, which exist once the apps are ready.
        from plaint.complaints.events import CasePageComposing
        from plaint.core.events import HousekeepingDue, subscribe
        from plaint.improvement.handlers import on_case_page_composing, on_housekeeping_due

        subscribe(HousekeepingDue, on_housekeeping_due)
        subscribe(CasePageComposing, on_case_page_composing)
