"""Reminders and overdue alerts of corrective actions, and the scheduled effectiveness checks:
the periodic sweep asks ``corrective_sweep_due`` what is due and calls one service per item.
Mails go through the outbox and in-app notifications are written in the item's transaction; each
item is marked so a second sweep (or a second worker) does nothing again.

Who is told in the app: the action's owner (for an action), the corrective action's owner and the
manager who opened it — "the owner and a manager", once each."""

from __future__ import annotations

import logging

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from plaint.accounts.models import User
from plaint.core.actors import Actor
from plaint.core.errors import PlaintError
from plaint.core.models import AuditEvent
from plaint.improvement.models import CorrectiveAction, PlannedAction
from plaint.improvement.selectors_corrective import corrective_sweep_due
from plaint.improvement.services.common import CA_CASE_TYPE, audit, mail_person
from plaint.improvement.services.corrective import corrective_action_check_run
from plaint.improvement.states import State
from plaint.notifications.models import Kind
from plaint.notifications.services import SubjectTell, subject_notifications_send

log = logging.getLogger(__name__)
SWEEP = Actor.system("corrective-action sweep")


def _locked(action_id: int) -> tuple[CorrectiveAction, PlannedAction] | None:
    ca_id = (
        PlannedAction.objects.filter(pk=action_id)
        .values_list("corrective_action_id", flat=True)
        .first()
    )
    if ca_id is None:
        return None
    ca = CorrectiveAction.objects.select_for_update().get(pk=ca_id)
    action = PlannedAction.objects.select_for_update().select_related("owner").get(pk=action_id)
    return ca, action


def _tell(kind: Kind, ca: CorrectiveAction, action: PlannedAction | None = None) -> int:
    """In the app: the action's owner, the corrective action's owner and its opener."""
    opener = (
        AuditEvent.objects.filter(case_type=CA_CASE_TYPE, case_id=ca.pk, action="opened")
        .values_list("actor_id", flat=True)
        .first()
    )
    ids = [action.owner_id if action else None, ca.owner_id, opener]
    people = User.objects.in_bulk([pk for pk in ids if pk is not None])
    path = reverse("improvement:corrective_detail", kwargs={"ca_id": ca.pk})
    return subject_notifications_send(
        kind=kind,
        tells=[
            SubjectTell(people[pk], CA_CASE_TYPE, ca.pk, ca.reference, ca.title, path)
            for pk in ids
            if pk in people
        ],
    )


@transaction.atomic
def planned_action_remind(*, action_id: int) -> bool:
    """Remind the owner of an action due soon, once. True when a reminder was recorded."""
    found = _locked(action_id)
    if found is None:
        return False
    ca, action = found
    if action.reminded_at is not None or action.done_at is not None:
        return False
    action.reminded_at = timezone.now()
    action.save(update_fields=["reminded_at"])
    mail_person(action.owner, "reminder", ca, action)
    _tell(Kind.CA_ACTION_DUE, ca, action)
    audit(CA_CASE_TYPE, ca.pk, SWEEP, "action_reminded", {"action": action.pk})
    return True


@transaction.atomic
def planned_action_overdue_alert(*, action_id: int) -> bool:
    """Tell the owner of an overdue action and the corrective action's owner, once."""
    found = _locked(action_id)
    if found is None:
        return False
    ca, action = found
    if action.overdue_alerted_at is not None or action.done_at is not None:
        return False
    action.overdue_alerted_at = timezone.now()
    action.save(update_fields=["overdue_alerted_at"])
    mail_person(action.owner, "overdue", ca, action)
    if ca.owner_id != action.owner_id:
        mail_person(User.objects.get(pk=ca.owner_id), "overdue", ca, action)
    _tell(Kind.CA_ACTION_OVERDUE, ca, action)
    audit(
        CA_CASE_TYPE,
        ca.pk,
        SWEEP,
        "action_overdue",
        {"action": action.pk, "due_on": action.due_on.isoformat()},
    )
    return True


@transaction.atomic
def corrective_action_check_remind(*, ca_id: int) -> bool:
    """Tell the owner and the manager in the app that the effectiveness check falls due, once
    per round. True when told."""
    ca = CorrectiveAction.objects.select_for_update().filter(pk=ca_id).first()
    if ca is None or ca.state != State.AWAITING_CHECK or ca.check_reminded_at is not None:
        return False
    ca.check_reminded_at = timezone.now()
    ca.save(update_fields=["check_reminded_at"])
    _tell(Kind.CA_CHECK_DUE, ca)
    audit(CA_CASE_TYPE, ca.pk, SWEEP, "check_reminded", {"check_due_on": str(ca.check_due_on)})
    return True


@transaction.atomic
def corrective_action_check_overdue_alert(*, ca_id: int) -> bool:
    """Tell the owner and the manager in the app that the check is past its day and not run (the
    sweep could not run it: a person must), once per round. True when told."""
    ca = CorrectiveAction.objects.select_for_update().filter(pk=ca_id).first()
    if ca is None or ca.state != State.AWAITING_CHECK or ca.check_overdue_alerted_at is not None:
        return False
    ca.check_overdue_alerted_at = timezone.now()
    ca.save(update_fields=["check_overdue_alerted_at"])
    _tell(Kind.CA_CHECK_OVERDUE, ca)
    audit(CA_CASE_TYPE, ca.pk, SWEEP, "check_overdue", {"check_due_on": str(ca.check_due_on)})
    return True


def _check(ca_id: int) -> bool:
    try:
        corrective_action_check_run(actor=SWEEP, ca_id=ca_id)
    except PlaintError as exc:  # e.g. its survey was deleted: the owner runs it by hand
        log.warning("effectiveness check of CA-%s not run: %s", ca_id, exc.message)
        return False
    return True


def corrective_sweep() -> dict[str, int]:
    """One pass: reminders, overdue alerts, due checks (each told before it runs), then the
    checks still not run past their day. Returns how many of each were done."""
    work = corrective_sweep_due(today=timezone.now().date())
    return {
        "reminded": sum(planned_action_remind(action_id=pk) for pk in work.remind),
        "overdue": sum(planned_action_overdue_alert(action_id=pk) for pk in work.overdue),
        "check_reminded": sum(corrective_action_check_remind(ca_id=pk) for pk in work.check_remind),
        "checked": sum(_check(pk) for pk in work.checks),
        # After the checks: one the sweep has just run is no longer overdue (the alert looks).
        "check_overdue": sum(
            corrective_action_check_overdue_alert(ca_id=pk) for pk in work.check_overdue
        ),
    }
