"""What surveys does when a lower app publishes an event (subscribed in ``SurveysConfig.ready``).

Each handler runs in the publisher's transaction and is idempotent: an invitation is created at
most once per case and survey, so an event that repeats (or a second path) never invites twice."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from plaint.complaints.events import ComplaintClosed, DisputeOutcomeRecorded
from plaint.core.duties import register_duty
from plaint.surveys.services import (
    survey_invite_after_complaint,
    survey_invite_after_dispute,
    surveys_process_due,
)


def on_complaint_closed(event: ComplaintClosed) -> None:
    """ISO 10002 8.3: invite the complainant to the complaint-closed survey."""
    survey_invite_after_complaint(complaint=event.complaint)


def on_dispute_outcome_recorded(event: DisputeOutcomeRecorded) -> None:
    """ISO 10003: invite the complainant to the dispute-closed survey (only with an address)."""
    complaint = event.complaint
    complainant = complaint.complainant
    if not complainant.email:
        return
    survey_invite_after_dispute(
        dispute_ref=complaint.reference or "",
        email=complainant.email,
        name=complainant.name,
        language=complainant.language,
    )


def register_duties() -> None:
    """Send due invitations and reminders, expire old links, start due relationship waves."""
    register_duty(
        "surveys.dispatch",
        surveys_process_due,
        label=_("Survey dispatch: invitations, reminders, expired links and waves"),
    )
