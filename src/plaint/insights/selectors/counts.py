"""The monthly counts behind the indirect indicators, read from the complaints over a time range:
complaints received (and about the process), repeat complainants, and times to resolve. Used
alike for the live part of the dashboard and for the monthly rollup."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import cast

import numpy as np
from django.db import connection, transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from plaint.complaints.models import Complainant, Complaint
from plaint.insights.models import IndicatorContact, IndicatorRollup
from plaint.insights.selectors.filters import month_of

US_PER_DAY = 86_400_000_000.0
PG_MONTH = "(date_trunc('month', {col} AT TIME ZONE 'UTC'))::date"
_PG_DIGITS = "regexp_replace(p.phone, '[^0-9]', '', 'g')"
PG_EMAIL = "NULLIF(lower(btrim(p.email)), '')"
PG_PHONE = f"CASE WHEN length({_PG_DIGITS}) >= 7 THEN right({_PG_DIGITS}, 8) END"


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


def _keys_repeat(keys: np.ndarray, times: np.ndarray, window: float) -> np.ndarray:
    """True where the same non-empty key occurred earlier within ``window`` seconds."""
    if keys.size == 0:
        return np.zeros(0, dtype=bool)
    codes = np.unique(keys, return_inverse=True)[1]
    order = np.lexsort((times, codes))
    sc, st_ = codes[order], times[order]
    same = np.r_[False, sc[1:] == sc[:-1]]
    gap = np.r_[np.inf, np.diff(st_)]
    flag_sorted = same & (gap <= window) & (keys[order] != "")
    flags = np.zeros(keys.size, dtype=bool)
    flags[order] = flag_sorted
    return flags


def _digits(phone: str) -> str:
    d = "".join(ch for ch in phone if ch.isdigit())
    # The last eight digits: the same number written with or without a country prefix matches.
    return d[-8:] if len(d) >= 7 else ""


def repeat_counts(
    t0: dt.datetime,
    t1: dt.datetime,
    mindex: dict[dt.date, int],
    k: int,
    rollup: IndicatorRollup | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Per month: complaints received in [t0, t1) with an e-mail or phone, and those whose
    e-mail or phone (last eight digits) appeared on another complaint in the 365 days before.

    On PostgreSQL one query with window functions over [t0 - 365 days, t1) — or, with a rollup
    whose watermark is at or before t0, over [watermark, t1) only, taking the last receipt
    before the watermark of each contact from ``IndicatorContact``. Elsewhere one pass in NumPy
    over [t0 - 365 days, t1)."""
    identified, repeats = np.zeros(k), np.zeros(k)
    since = t0 - dt.timedelta(days=365)
    if connection.vendor == "postgresql":
        complaint_t, complainant_t = Complaint._meta.db_table, Complainant._meta.db_table
        use_contacts = rollup is not None and rollup.refreshed_at <= t0
        lower = rollup.refreshed_at if rollup is not None and use_contacts else since
        if use_contacts:
            contact_t = IndicatorContact._meta.db_table
            prev = (
                "coalesce(lag(t) OVER (PARTITION BY em ORDER BY t), ke.last_at) AS prev_em, "
                "coalesce(lag(t) OVER (PARTITION BY ph ORDER BY t), kp.last_at) AS prev_ph "
                f"FROM c LEFT JOIN {contact_t} ke ON ke.key = 'e:' || c.em "
                f"LEFT JOIN {contact_t} kp ON kp.key = 'p:' || c.ph) "
            )
        else:
            prev = (
                "lag(t) OVER (PARTITION BY em ORDER BY t) AS prev_em, "
                "lag(t) OVER (PARTITION BY ph ORDER BY t) AS prev_ph FROM c) "
            )
        sql = (
            # Table names from model metadata, fixed expressions; values are parameters.
            "WITH c AS (SELECT cp.received_at AS t, "  # noqa: S608
            f"{PG_MONTH.format(col='cp.received_at')} AS month, "
            f"{PG_EMAIL} AS em, {PG_PHONE} AS ph "
            f"FROM {complaint_t} cp JOIN {complainant_t} p ON p.id = cp.complainant_id "
            "WHERE cp.received_at >= %s AND cp.received_at < %s), "
            f"w AS (SELECT t, month, em, ph, {prev}"
            "SELECT month, count(*) FILTER (WHERE em IS NOT NULL OR ph IS NOT NULL), "
            "count(*) FILTER (WHERE (em IS NOT NULL AND t - prev_em <= interval '365 days') "
            "OR (ph IS NOT NULL AND t - prev_ph <= interval '365 days')) "
            "FROM w WHERE t >= %s GROUP BY month"
        )
        with transaction.atomic(), connection.cursor() as cursor:
            # The two window sorts fit in memory instead of spilling to disk (this read only).
            cursor.execute("SET LOCAL work_mem = '64MB'")
            cursor.execute(sql, [lower, t1, t0])
            for month, n_id, n_rep in cursor.fetchall():
                i = mindex.get(month)
                if i is not None:
                    identified[i], repeats[i] = n_id, n_rep
        return identified, repeats
    history = list(
        Complaint.objects.filter(received_at__gte=since, received_at__lt=t1)
        .values_list("received_at", "complainant__email", "complainant__phone")
        .order_by()
    )
    if history:
        times = np.array([r[0].timestamp() for r in history])
        emails = np.array([(r[1] or "").strip().lower() for r in history])
        phones = np.array([_digits(r[2] or "") for r in history])
        window = 365 * 86400.0
        flag = _keys_repeat(emails, times, window) | _keys_repeat(phones, times, window)
        has_key = (emails != "") | (phones != "")
        in_period = times >= t0.timestamp()
        month_idx = np.array([mindex.get(month_of(r[0]), -1) for r in history])
        sel = in_period & has_key & (month_idx >= 0)
        identified = np.bincount(month_idx[sel], minlength=k).astype(float)
        repeats = np.bincount(month_idx[sel & flag], minlength=k).astype(float)
    return identified, repeats


def resolve_durations(
    t0: dt.datetime, t1: dt.datetime, mindex: dict[dt.date, int]
) -> dict[int, np.ndarray]:
    """Per month index: the times from receipt to closing of the complaints closed in [t0, t1),
    in whole microseconds (exact), sorted. One query; closed_at NULL (open) is left out."""
    per: dict[int, list[int]] = defaultdict(list)
    if connection.vendor == "postgresql":
        sql = (
            f"SELECT {PG_MONTH.format(col='closed_at')}, "  # noqa: S608 - table from metadata
            "(EXTRACT(EPOCH FROM closed_at - received_at) * 1000000)::bigint "
            f"FROM {Complaint._meta.db_table} WHERE closed_at >= %s AND closed_at < %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [t0, t1])
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
