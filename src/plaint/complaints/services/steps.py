"""The lifecycle steps from acknowledgement to the complainant's answer (ISO 10002 7.5-7.9)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plaint.accounts.models import Team
from plaint.complaints.models import (
    Category,
    Complaint,
    Message,
    Priority,
    RootCause,
    Severity,
)
from plaint.complaints.services.assignment import announce_assignment
from plaint.complaints.services.base import notify_complainant, staff_user
from plaint.complaints.services.lifecycle import begin, finish, resume
from plaint.complaints.services.mails import REMEDIES, remedy_ids
from plaint.complaints.services.messages import post_message
from plaint.complaints.states import Step
from plaint.core.actors import Actor
from plaint.core.errors import ValidationFailed, choose_one_of


def complaint_acknowledge(
    *, complaint_id: int, actor: Actor, expected_version: int | None = None
) -> Complaint:
    """Acknowledge a complaint logged by staff (ISO 10002 7.5); mails the complainant if possible."""
    with transaction.atomic():
        complaint, before = begin(complaint_id, Step.ACKNOWLEDGE, actor, expected_version)
        complaint = finish(
            complaint, Step.ACKNOWLEDGE, actor, before, {"acknowledged_at": timezone.now()}
        )
        # Like complaint_submit's: rendered by the worker, with a fresh tracking link that is
        # redacted once sent. The link staff gave when they logged the case stays valid too.
        notify_complainant(complaint, "acknowledgement", context_builder="acknowledgement")
        return complaint


def complaint_assess(
    *,
    complaint_id: int,
    actor: Actor,
    severity: str,
    priority: str = Priority.NORMAL,
    category: str | None = None,
    safety_issue: bool = False,
    assignee_id: int | None = None,
    team_id: int | None = None,
    about_process: bool | None = None,
    expected_version: int | None = None,
) -> Complaint:
    """Initial assessment, in scope (ISO 10002 7.6): severity, priority, category, owner."""
    errors: dict[str, list[str]] = {}
    if severity not in Severity.values:
        errors["severity"] = [choose_one_of(Severity.values)]
    if priority not in Priority.values:
        errors["priority"] = [choose_one_of(Priority.values)]
    cat = None
    if category:
        cat = Category.objects.filter(code=category).first()
        if cat is None:
            errors["category"] = [_("Unknown category.")]
    team = None
    if team_id is not None:
        team = Team.objects.filter(pk=team_id).first()
        if team is None:
            errors["team"] = [_("Unknown team.")]
    if errors:
        raise ValidationFailed(_("Please correct the highlighted fields."), fields=errors)
    with transaction.atomic():
        complaint, before = begin(complaint_id, Step.ASSESS, actor, expected_version)
        changes: dict[str, Any] = {
            "severity": severity,
            "priority": priority,
            "safety_issue": bool(safety_issue),
            "assignee": staff_user(assignee_id, "assignee") or complaint.assignee,
            "team": team or complaint.team,
        }
        if cat is not None:
            changes["category"] = cat
        if about_process is not None:
            changes["about_process"] = bool(about_process)
        before_assignee_id = complaint.assignee_id
        complaint = finish(complaint, Step.ASSESS, actor, before, changes)
        announce_assignment(complaint, actor, before_assignee_id)
        return complaint


def complaint_reject_out_of_scope(
    *, complaint_id: int, actor: Actor, reason: str, expected_version: int | None = None
) -> Complaint:
    """Initial assessment, out of scope: ends the case; the reason is sent to the complainant."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(
            _("Say why the complaint is out of scope; the complainant will receive this reason."),
            fields={"reason": [_("This field is required.")]},
        )
    with transaction.atomic():
        complaint, before = begin(complaint_id, Step.REJECT_OUT_OF_SCOPE, actor, expected_version)
        now = timezone.now()
        complaint = finish(
            complaint,
            Step.REJECT_OUT_OF_SCOPE,
            actor,
            before,
            {"out_of_scope_reason": reason, "closed_at": now},
        )
        post_message(complaint, Message.Direction.OUTBOUND, reason, actor)
        notify_complainant(complaint, "out_of_scope", {"reason": reason})
        return complaint


def complaint_start_investigation(
    *, complaint_id: int, actor: Actor, expected_version: int | None = None
) -> Complaint:
    with transaction.atomic():
        complaint, before = begin(complaint_id, Step.START_INVESTIGATION, actor, expected_version)
        changes: dict[str, Any] = {}
        if complaint.assignee_id is None and actor.user is not None:
            changes["assignee"] = actor.user
        return finish(complaint, Step.START_INVESTIGATION, actor, before, changes)


