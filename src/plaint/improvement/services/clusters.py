"""Writes of the improvement app: detecting recurring issues among recent complaints."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from plaint.complaints.models import Complaint
from plaint.core import nearduplicates
from plaint.improvement.models import ClusterKind, ClusterMember, ClusterRun, RecurringCluster

log = logging.getLogger(__name__)

WINDOW_DAYS = 30
MIN_SIZE = 3  # complaints: fewer is not "recurring"
SIMILARITY = 0.5  # shingle Jaccard for "similar wording"
SCAN_LIMIT = 20_000  # the most recent complaints of the window a run compares by wording
DETECT_EVERY = dt.timedelta(hours=24)


@dataclass(frozen=True)
class _Row:
    pk: int
    received_at: dt.datetime
    subject: str
    text: str
    product: str
    category_id: int | None


def _rows(t0: dt.datetime, t1: dt.datetime) -> list[_Row]:
    return [
        _Row(*r[:4], r[4] or "", r[5])
        for r in Complaint.objects.filter(received_at__gte=t0, received_at__lt=t1)
        .order_by("-received_at")
        .values_list("pk", "received_at", "subject", "description", "product", "category_id")[
            :SCAN_LIMIT
        ]
        .iterator(chunk_size=2000)
    ]


def _same_cause(rows: list[_Row]) -> list[tuple[str, list[_Row]]]:
    by_cause: dict[tuple[str, int | None], list[_Row]] = defaultdict(list)
    for row in rows:
        if row.product and row.category_id is not None:
            by_cause[(row.product, row.category_id)].append(row)
    return [(ClusterKind.SAME_CAUSE, g) for g in by_cause.values() if len(g) >= MIN_SIZE]


def _similar_text(rows: list[_Row]) -> list[tuple[str, list[_Row]]]:
    texts = [f"{r.subject}\n{r.text}" for r in rows]
    found = nearduplicates.groups(texts, threshold=SIMILARITY, min_size=MIN_SIZE)
    return [(ClusterKind.SIMILAR_TEXT, [rows[i] for i in g]) for g in found]


def clusters_detect(
    *, now: dt.datetime | None = None, window_days: int = WINDOW_DAYS
) -> ClusterRun:
    """Find the recurring issues among the complaints received in the last ``window_days``: the
    same product and category at least ``MIN_SIZE`` times, and groups of complaints worded alike
    (``plaint.core.nearduplicates``), and record them as one run. The comparing happens before
    the one short transaction that writes the run, so a long scan never holds a write lock."""
    if not 1 <= window_days <= 366:
        raise ValueError("window_days must be between 1 and 366")
    now = now or timezone.now()
    started = timezone.now()
    t0 = now - dt.timedelta(days=window_days)
    rows = _rows(t0, now)
    same = _same_cause(rows)
    seen = {frozenset(r.pk for r in members) for _kind, members in same}
    # a group worded alike that is exactly a same-cause group says nothing new
    found = same + [
        (kind, members)
        for kind, members in _similar_text(rows)
        if frozenset(r.pk for r in members) not in seen
    ]
    with transaction.atomic():
        run = ClusterRun.objects.create(
            started_at=started,
            window_start=t0,
            window_end=now,
            scanned=len(rows),
            found=len(found),
            finished_at=timezone.now(),
        )
        _record(run, found)
    return run


def _record(run: ClusterRun, found: list[tuple[str, list[_Row]]]) -> None:
    for kind, members in found:
        newest = max(members, key=lambda r: r.received_at)
        cluster = RecurringCluster.objects.create(
            run=run,
            kind=kind,
            product=members[0].product if kind == ClusterKind.SAME_CAUSE else "",
            category_id=members[0].category_id if kind == ClusterKind.SAME_CAUSE else None,
            label=(newest.subject or newest.text)[:200],
            size=len(members),
            first_at=min(r.received_at for r in members),
            last_at=newest.received_at,
        )
        ClusterMember.objects.bulk_create(
            [ClusterMember(cluster=cluster, complaint_id=r.pk) for r in members]
        )


def clusters_detect_when_due(*, now: dt.datetime | None = None) -> ClusterRun | None:
    """The worker's daily detection: a run when the last one finished more than a day ago."""
    now = now or timezone.now()
    last = ClusterRun.objects.filter(finished_at__isnull=False).order_by("-finished_at").first()
    if last is not None and last.finished_at and now - last.finished_at < DETECT_EVERY:
        return None
    run = clusters_detect(now=now)
    log.info("recurring issues: %s clusters among %s complaints", run.found, run.scanned)
    return run
