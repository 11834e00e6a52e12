"""Writes of the analysis page's rollup (``plaint.improvement.rollup`` says what it holds): the
worker's incremental refresh under a watermark and the full rebuild.

A month is always recomputed whole from the complaints (delete its rows, write them again), so a
refresh is idempotent and may overlap the previous one: it takes the complaints changed since
``OVERLAP`` before the last watermark, which covers a transaction that wrote its ``updated_at``
before the last refresh began but committed after it read. ``updated_at`` has no index on
purpose: an index would make every update of a complaint a non-HOT update on PostgreSQL, and the
refresh's scan of the column (every five minutes, in the worker) is the cheaper price."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncMonth
from django.utils import timezone

from plaint.complaints.models import Complaint
from plaint.complaints.states import Step
from plaint.core.models import AuditEvent
from plaint.improvement import rollup, sql
from plaint.improvement.models import AnalysisCase, AnalysisMonth, AnalysisRollup
from plaint.insights.selectors.filters import add_months, month_of, months_between, utc_start
from plaint.promises.models import PromiseCheck
from plaint.promises.states import CheckStatus

log = logging.getLogger(__name__)

DIMENSIONS = ("category", "cause", "product", "channel", "team", "segment")
OVERLAP = dt.timedelta(minutes=10)
REFRESH_EVERY = dt.timedelta(minutes=1)  # housekeeping comes every five minutes
REBUILD_EVERY = dt.timedelta(days=1)  # also drops complaints deleted since (retention)

Slice = tuple[str, str]  # (scope, scope value)
CASE_FIELDS = [f.name for f in AnalysisCase._meta.concrete_fields if f.name != "complaint_id"]


SCOPE_AT = [(scope, DIMENSIONS.index(scope)) for scope in rollup.SCOPES]
PARETO_AT = [(dimension, DIMENSIONS.index(dimension)) for dimension in rollup.PARETO]


def _texts(values: Any) -> list[str]:
    return ["" if v is None else str(v) for v in values]


def _slices(texts: list[str]) -> list[Slice]:
    """The slices a combination counts in: no filter, and each filter it has a value for."""
    return [("", ""), *((scope, texts[i]) for scope, i in SCOPE_AT if texts[i])]


def _declined() -> Exists:
    return Exists(
        AuditEvent.objects.filter(
            case_type="complaint", case_id=OuterRef("pk"), action=Step.DECLINE_DECISION
        )
    )


@dataclass
class _Month:
    """A month's slices while they are counted: totals, Pareto counts and histograms."""

    month: dt.date
    totals: dict[Slice, AnalysisMonth] = field(default_factory=dict)
    pareto: Counter[tuple[Slice, str, str]] = field(default_factory=Counter)

    def total(self, where: Slice) -> AnalysisMonth:
        if where not in self.totals:
            self.totals[where] = AnalysisMonth(
                month=self.month, scope=where[0], scope_value=where[1]
            )
        return self.totals[where]

    def rows(self) -> list[AnalysisMonth]:
        out = list(self.totals.values())
        for (where, dimension, value), n in self.pareto.items():
            out.append(
                AnalysisMonth(
                    month=self.month,
                    scope=where[0],
                    scope_value=where[1],
                    dimension=dimension,
                    value=value,
                    received=n,
                )
            )
        return out


def _count(counting: _Month, complaints: QuerySet[Complaint]) -> None:
    decided = Q(decision_at__isnull=False)
    rows = (
        complaints.values_list(*DIMENSIONS)
        .annotate(
            received=Count("id"),
            decided=Count("id", filter=decided),
            declined=Count("id", filter=decided & Q(_declined())),
        )
        .order_by()
    )
    pareto = counting.pareto
    for *values, received, n_decided, n_declined in rows:
        texts = _texts(values)
        items = [(dimension, texts[i]) for dimension, i in PARETO_AT]
        for where in _slices(texts):
            total = counting.total(where)
            total.received += received
            total.decided += n_decided
            total.declined += n_declined
            for dimension, value in items:
                pareto[where, dimension, value] += received


