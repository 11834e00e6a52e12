"""What the disputes app does when lower apps publish events (docs/architecture.md)."""

from __future__ import annotations

from plaint.complaints.events import DisputeOutcomeRecorded
from plaint.disputes.services.cases import dispute_from_case_outcome


def on_dispute_outcome_recorded(event: DisputeOutcomeRecorded) -> None:
    dispute_from_case_outcome(complaint_id=event.complaint.pk)
