"""One action on many cases from the queue: assign them to a person, move them to a team, or add
the same internal note to each. Every case goes through the one service for that change, in its
own transaction with its own audit event; a case that cannot change is reported with the reason
and the others still change."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from plaint.accounts.access import can_work_complaints
from plaint.accounts.models import Team, User
from plaint.complaints.events import ComplaintsAssignedInBulk
from plaint.complaints.models import Complaint
from plaint.complaints.services.assignment import assignment_refusal, complaint_assign
from plaint.complaints.services.base import staff_user
from plaint.complaints.services.messages import message_post
from plaint.complaints.visibility import visible_complaints
from plaint.core.actors import Actor
from plaint.core.errors import NotAllowed, PlaintError, ValidationFailed
from plaint.core.events import publish

ASSIGN, TEAM, NOTE = "assign", "team", "note"

# The ticked cases: each reference with the version the confirmation page showed (None: not
# known).
Selection = list[tuple[str, int | None]]


@dataclass(frozen=True)
class BulkChange:
    """What to do to each case: give it to ``assignee`` (None: nobody), move it to ``team``
    (None: no team), or add the note ``body``."""

    action: str
    assignee: User | None = None
    team: Team | None = None
    body: str = ""

    def refusal(self, complaint: Complaint) -> str | None:
        """Why this case would not change (already so, or the assignment rule), else None. The
        confirmation page and the action ask the same question; the service asks again under
        the row lock."""
        if self.action == ASSIGN:
            assignee_id = self.assignee.pk if self.assignee else None
            if complaint.assignee_id == assignee_id:
                if self.assignee is None:
                    return _("Already assigned to nobody.")
                return _("Already assigned to %(name)s.") % {"name": str(self.assignee)}
        elif self.action == TEAM:
            assignee_id = complaint.assignee_id
            if complaint.team_id == (self.team.pk if self.team else None):
                if self.team is None:
                    return _("Already in no team.")
                return _("Already in team %(team)s.") % {"team": self.team.name}
        else:
            return None
        refused = assignment_refusal(complaint, assignee_id=assignee_id)
        return refused.message if refused else None


def bulk_change_build(
    *, action: str, assignee_id: int | None = None, team_id: int | None = None, body: str = ""
) -> BulkChange:
    """The change, its person or team looked up once: an unknown one refuses the whole action."""
    if action == ASSIGN:
        return BulkChange(ASSIGN, assignee=staff_user(assignee_id, "assignee"))
    if action == TEAM:
        team = Team.objects.filter(pk=team_id).first() if team_id is not None else None
        if team_id is not None and team is None:
            raise ValidationFailed(_("Unknown team."), fields={"team": [_("Unknown team.")]})
        return BulkChange(TEAM, team=team)
    if action == NOTE:
        if not body.strip():
            raise ValidationFailed(
                _("Write the note to add."), fields={"body": [_("This field is required.")]}
            )
        return BulkChange(NOTE, body=body)
    raise ValidationFailed(_("Unknown action."))


@dataclass
class BulkOutcome:
    """What happened to each case, by reference: changed, or not changed and why."""

    changed: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


def _apply(
    actor: Actor, change: BulkChange, complaint: Complaint, version: int | None
) -> Complaint | None:
    """Change one case; returns it when it went to a new assignee (to be told once, by mail, of
    all of them)."""
    if change.action == NOTE:
        message_post(complaint_id=complaint.pk, actor=actor, body=change.body, internal=True)
        return None
    assignee = change.assignee if change.action == ASSIGN else complaint.assignee
    team = change.team if change.action == TEAM else complaint.team
    before = complaint.assignee_id
    changed = complaint_assign(
        complaint_id=complaint.pk,
        actor=actor,
        assignee_id=assignee.pk if assignee else None,
        team_id=team.pk if team else None,
        expected_version=version,
        in_bulk=True,
    )
    return changed if changed.assignee_id not in (None, before) else None


def complaints_bulk_change(*, actor: Actor, change: BulkChange, cases: Selection) -> BulkOutcome:
    """Apply ``change`` to each case through its own service (own transaction, own audit event).
    Statements: one read of the cases, then each service's own per case."""
    if actor.kind != "staff" or not can_work_complaints(actor.user):
        raise NotAllowed(_("Your role may not change complaints."))
    # only the cases the actor may read: another team's case is "no such complaint" here too
    readable = visible_complaints(actor.user, Complaint.objects.select_related("assignee", "team"))
    found = readable.in_bulk([reference for reference, _version in cases], field_name="reference")
    outcome = BulkOutcome()
    given: list[Complaint] = []  # cases that went to a new assignee
    for label, version in cases:
        complaint = found.get(label)
        if complaint is None:
            outcome.refused.append((label, _("No such complaint.")))
            continue
        reason = change.refusal(complaint)
        if reason is not None:
            outcome.refused.append((label, reason))
            continue
        try:
            assigned = _apply(actor, change, complaint, version)
        except PlaintError as exc:
            outcome.refused.append((label, exc.message))
        else:
            outcome.changed.append(label)
            if assigned is not None:
                given.append(assigned)
    if given and change.assignee is not None:
        # the assignee's one mail for all the cases (each was told in the app on its own)
        publish(
            ComplaintsAssignedInBulk(
                complaints=tuple(given), assignee_id=change.assignee.pk, actor_id=actor.user_id
            )
        )
    return outcome