def _histograms(counting: _Month, complaints: QuerySet[Complaint], end: str, attr: str) -> None:
    """Each slice's histogram of the whole hours from receipt to ``end`` (a Complaint column)."""
    rows = list(
        complaints.filter(**{f"{end}__isnull": False})
        # column names from the model (``end`` is one of two literals): no input in the SQL
        .annotate(hours=RawSQL(sql.whole_hours_between("received_at", end), ()))  # noqa: S611
        .values_list(*DIMENSIONS, "hours")
        .annotate(n=Count("id"))
        .order_by()
    )
    if not rows:
        return
    index: dict[Slice, int] = {}
    at_slice, at_bin, counts = [], [], []
    bins = rollup.hour_bins(np.array([r[-2] for r in rows], dtype=np.int64))
    for row, b in zip(rows, bins, strict=True):
        for where in _slices(_texts(row[: len(DIMENSIONS)])):
            at_slice.append(index.setdefault(where, len(index)))
            at_bin.append(b)
            counts.append(row[-1])
    dense = np.zeros((len(index), rollup.BINS), dtype=np.int64)
    np.add.at(dense, (np.array(at_slice), np.array(at_bin)), np.array(counts, dtype=np.int64))
    for where, i in index.items():
        setattr(counting.total(where), attr, rollup.encode(dense[i]))


def _promises(counting: _Month, t0: dt.datetime, t1: dt.datetime) -> None:
    checks = (
        PromiseCheck.objects.filter(
            complaint__received_at__gte=t0,
            complaint__received_at__lt=t1,
            status__in=(CheckStatus.MET, CheckStatus.BREACHED),
        )
        .values_list(*(f"complaint__{d}" for d in DIMENSIONS), "promise__key")
        .annotate(n=Count("id"), met=Count("id", filter=Q(status=CheckStatus.MET)))
        .order_by()
    )
    for *values, promise_key, n, met in checks:
        for where in _slices(_texts(values)):
            total = counting.total(where).promises.setdefault(promise_key, [0, 0])
            total[0] += met
            total[1] += n


def _case_rows(month: dt.date, complaints: QuerySet[Complaint]) -> list[AnalysisCase]:
    """One narrow row per complaint of the month (what the page reads with two or more filters):
    one statement for the complaints, one for their decided promise checks."""
    # column names from the model (literals): no input in the SQL
    ack = RawSQL(sql.whole_hours_between("received_at", "acknowledged_at"), ())  # noqa: S611
    resolve = RawSQL(sql.whole_hours_between("received_at", "closed_at"), ())  # noqa: S611
    promises: dict[int, dict[str, list[int]]] = {}
    checks = (
        PromiseCheck.objects.filter(
            complaint__in=complaints, status__in=(CheckStatus.MET, CheckStatus.BREACHED)
        )
        .values_list("complaint_id", "promise__key")
        .annotate(n=Count("id"), met=Count("id", filter=Q(status=CheckStatus.MET)))
        .order_by()
    )
    for complaint_id, key, n, met in checks:
        promises.setdefault(complaint_id, {})[key] = [met, n]
    rows = (
        complaints.annotate(ack=ack, resolve=resolve, refused=_declined())
        .values_list(
            "pk", "category_id", "cause_id", "product", "channel", "team_id", "segment",
            "ack", "resolve", "decision_at", "refused",
        )
        .order_by()
    )  # fmt: skip
    return [
        AnalysisCase(
            complaint_id=pk,
            month=month,
            category=category,
            cause=cause or "",
            product=product,
            channel=channel,
            team=team,
            segment=segment,
            ack_hours=ack,
            resolve_hours=resolve,
            decided=decision_at is not None,
            declined=decision_at is not None and refused,
            promises=promises.get(pk, {}),
        )
        for pk, category, cause, product, channel, team, segment, ack, resolve, decision_at, refused in rows
    ]


def _month_rows(month: dt.date, cutoff: dt.datetime) -> list[AnalysisMonth]:
    """The rollup's rows of ``month``: its complaints received before ``cutoff``, counted per
    combination of the dimensions by the database (four grouped statements) and folded into
    the slices here. A slice seen by a later statement only (a complaint back-dated into the
    month between two statements) is written with what was seen; the next refresh recounts."""
    t0, t1 = utc_start(month), min(utc_start(add_months(month, 1)), cutoff)
    complaints = Complaint.objects.filter(received_at__gte=t0, received_at__lt=t1)
    counting = _Month(month)
    _count(counting, complaints)
    _histograms(counting, complaints, "acknowledged_at", "ack_hours")
    _histograms(counting, complaints, "closed_at", "resolve_hours")
    _promises(counting, t0, t1)
    return counting.rows()


