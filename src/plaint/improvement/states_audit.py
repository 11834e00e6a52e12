"""The internal-audit lifecycle as data (ISO 10002:2018 8.5; ISO 19011 for how audits are run):
an audit is planned by a manager, started and recorded by its auditors, reported, and closed by a
manager once every nonconformity has its corrective action; a planned audit may be cancelled."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    REPORTED = "reported", _("Reported")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class AuditStep(models.TextChoices):
    START = "start", _("Start the audit")
    REPORT = "report", _("Issue the report")
    CLOSE = "close", _("Close the audit")
    CANCEL = "cancel", _("Cancel the audit")


class FindingKind(models.TextChoices):
    CONFORMITY = "conformity", _("Conformity")
    OBSERVATION = "observation", _("Observation")
    NONCONFORMITY = "nonconformity", _("Nonconformity")


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")
    NOT_APPLICABLE = "na", _("Not applicable")


AUDITOR = "auditor"  # the audit's lead auditor or a co-auditor
PLANNER = "planner"  # managers and admins

RECORDING = frozenset(
    {AuditState.IN_PROGRESS}
)  # answers and findings are recorded while in progress


@dataclass(frozen=True)
class AuditTransition:
    step: AuditStep
    sources: frozenset[AuditState]
    target: AuditState
    actors: frozenset[str]


AUDIT_TRANSITIONS: dict[AuditStep, AuditTransition] = {
    t.step: t
    for t in [
        AuditTransition(
            AuditStep.START,
            frozenset({AuditState.PLANNED}),
            AuditState.IN_PROGRESS,
            frozenset({AUDITOR}),
        ),
        AuditTransition(
            AuditStep.REPORT,
            frozenset({AuditState.IN_PROGRESS}),
            AuditState.REPORTED,
            frozenset({AUDITOR}),
        ),
        AuditTransition(
            AuditStep.CLOSE,
            frozenset({AuditState.REPORTED}),
            AuditState.CLOSED,
            frozenset({PLANNER}),
        ),
        AuditTransition(
            AuditStep.CANCEL,
            frozenset({AuditState.PLANNED, AuditState.IN_PROGRESS}),
            AuditState.CANCELLED,
            frozenset({PLANNER}),
        ),
    ]
}

AUDIT_EVENT_LABELS = {
    "planned": _("Audit planned"),
    "answered": _("Checklist question answered"),
    "finding_recorded": _("Finding recorded"),
    "corrective_action_opened": _("Corrective action opened from a finding"),
}


def audit_event_label(action: str) -> str:
    if action in AuditStep.values:
        return str(AuditStep(action).label)
    return str(AUDIT_EVENT_LABELS.get(action, action))


def audit_allowed_steps(state: str, actor_kinds: set[str]) -> list[AuditStep]:
    """The steps an actor of ``actor_kinds`` may take on an audit in ``state``."""
    return [
        t.step for t in AUDIT_TRANSITIONS.values() if state in t.sources and t.actors & actor_kinds
    ]
