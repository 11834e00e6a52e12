"""Who works on a case: a person and/or a team."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from plaint.accounts.access import can_work_complaints
from plaint.accounts.models import Team
from plaint.complaints.events import ComplaintAssigned
from plaint.complaints.models import Complaint
from plaint.complaints.services.base import audit, lock, staff_user
from plaint.complaints.states import OPEN, State
from plaint.complaints.visibility import restricted_from
from plaint.core.actors import Actor
from plaint.core.errors import (
    Conflict,
    InvalidTransition,
    NotAllowed,
    PlaintError,
    ValidationFailed,
)
from plaint.core.events import publish


def assignment_refusal(complaint: Complaint, *, assignee_id: int | None) -> PlaintError | None:
    """Why ``complaint`` cannot go to ``assignee_id`` (None: to nobody), or None if it can: the
    one statement of the rule, for the service and for the bulk action's confirmation page."""
    if complaint.state not in OPEN:
        return InvalidTransition(_("A finished complaint cannot be reassigned."))
    if (
        complaint.state == State.INTERNAL_REVIEW
        and assignee_id is not None
        and assignee_id == complaint.decided_by_id
    ):
        return NotAllowed(
            _("The internal review must go to someone other than the person who decided.")
        )
    return None


def complaint_assign(
    *,
    complaint_id: int,
    actor: Actor,
    assignee_id: int | None,
    team_id: int | None = None,
    expected_version: int | None = None,
    in_bulk: bool = False,
) -> Complaint:
    """Give an open case to a person and/or a team (``in_bulk``: one of many cases of a bulk
    action, whose assignee is mailed once for all of them by the bulk action)."""
    if actor.kind != "staff" or not can_work_complaints(actor.user):
        raise NotAllowed(_("Your role may not assign complaints."))
    assignee = staff_user(assignee_id, "assignee")
    team = None
    if team_id is not None:
        team = Team.objects.filter(pk=team_id).first()
        if team is None:
            raise ValidationFailed(_("Unknown team."), fields={"team": [_("Unknown team.")]})
    with transaction.atomic():
        complaint = lock(complaint_id)
        if expected_version is not None and complaint.version != expected_version:
            raise Conflict(
                _(
                    "Someone else changed this complaint since you opened it. Reload it and try again."
                )
            )
        refusal = assignment_refusal(complaint, assignee_id=assignee_id)
        if refusal is not None:
            raise refusal
        if assignee is not None and restricted_from(assignee, complaint):
            raise ValidationFailed(
                _("Only a named reader of this restricted category can be given the case."),
                fields={"assignee": [_("Not a reader of this restricted category.")]},
            )
        before = {"assignee_id": complaint.assignee_id, "team_id": complaint.team_id}
        complaint.assignee = assignee
        complaint.team = team
        complaint.version += 1
        complaint.save(update_fields=["assignee", "team", "version", "updated_at"])
        audit(
            complaint,
            actor,
            "assigned",
            {
                "before": before,
                "after": {"assignee_id": complaint.assignee_id, "team_id": complaint.team_id},
            },
        )
        announce_assignment(complaint, actor, before["assignee_id"], in_bulk=in_bulk)
        return complaint


def announce_assignment(
    complaint: Complaint, actor: Actor, before_assignee_id: int | None, *, in_bulk: bool = False
) -> None:
    """Tell the higher apps the case has a new assignee (e.g. notifications tells that person)."""
    if complaint.assignee_id is not None and complaint.assignee_id != before_assignee_id:
        publish(
            ComplaintAssigned(
                complaint=complaint,
                assignee_id=complaint.assignee_id,
                actor_id=actor.user_id,
                in_bulk=in_bulk,
            )
        )
