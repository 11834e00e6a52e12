from django.apps import AppConfig

from plaint.complaints.events import CasePageComposing
from plaint.core.events import subscribe
from plaint.disputes.events import DisputePageComposing


class ImprovementConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "plaint.improvement"
    verbose_name = "Improvement"

    def ready(self) -> None:
        # Here, not at the top: the handlers import models, which exist once the apps are ready.
        from plaint.improvement import handlers

        handlers.register_duties()
        subscribe(CasePageComposing, handlers.on_case_page_composing)
        subscribe(DisputePageComposing, handlers.on_dispute_page_composing)
