"""How notifications reacts to what happens below it (``plaint.core.events``): a case assigned, a
complainant writing, promises at risk, the worker's housekeeping (new cases).
Subscribed in ``NotificationsConfig.ready()``; each handler calls one service."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from plaint.complaints.events import ComplainantWrote, ComplaintAssigned, ComplaintsAssignedInBulk
from plaint.core.duties import register_duty
from plaint.core.events import subscribe
from plaint.notifications.services import (
    assignment_tell,
    at_risk_tell,
    bulk_assignment_tell,
    complainant_wrote_tell,
    new_cases_notify,
    notifications_prune,
)
from plaint.promises.events import PromisesAtRisk


def on_complaint_assigned(event: ComplaintAssigned) -> None:
    assignment_tell(
        complaint=event.complaint,
        assignee_id=event.assignee_id,
        actor_id=event.actor_id,
        mail=not event.in_bulk,
    )


def on_complaints_assigned_in_bulk(event: ComplaintsAssignedInBulk) -> None:
    bulk_assignment_tell(
        complaints=event.complaints, assignee_id=event.assignee_id, actor_id=event.actor_id
    )


def on_complainant_wrote(event: ComplainantWrote) -> None:
    complainant_wrote_tell(complaint=event.complaint)


def on_promises_at_risk(event: PromisesAtRisk) -> None:
    told = at_risk_tell(
        cases=[(case.complaint_id, case.reference, case.assignee_id) for case in event.cases]
    )
    event.told.update(told)


def register_duties() -> None:
    register_duty("notifications.new_cases", new_cases_notify, label=_("Tell staff of new cases"))
    register_duty(
        "notifications.prune", notifications_prune, label=_("Forget old read notifications")
    )


def subscribe_all() -> None:
    subscribe(ComplaintAssigned, on_complaint_assigned)
    subscribe(ComplaintsAssignedInBulk, on_complaints_assigned_in_bulk)
    subscribe(ComplainantWrote, on_complainant_wrote)
    subscribe(PromisesAtRisk, on_promises_at_risk)
    register_duties()