def complaint_record_findings(
    *,
    complaint_id: int,
    actor: Actor,
    findings: str,
    root_cause: str = "",
    cause: str | None = None,
    expected_version: int | None = None,
) -> Complaint:
    """Record what the investigation found (ISO 10002 7.7) and, where known, the root cause: in
    the handler's words (``root_cause``) and as a cause of the taxonomy (``cause``, a code of an
    active cause; None keeps the case's cause, "" clears it)."""
    findings = (findings or "").strip()
    if not findings:
        raise ValidationFailed(
            _("Describe the findings."), fields={"findings": [_("This field is required.")]}
        )
    changes: dict[str, Any] = {"findings": findings, "root_cause": (root_cause or "").strip()}
    if cause:
        if not RootCause.objects.filter(code=cause, active=True).exists():
            raise ValidationFailed(
                _("Choose a cause from the list."), fields={"cause": [_("Unknown cause.")]}
            )
        changes["cause_id"] = cause
    elif cause == "":
        changes["cause_id"] = None
    with transaction.atomic():
        complaint, before = begin(complaint_id, Step.RECORD_FINDINGS, actor, expected_version)
        return finish(
            complaint,
            Step.RECORD_FINDINGS,
            actor,
            before,
            changes,  # the cause's code goes into the audit event's before/after
            audit_extra={"root_cause_recorded": bool(root_cause)},
        )


def complaint_communicate_decision(
    *, complaint_id: int, actor: Actor, expected_version: int | None = None
) -> Complaint:
    """Send the decision to the complainant (ISO 10002 7.9) and start the answer period."""
    with transaction.atomic():
        complaint, before = begin(complaint_id, Step.COMMUNICATE_DECISION, actor, expected_version)
        now = timezone.now()
        complaint = finish(
            complaint,
            Step.COMMUNICATE_DECISION,
            actor,
            before,
            {"decision_at": now, "decided_by": actor.user},
        )
        remedies = list(complaint.remedies.current())  # the latest proposal's, not earlier ones
        post_message(complaint, Message.Direction.OUTBOUND, complaint.decision, actor)
        notify_complainant(
            complaint,
            "decision",
            {"decision": complaint.decision, REMEDIES: remedy_ids(remedies)},
        )
        return complaint


def complaint_accept_decision(
    *, complaint_id: int, actor: Actor, comment: str = "", expected_version: int | None = None
) -> Complaint:
    with transaction.atomic():
        complaint, before = begin(complaint_id, Step.ACCEPT_DECISION, actor, expected_version)
        complaint = finish(
            complaint,
            Step.ACCEPT_DECISION,
            actor,
            before,
            {"complainant_feedback": (comment or "").strip()},
        )
        if comment.strip():
            post_message(complaint, Message.Direction.INBOUND, comment.strip(), actor)
        return complaint


def complaint_decline_decision(
    *, complaint_id: int, actor: Actor, reason: str, expected_version: int | None = None
) -> Complaint:
    """The complainant is not satisfied: the case goes to internal review by another person."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(
            _("Tell us why you are not satisfied, so the review can address it."),
            fields={"reason": [_("This field is required.")]},
        )
    with transaction.atomic():
        complaint, before = begin(complaint_id, Step.DECLINE_DECISION, actor, expected_version)
        changes: dict[str, Any] = {"complainant_feedback": reason}
        if complaint.assignee_id is not None and complaint.assignee_id == complaint.decided_by_id:
            changes["assignee"] = None  # the reviewer must be someone else: back to the queue
        complaint = finish(complaint, Step.DECLINE_DECISION, actor, before, changes)
        post_message(complaint, Message.Direction.INBOUND, reason, actor)
        return complaint


def complaint_request_information(
    *, complaint_id: int, actor: Actor, reason: str, expected_version: int | None = None
) -> Complaint:
    """Ask the complainant for information: the case waits on them, which stops the promise
    clocks that pause while waiting; their answer on the tracking page (or ``resume``) restarts."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(
            _("Say what information you need; the complainant receives this text."),
            fields={"reason": [_("This field is required.")]},
        )
    with transaction.atomic():
        complaint, before = begin(complaint_id, Step.REQUEST_INFORMATION, actor, expected_version)
        periods = [*complaint.paused_periods, [timezone.now().isoformat(), None]]
        complaint = finish(
            complaint,
            Step.REQUEST_INFORMATION,
            actor,
            before,
            {"resume_state": before.value, "paused_periods": periods},
        )
        post_message(complaint, Message.Direction.OUTBOUND, reason, actor)
        notify_complainant(complaint, "message", {"body": reason})
        return complaint


def complaint_resume(
    *, complaint_id: int, actor: Actor, expected_version: int | None = None
) -> Complaint:
    """Staff resume a case that waited on the complainant (e.g. the answer came by phone)."""
    with transaction.atomic():
        complaint, _before = begin(complaint_id, Step.RESUME, actor, expected_version)
        return resume(complaint, actor)


def complaint_reopen(
    *, complaint_id: int, actor: Actor, reason: str, expected_version: int | None = None
) -> Complaint:
    """Handle a closed case again (e.g. the complainant wrote after it closed): back under
    investigation, no longer closed (its closing time and reason are cleared; the audit event
    keeps them), with the reason as an internal note."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(
            _("Say why the case is reopened."), fields={"reason": [_("This field is required.")]}
        )
    with transaction.atomic():
        complaint, before = begin(complaint_id, Step.REOPEN, actor, expected_version)
        closed = {
            "closed_at": _iso(complaint.closed_at),
            "closure_reason": complaint.closure_reason,
        }
        complaint = finish(
            complaint,
            Step.REOPEN,
            actor,
            before,
            {"closed_at": None, "closure_reason": ""},
            audit_extra={"was": closed},
        )
        post_message(complaint, Message.Direction.INTERNAL, reason, actor)
        return complaint


def _iso(moment: dt.datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()
