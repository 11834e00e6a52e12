"""Reminders and overdue alerts of corrective actions, and the scheduled effectiveness checks:
the periodic sweep asks ``corrective_sweep_due`` what is due and calls one service per item.
Mails go through the outbox in the item's transaction; each item is marked so a second sweep does
nothing again."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from plaint.accounts.models import User
from plaint.core.actors import Actor
from plaint.core.errors import PlaintError
from plaint.improvement.models import CorrectiveAction, PlannedAction
from plaint.improvement.selectors_corrective import corrective_sweep_due
from plaint.improvement.services.common import CA_CASE_TYPE, audit, mail_person
from plaint.improvement.services.corrective import corrective_action_check_run

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
    audit(
        CA_CASE_TYPE,
        ca.pk,
        SWEEP,
        "action_overdue",
        {"action": action.pk, "due_on": action.due_on.isoformat()},
    )
    return True


def _check(ca_id: int) -> bool:
    try:
        corrective_action_check_run(actor=SWEEP, ca_id=ca_id)
    except PlaintError as exc:  # e.g. its survey was deleted: the owner runs it by hand
        log.warning("effectiveness check of CA-%s not run: %s", ca_id, exc.message)
        return False
    return True


def corrective_sweep() -> dict[str, int]:
    """One pass: reminders, overdue alerts, due checks. Returns how many of each were done."""
    work = corrective_sweep_due(today=timezone.now().date())
    return {
        "reminded": sum(planned_action_remind(action_id=pk) for pk in work.remind),
        "overdue": sum(planned_action_overdue_alert(action_id=pk) for pk in work.overdue),
        "checked": sum(_check(pk) for pk in work.checks),
    }
