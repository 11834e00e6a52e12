"""How webhooks reacts to what happens below it (``plaint.core.events``): each case event becomes
outbox rows for the webhooks that want it; the worker's pass delivers them (``OutboxDue``).
Subscribed in ``WebhooksConfig.ready()``. The bodies carry no complainant's personal data."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.utils import timezone

from plaint.complaints.events import ComplaintChanged, ComplaintClosed, ComplaintReceived
from plaint.complaints.models import Complaint
from plaint.core.events import OutboxDue, subscribe
from plaint.promises.events import BreachedCheck, PromisesBreached
from plaint.surveys.events import ResponseRecorded
from plaint.surveys.models import ResponseSource
from plaint.webhooks.models import EventName, WebhookDelivery
from plaint.webhooks.services import (
    webhook_deliver_due,
    webhook_deliveries_build,
    webhook_deliveries_write,
)


def complaint_data(complaint: Complaint) -> dict[str, Any]:
    """What every complaint event says of its case: codes, times, no personal data."""
    return {
        "reference": complaint.reference,
        "state": complaint.state,
        "channel": complaint.channel,
        "category": complaint.category.code if complaint.category else None,
        "product": complaint.product,
        "segment": complaint.segment,
        "severity": complaint.severity,
        "priority": complaint.priority,
        "safety_issue": complaint.safety_issue,
        "received_at": complaint.received_at,
        "acknowledgement_due_at": complaint.acknowledgement_due_at,
        "response_due_at": complaint.response_due_at,
        "closed_at": complaint.closed_at,
        "closure_reason": complaint.closure_reason,
    }


def on_complaint_received(event: ComplaintReceived) -> None:
    webhook_deliveries_write(
        webhook_deliveries_build(
            event=EventName.COMPLAINT_CREATED,
            occurred_at=event.now,
            data=lambda: complaint_data(event.complaint),
            token=event.config_token,
        )
    )


def on_complaint_changed(event: ComplaintChanged) -> None:
    if event.complaint.state == event.before_state:
        return  # an edit or a note: no step done
    webhook_deliveries_write(
        webhook_deliveries_build(
            event=EventName.COMPLAINT_STEP_DONE,
            occurred_at=event.now,
            data=lambda: {
                **complaint_data(event.complaint),
                "step": event.step,
                "from_state": event.before_state,
            },
        )
    )


def on_complaint_closed(event: ComplaintClosed) -> None:
    webhook_deliveries_write(
        webhook_deliveries_build(
            event=EventName.COMPLAINT_CLOSED,
            occurred_at=event.complaint.closed_at or timezone.now(),
            data=lambda: complaint_data(event.complaint),
        )
    )


def _breach_data(check: BreachedCheck) -> dict[str, Any]:
    return {
        "reference": check.reference,
        "promise": check.promise,
        "due_at": check.due_at,
        "check_id": check.check_id,
    }


def on_promises_breached(event: PromisesBreached) -> None:
    now = timezone.now()
    rows: list[WebhookDelivery] = []
    for check in event.checks:
        rows += webhook_deliveries_build(
            event=EventName.PROMISE_BREACHED,
            occurred_at=now,
            data=partial(_breach_data, check),
        )
    webhook_deliveries_write(rows)


def on_response_recorded(event: ResponseRecorded) -> None:
    response = event.response
    if response.source != ResponseSource.WEB:
        return  # an imported history is not news to tell other systems, row by row
    webhook_deliveries_write(
        webhook_deliveries_build(
            event=EventName.SURVEY_ANSWERED,
            occurred_at=response.submitted_at or timezone.now(),
            data=lambda: {
                "response_id": response.pk,
                "survey": response.survey.key,
                "survey_version": response.survey.version,
                "complaint": response.complaint.reference if response.complaint else None,
                "language": response.language,
                "channel": response.channel,
                "submitted_at": response.submitted_at,
            },
        )
    )


def on_outbox_due(event: OutboxDue) -> None:
    event.tried += webhook_deliver_due(limit=event.limit)


def subscribe_all() -> None:
    subscribe(ComplaintReceived, on_complaint_received)
    subscribe(ComplaintChanged, on_complaint_changed)
    subscribe(ComplaintClosed, on_complaint_closed)
    subscribe(PromisesBreached, on_promises_breached)
    subscribe(ResponseRecorded, on_response_recorded)
    subscribe(OutboxDue, on_outbox_due)
