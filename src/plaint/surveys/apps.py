from django.apps import AppConfig

from plaint.complaints.events import ComplaintClosed, DisputeOutcomeRecorded
from plaint.core.events import subscribe


class SurveysConfig(AppConfig):
    name = "plaint.surveys"
    label = "surveys"
    verbose_name = "Surveys"

    def ready(self) -> None:
        """Contract C3: a closed complaint or a dispute outcome invites to a survey; a periodic
        duty of the workers sends, reminds and expires."""
        # The handlers import the services and so the models: only once the app registry is ready.
        from plaint.surveys import handlers

        subscribe(ComplaintClosed, handlers.on_complaint_closed)
        subscribe(DisputeOutcomeRecorded, handlers.on_dispute_outcome_recorded)
        handlers.register_duties()
