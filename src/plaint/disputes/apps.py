from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from plaint.complaints.events import (
    CaseAttachmentsListing,
    CaseMailComposing,
    CasePageComposing,
    CasePageReading,
    DisputeOutcomeRecorded,
    TrackingPageComposing,
)
from plaint.core.events import subscribe


class DisputesConfig(AppConfig):
    name = "plaint.disputes"
    label = "disputes"
    verbose_name = _("External dispute resolution")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Here, not at the top: the handlers import the services and so the models.
        from plaint.disputes import handlers

        subscribe(DisputeOutcomeRecorded, handlers.on_dispute_outcome_recorded)
        subscribe(TrackingPageComposing, handlers.on_tracking_page_composing)
        subscribe(CaseMailComposing, handlers.on_case_mail_composing)
        subscribe(CasePageReading, handlers.on_case_page_reading)
        subscribe(CasePageComposing, handlers.on_case_page_composing)
        subscribe(CaseAttachmentsListing, handlers.on_case_attachments_listing)
        handlers.register_duties()
