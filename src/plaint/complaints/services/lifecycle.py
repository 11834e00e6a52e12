"""Moving a case along ``states.TRANSITIONS``: ``begin`` checks a step, ``finish`` applies it,
audits it and tells the higher apps (``complaints.events``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from plaint.accounts.access import can_work_complaints
from plaint.complaints.events import ComplaintChanged, ComplaintClosed
from plaint.complaints.models import Complaint
from plaint.complaints.services.base import audit, lock
from plaint.complaints.states import COMPLAINANT, STAFF, TRANSITIONS, State, Step
from plaint.core.actors import Actor
from plaint.core.errors import Conflict, InvalidTransition, NotAllowed
from plaint.core.events import publish


def begin(
    complaint_id: int, step: Step, actor: Actor, expected_version: int | None
) -> tuple[Complaint, State]:
    """Lock the case and check the step is allowed for this actor in its current state."""
    transition = TRANSITIONS[step]
    if actor.kind == "staff":
        if STAFF not in transition.actors or not can_work_complaints(actor.user):
            raise NotAllowed(_("Your role may not perform “%(step)s”.") % {"step": step.label})
    elif actor.kind == "complainant":
        if COMPLAINANT not in transition.actors:
            raise NotAllowed(_("Only staff may perform “%(step)s”.") % {"step": step.label})
    elif actor.kind != "system":
        raise NotAllowed(_("Unknown actor."))
    complaint = lock(complaint_id)
    if expected_version is not None and complaint.version != expected_version:
        raise Conflict(
            _("Someone else changed this complaint since you opened it. Reload it and try again."),
            fields={
                "version": [_("Current version is %(version)s.") % {"version": complaint.version}]
            },
        )
    if complaint.state not in transition.sources:
        raise InvalidTransition(
            _("“%(step)s” is not possible while the complaint is “%(state)s”.")
            % {"step": step.label, "state": State(complaint.state).label},
        )
    return complaint, State(complaint.state)


def finish(
    complaint: Complaint,
    step: Step,
    actor: Actor,
    before_state: State,
    changes: dict[str, Any],
    *,
    audit_extra: dict[str, Any] | None = None,
) -> Complaint:
    """Apply the target state and field changes, bump the version, and record the event."""
    target = TRANSITIONS[step].target
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    if target is not None and target != before_state:
        changes["state"] = target
    for name, value in changes.items():
        old = getattr(complaint, name)
        setattr(complaint, name, value)
        if name.endswith("_id") or name in {
            "state",
            "severity",
            "priority",
            "safety_issue",
            "closure_reason",
        }:
            before[name], after[name] = plain(old), plain(value)
        elif isinstance(value, dt.datetime):
            after[name] = value.isoformat()
    complaint.version += 1
    complaint.save(update_fields=[*changes.keys(), "version", "updated_at"])
    audit(complaint, actor, step.value, {"before": before, "after": after, **(audit_extra or {})})
    if target == State.CLOSED and before_state != State.CLOSED:  # close, withdraw: ISO 10002 8.3
        publish(ComplaintClosed(complaint=complaint))
    publish(
        ComplaintChanged(
            complaint=complaint,
            step=step.value,
            before_state=before_state.value,
            now=timezone.now(),
        )
    )
    return complaint


def plain(value: Any) -> Any:
    if hasattr(value, "pk"):
        return value.pk
    return value


def resume(complaint: Complaint, actor: Actor) -> Complaint:
    """Back to the state the case waited from; closes the open waiting period."""
    periods = [list(p) for p in complaint.paused_periods]
    if periods and periods[-1][1] is None:
        periods[-1][1] = timezone.now().isoformat()
    return finish(
        complaint,
        Step.RESUME,
        actor,
        State.WAITING_ON_COMPLAINANT,
        {
            "state": complaint.resume_state or State.ACKNOWLEDGED,
            "resume_state": "",
            "paused_periods": periods,
        },
    )
