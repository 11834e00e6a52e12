from django.apps import AppConfig

from plaint.complaints.events import CasePageComposing
from plaint.core.events import HousekeepingDue, subscribe


class ImprovementConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "plaint.improvement"
    verbose_name = "Improvement"

    def ready(self) -> None:
        # Here, not at the top: the handlers import models, which exist once the apps are ready.
        from plaint.improvement import handlers

        # Four duties, each on its own (publish_isolated): one failing stops not the others.
        subscribe(HousekeepingDue, handlers.on_housekeeping_due)
        subscribe(HousekeepingDue, handlers.on_housekeeping_due_analysis)
        subscribe(HousekeepingDue, handlers.on_housekeeping_due_corrective)
        subscribe(HousekeepingDue, handlers.on_housekeeping_due_review)
        subscribe(CasePageComposing, handlers.on_case_page_composing)
