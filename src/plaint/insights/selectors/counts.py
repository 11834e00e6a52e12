"""The monthly counts behind the indirect indicators, read from the complaints over a time range:
complaints received (and about the process), repeat complainants, and times to resolve. Used
alike for the live part of the dashboard and for the monthly rollup."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import cast

import numpy as np
from django.db import connection, connections, transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from plaint.complaints.models import Complaint
from plaint.core.replica import reads_alias
from plaint.insights import sql
from plaint.insights.models import IndicatorRollup
from plaint.insights.selectors.filters import month_of

US_PER_DAY = 86_400_000_000.0


def received_counts(
    t0: dt.datetime,
    t1: dt.datetime,
    mindex: dict[dt.date, int],
    received: np.ndarray,
    about: np.ndarray,
) -> None:
    """Complaints received per month in [t0, t1), and those about the handling process, added to
    ``received`` and ``about`` at the months' indexes. One query (index on received_at)."""
    for row in (
        Complaint.objects.filter(received_at__gte=t0, received_at__lt=t1)
        .annotate(month=TruncMonth("received_at", tzinfo=dt.UTC))
        .values("month")
        .annotate(n=Count("id"), about=Count("id", filter=Q(about_process=True)))
        .order_by()
    ):
        i = mindex.get(row["month"].date())  # TruncMonth of a DateTimeField: a datetime
        if i is not None:
            received[i] += row["n"]
            about[i] += row["about"]


def repeat_counts(
    t0: dt.datetime,
    t1: dt.datetime,
    mindex: dict[dt.date, int],
    k: int,
    rollup: IndicatorRollup | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Per month: complaints received in [t0, t1) with an e-mail or phone (identified), and the
    repeats among them (the rule: ``plaint.insights.sql``). One query with window functions over
    [t0 - 365 days, t1) — or, with a rollup whose watermark is at or before t0, over
    [watermark, t1) only, taking the last receipt before the watermark of each contact key from
    ``IndicatorContact`` (which the rollup's rebuild fills by the same rule)."""
    identified, repeats = np.zeros(k), np.zeros(k)
    use_contacts = rollup is not None and rollup.refreshed_at <= t0
    lower = rollup.refreshed_at if rollup is not None and use_contacts else t0 - sql.REPEAT_WINDOW
    alias = reads_alias()  # the replica when a report reads this (core.replica)
    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        if connection.vendor == "postgresql":
            # The two window sorts fit in memory instead of spilling to disk (this read only).
            cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(
            sql.repeat_counts_sql(use_contacts=use_contacts),
            [sql.param(lower), sql.param(t1), sql.param(t0)],
        )
        for month, n_id, n_rep in cursor.fetchall():
            i = mindex.get(sql.as_date(month))
            if i is not None:
                identified[i], repeats[i] = n_id, n_rep
    return identified, repeats


def resolve_durations(
    t0: dt.datetime, t1: dt.datetime, mindex: dict[dt.date, int]
) -> dict[int, np.ndarray]:
    """Per month index: the times from receipt to closing of the complaints closed in [t0, t1),
    in whole microseconds (exact), sorted. One query; closed_at NULL (open) is left out."""
    per: dict[int, list[int]] = defaultdict(list)
    if connection.vendor == "postgresql":
        with connections[reads_alias()].cursor() as cursor:
            cursor.execute(sql.durations_sql(), [t0, t1])
            rows = cursor.fetchall()
        for month, us in rows:
            i = mindex.get(month)
            if i is not None:
                per[i].append(us)
    else:
        one = dt.timedelta(microseconds=1)
        closed = cast(
            list[tuple[dt.datetime, dt.datetime]],  # closed_at__gte leaves out NULL (open)
            list(
                Complaint.objects.filter(closed_at__gte=t0, closed_at__lt=t1)
                .values_list("received_at", "closed_at")
                .order_by()
            ),
        )
        for r, c in closed:
            i = mindex.get(month_of(c))
            if i is not None:
                per[i].append((c - r) // one)
    return {i: np.sort(np.array(v, dtype=np.int64)) for i, v in per.items()}
