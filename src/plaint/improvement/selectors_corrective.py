"""Reads of objectives and corrective actions: lists, the workspace, what the sweep must do."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from plaint.accounts.access import Reader, can_read_insights
from plaint.core.errors import NotFound, PlaintError
from plaint.core.models import AuditEvent
from plaint.improvement import indicators
from plaint.improvement.models import CorrectiveAction, Objective, PlannedAction
from plaint.improvement.states import OPEN_STATES, State

REMIND_DAYS_BEFORE = 3  # an action's owner is reminded this many days before it is due
LIST_LIMIT = 200


def _require(actor: Reader) -> None:
    if not can_read_insights(actor):
        raise NotFound(_("Not found."))


@dataclass
class ObjectiveRow:
    objective: Objective
    description: str
    reading: indicators.Reading
    met: bool | None


def objective_list(
    *,
    actor: Reader,
    active_only: bool = False,
    overlapping: tuple[dt.date, dt.date] | None = None,
) -> list[ObjectiveRow]:
    """Every objective (or those whose period overlaps ``overlapping``, first and last month)
    with its actual value over its period, its interval and whether it meets the target (None
    without data)."""
    _require(actor)
    qs = Objective.objects.select_related("owner")
    if active_only:
        qs = qs.filter(active=True)
    if overlapping is not None:
        qs = qs.filter(period_end__gte=overlapping[0], period_start__lte=overlapping[1])
    rows = []
    for o in qs[:LIST_LIMIT]:
        try:
            reading = indicators.indicator_value(
                spec=o.indicator, start=o.period_start, end=o.period_end
            )
        except PlaintError:  # its survey or category is gone: shown without a value
            reading = indicators.Reading(None, None, None, 0, indicators.unit_of(o.indicator))
        rows.append(
            ObjectiveRow(
                o,
                indicators.describe(o.indicator),
                reading,
                indicators.meets(reading.value, o.comparison, o.target),
            )
        )
    return rows


def objective_get(*, actor: Reader, objective_id: int) -> Objective:
    _require(actor)
    objective = Objective.objects.select_related("owner").filter(pk=objective_id).first()
    if objective is None:
        raise NotFound(_("No such objective."))
    return objective


def corrective_action_list(
    *, actor: Reader, state: str = "", open_only: bool = False
) -> QuerySet[CorrectiveAction]:
    """The newest corrective actions first (at most 200), with their owner and the count of
    open actions of the round."""
    _require(actor)
    qs = CorrectiveAction.objects.select_related("owner").annotate(
        open_actions=Count(
            "actions", filter=Q(actions__done_at__isnull=True, actions__round=F("round"))
        )
    )
    if state:
        qs = qs.filter(state=state)
    elif open_only:
        qs = qs.filter(state__in=OPEN_STATES)
    return qs.order_by("-id")[:LIST_LIMIT]


def corrective_action_get(*, actor: Reader, ca_id: int) -> CorrectiveAction:
    """One corrective action with its actions (every round), owners and complaints."""
    _require(actor)
    ca = (
        CorrectiveAction.objects.select_related("owner")
        .prefetch_related(
            Prefetch("actions", queryset=PlannedAction.objects.select_related("owner")),
            "complaints",
        )
        .filter(pk=ca_id)
        .first()
    )
    if ca is None:
        raise NotFound(_("No such corrective action."))
    return ca


def corrective_action_timeline(ca: CorrectiveAction) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(case_type="corrective_action", case_id=ca.pk).order_by("seq")
    )


@dataclass
class SweepWork:
    remind: list[int]  # planned actions due soon, not reminded
    overdue: list[int]  # planned actions past due, not alerted
    checks: list[int]  # corrective actions whose check is due
    check_remind: list[int]  # corrective actions whose check is due soon, not told
    check_overdue: list[int]  # corrective actions whose check is past its day, not alerted


def corrective_sweep_due(*, today: dt.date) -> SweepWork:
    """What the periodic sweep must do today; each list bounded, oldest first."""
    planning = Q(
        corrective_action__state__in=[State.OPEN, State.CONTAINED, State.CAUSE_FOUND, State.ACTING]
    )
    open_actions = PlannedAction.objects.filter(planning, done_at__isnull=True)
    remind = open_actions.filter(
        reminded_at__isnull=True,
        due_on__lte=today + dt.timedelta(days=REMIND_DAYS_BEFORE),
        due_on__gte=today,
    )
    overdue = open_actions.filter(overdue_alerted_at__isnull=True, due_on__lt=today)
    awaiting = CorrectiveAction.objects.filter(state=State.AWAITING_CHECK)
    checks = awaiting.filter(check_due_on__lte=today)
    check_remind = awaiting.filter(
        check_reminded_at__isnull=True,
        check_due_on__lte=today + dt.timedelta(days=REMIND_DAYS_BEFORE),
    )
    check_overdue = awaiting.filter(check_overdue_alerted_at__isnull=True, check_due_on__lt=today)
    return SweepWork(
        remind=list(remind.order_by("due_on", "id").values_list("id", flat=True)[:500]),
        overdue=list(overdue.order_by("due_on", "id").values_list("id", flat=True)[:500]),
        checks=list(checks.order_by("check_due_on", "id").values_list("id", flat=True)[:100]),
        check_remind=_ids(check_remind),
        check_overdue=_ids(check_overdue),
    )


def _ids(qs: QuerySet[CorrectiveAction]) -> list[int]:
    return list(qs.order_by("check_due_on", "id").values_list("id", flat=True)[:100])


def corrective_actions_from(
    *, actor: Reader, source: str, source_ref: str
) -> list[CorrectiveAction]:
    """The corrective actions opened from one source record (e.g. ``dispute``, ``D-12``), oldest
    first; none for someone who may not read corrective actions (one statement)."""
    if not can_read_insights(actor):
        return []
    return list(
        CorrectiveAction.objects.filter(source=source, source_ref=source_ref).order_by("pk")[:50]
    )