def _month_cases(month: dt.date, cutoff: dt.datetime) -> list[AnalysisCase]:
    t0, t1 = utc_start(month), min(utc_start(add_months(month, 1)), cutoff)
    return _case_rows(month, Complaint.objects.filter(received_at__gte=t0, received_at__lt=t1))


def _recompute(months: list[dt.date], cutoff: dt.datetime) -> None:
    for month in months:
        AnalysisMonth.objects.filter(month=month).delete()
        AnalysisMonth.objects.bulk_create(_month_rows(month, cutoff), batch_size=500)
        AnalysisCase.objects.filter(month=month).delete()
        # an upsert: a complaint whose receipt moved to another month (an import correcting its
        # date) still has its row under the old month until that month is recomputed
        AnalysisCase.objects.bulk_create(
            _month_cases(month, cutoff),
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["complaint_id"],
            update_fields=CASE_FIELDS,
        )


def _changed_months(since: dt.datetime) -> set[dt.date]:
    """The months of receipt of the complaints changed (or whose promise checks changed) since."""
    checks = PromiseCheck.objects.filter(updated_at__gte=since).values("complaint_id")
    months = (
        Complaint.objects.filter(Q(updated_at__gte=since) | Q(pk__in=checks))
        .annotate(m=TruncMonth("received_at", tzinfo=dt.UTC))
        .values_list("m", flat=True)
        .distinct()
        .order_by()
    )
    return {m.date() if isinstance(m, dt.datetime) else m for m in months}


def analysis_rollup_rebuild(
    *, now: dt.datetime | None = None, progress: Callable[[str], None] | None = None
) -> dict[str, Any]:
    """Rebuild the whole rollup from the complaints received before ``now`` (the watermark), in
    one transaction: readers see the old rollup or the new one."""
    say = progress or (lambda _message: None)
    started = time.perf_counter()
    now = now or timezone.now()
    with transaction.atomic():
        current = AnalysisRollup.objects.select_for_update().first()
        AnalysisMonth.objects.all().delete()
        AnalysisCase.objects.all().delete()
        first = Complaint.objects.filter(received_at__lt=now).aggregate(t=Min("received_at"))["t"]
        months = [] if first is None else months_between(month_of(first), month_of(now))
        for month in months:
            _recompute([month], now)
            say(f"{month:%Y-%m}")
        seconds = time.perf_counter() - started
        current = current or AnalysisRollup()
        current.refreshed_at = current.rebuilt_at = now
        current.months, current.seconds = len(months), seconds
        current.save()
    return {"watermark": now, "months": len(months), "seconds": seconds, "full": True}


def analysis_rollup_refresh(*, now: dt.datetime | None = None) -> dict[str, Any] | None:
    """The worker's duty: recompute the months of the complaints changed since the watermark and
    move it to ``now``; a full rebuild when there is no rollup or the last is a day old. None when
    the last refresh is under a minute old."""
    started = time.perf_counter()
    now = now or timezone.now()
    with transaction.atomic():
        current = AnalysisRollup.objects.select_for_update().first()
        if current is None or now - current.rebuilt_at >= REBUILD_EVERY:
            return analysis_rollup_rebuild(now=now)
        if now - current.refreshed_at < REFRESH_EVERY:
            return None
        months = _changed_months(current.refreshed_at - OVERLAP)
        months.update(months_between(month_of(current.refreshed_at), month_of(now)))
        _recompute(sorted(months), now)
        current.refreshed_at, current.months = now, len(months)
        current.seconds = time.perf_counter() - started
        current.save(update_fields=["refreshed_at", "months", "seconds"])
    log.info("analysis rollup: %s months in %.1f s", len(months), current.seconds)
    return {"watermark": now, "months": len(months), "seconds": current.seconds, "full": False}


def analysis_rollup_discard() -> None:
    """Forget the rollup: the page computes everything from the complaints until the next
    refresh rebuilds it."""
    AnalysisRollup.objects.all().delete()
    AnalysisMonth.objects.all().delete()
    AnalysisCase.objects.all().delete()
