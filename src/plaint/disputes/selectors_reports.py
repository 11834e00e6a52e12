"""Figures of the disputes of a period (ISO 10003 clause 8: monitoring and evaluation): how many
opened and ended, by outcome, how many bound the organisation, and how the organisation complied
with what outcomes asked of it. Organisation-wide counts, no case: callers apply their own gate."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, F, Q

from plaint.core.stats import wilson_interval
from plaint.disputes.models import Dispute, Obligation


@dataclass
class Compliance:
    """Obligations due in the period and how many were done by their due day."""

    due: int
    on_time: int
    late: int  # done after the due day
    open_overdue: int  # not done, past the due day

    @property
    def rate(self) -> float | None:
        return self.on_time / self.due if self.due else None

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson_interval(self.on_time, self.due) if self.due else None


@dataclass
class DisputePeriod:
    opened: int  # disputes opened in the period (referral, notice or migrated)
    ended: int  # disputes that closed, were withdrawn or fell out of scope in the period
    outcomes: list[tuple[str, int, int]] = field(default_factory=list)  # (outcome, n, binding)
    compliance: Compliance = field(default_factory=lambda: Compliance(0, 0, 0, 0))


def dispute_period(*, start: dt.datetime, end: dt.datetime, today: dt.date) -> DisputePeriod:
    """The disputes of ``start`` ≤ moment < ``end`` (three grouped statements)."""
    opened = Dispute.objects.filter(opened_at__gte=start, opened_at__lt=end).count()
    ended_rows = (
        Dispute.objects.filter(closed_at__gte=start, closed_at__lt=end)
        .values("outcome")
        .annotate(n=Count("id"), binding=Count("id", filter=Q(binding_on_organisation=True)))
        .order_by()
    )
    by_outcome: Counter[str] = Counter()
    binding: Counter[str] = Counter()
    ended = 0
    for row in ended_rows:
        ended += row["n"]
        if row["outcome"]:
            by_outcome[row["outcome"]] += row["n"]
            binding[row["outcome"]] += row["binding"]
    outcomes = sorted(
        ((k, n, binding[k]) for k, n in by_outcome.items()), key=lambda t: (-t[1], t[0])
    )
    return DisputePeriod(opened, ended, outcomes, _compliance(start.date(), end.date(), today))


def _compliance(first: dt.date, after: dt.date, today: dt.date) -> Compliance:
    due = Obligation.objects.filter(due_on__gte=first, due_on__lt=after)
    counts = due.aggregate(
        n=Count("id"),
        on_time=Count("id", filter=Q(done_at__date__lte=F("due_on"))),
        late=Count("id", filter=Q(done_at__date__gt=F("due_on"))),
        open_overdue=Count("id", filter=Q(done_at=None, due_on__lt=today)),
    )
    return Compliance(counts["n"], counts["on_time"], counts["late"], counts["open_overdue"])


def obligations_compliance(*, first: dt.date, after: dt.date, today: dt.date) -> Compliance:
    """Compliance with the obligations due from ``first`` to before ``after`` (one statement)."""
    return _compliance(first, after, today)
