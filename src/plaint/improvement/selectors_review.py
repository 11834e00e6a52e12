"""Reads of management reviews: the list, one review with its actions and timeline, what the
reminder sweep must do, and the figures of the pack's sections that no other selector gives
(disputes and their outcomes, corrective actions by state, actions of earlier reviews)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from plaint.accounts.access import Reader, can_read_management_reviews
from plaint.core.errors import NotFound
from plaint.core.models import AuditEvent
from plaint.disputes.selectors_reports import Compliance, dispute_period
from plaint.improvement.models import CorrectiveAction, ManagementReview, ReviewAction
from plaint.improvement.states_review import ACTIONS_OPEN
from plaint.insights.selectors.filters import add_months, utc_start

REVIEW_CASE_TYPE = "management_review"
REMIND_DAYS_BEFORE = 3  # an action's owner is reminded this many days before it is due
LIST_LIMIT = 200


def require_review_reader(actor: Reader) -> None:
    if not can_read_management_reviews(actor):
        raise NotFound(_("Not found."))


def review_list(*, actor: Reader) -> QuerySet[ManagementReview]:
    """The newest periods first (at most 200), with the count of open actions."""
    require_review_reader(actor)
    return (
        ManagementReview.objects.defer("pack", "pack_html")
        .annotate(open_actions=Count("actions", filter=Q(actions__done_at__isnull=True)))
        .order_by("-period_end", "-id")[:LIST_LIMIT]
    )


def review_get(*, actor: Reader, review_id: int) -> ManagementReview:
    """One review with its actions and their owners (one more statement)."""
    require_review_reader(actor)
    review = (
        ManagementReview.objects.select_related("created_by")
        .prefetch_related("actions__owner")
        .filter(pk=review_id)
        .first()
    )
    if review is None:
        raise NotFound(_("No such management review."))
    return review


def review_timeline(review: ManagementReview) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(case_type=REVIEW_CASE_TYPE, case_id=review.pk).order_by("seq")
    )


@dataclass
class ReviewSweepWork:
    remind: list[int]  # review actions due soon, not reminded
    overdue: list[int]  # review actions past due, not alerted


def review_sweep_due(*, today: dt.date) -> ReviewSweepWork:
    """What the periodic sweep must do today for the actions of held reviews; bounded, oldest
    first."""
    open_actions = ReviewAction.objects.filter(
        review__state__in=list(ACTIONS_OPEN), done_at__isnull=True
    )
    remind = open_actions.filter(
        reminded_at__isnull=True,
        due_on__lte=today + dt.timedelta(days=REMIND_DAYS_BEFORE),
        due_on__gte=today,
    )
    overdue = open_actions.filter(overdue_alerted_at__isnull=True, due_on__lt=today)
    return ReviewSweepWork(
        remind=list(remind.order_by("due_on", "id").values_list("id", flat=True)[:500]),
        overdue=list(overdue.order_by("due_on", "id").values_list("id", flat=True)[:500]),
    )


# ----------------------------------------------------------------------------- pack figures


@dataclass
class DisputeFigures:
    referred: int  # disputes opened in the period (referrals, provider notices, migrated ones)
    decided: int  # disputes that ended in the period with an outcome
    outcomes: list[tuple[str, int, int]] = field(default_factory=list)  # (outcome, n, binding)
    compliance: Compliance | None = None  # the obligations due in the period


def dispute_figures(*, start: dt.date, end: dt.date) -> DisputeFigures:
    """Disputes of the months ``start``..``end`` (ISO 10003), from the disputes app: opened,
    ended by outcome with how many bound the organisation, and compliance with the obligations
    due in the period."""
    period = dispute_period(
        start=utc_start(start), end=utc_start(add_months(end, 1)), today=timezone.localdate()
    )
    decided = sum(n for _o, n, _b in period.outcomes)
    return DisputeFigures(period.opened, decided, period.outcomes, period.compliance)


@dataclass
class CorrectiveFigures:
    by_state: list[tuple[str, int]]  # every corrective action now, by state
    opened: int  # opened in the period
    checked: list[CorrectiveAction]  # effectiveness checks run in the period


def corrective_figures(*, start: dt.date, end: dt.date) -> CorrectiveFigures:
    """Corrective actions now by state, how many were opened in the period, and those whose
    effectiveness was checked in it (with their baseline and result). Three statements."""
    t0, t1 = utc_start(start), utc_start(add_months(end, 1))
    states = (
        CorrectiveAction.objects.values("state").annotate(n=Count("id")).order_by("-n", "state")
    )
    checked = (
        CorrectiveAction.objects.filter(checked_at__gte=t0, checked_at__lt=t1)
        .only(
            "title",
            "state",
            "indicator",
            "baseline",
            "check_result",
            "effective",
            "comparison",
            "target",
        )
        .order_by("checked_at", "id")[:LIST_LIMIT]
    )
    return CorrectiveFigures(
        by_state=[(r["state"], r["n"]) for r in states],
        opened=CorrectiveAction.objects.filter(opened_at__gte=t0, opened_at__lt=t1).count(),
        checked=list(checked),
    )


def earlier_review_actions(*, review: ManagementReview) -> list[ReviewAction]:
    """The actions of earlier reviews (of periods ending before this one's) that were open when
    this period began or are open now: the follow-up ISO 9001 9.3.2 a) asks for."""
    return list(
        ReviewAction.objects.filter(review__period_end__lt=review.period_start)
        .filter(Q(done_at__isnull=True) | Q(done_at__gte=utc_start(review.period_start)))
        .select_related("review", "owner")
        .order_by("due_on", "id")[:LIST_LIMIT]
    )
