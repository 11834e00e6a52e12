"""What the disputes app does when lower apps publish events (docs/architecture.md), and its
periodic duties."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from plaint.complaints.events import DisputeOutcomeRecorded
from plaint.core.duties import register_duty
from plaint.disputes.services.cases import dispute_from_case_outcome
from plaint.disputes.services.overdue import obligations_overdue_sweep


def on_dispute_outcome_recorded(event: DisputeOutcomeRecorded) -> None:
    dispute_from_case_outcome(complaint_id=event.complaint.pk)


def register_duties() -> None:
    register_duty(
        "disputes.obligations_overdue",
        obligations_overdue_sweep,
        label=_("Dispute outcomes: alerts of overdue obligations"),
    )
