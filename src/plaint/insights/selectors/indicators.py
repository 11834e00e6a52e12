"""Indirect indicators per month (ISO 10004 7.3 and annex C): complaints received, rates per
1,000 orders and customers, the repeat-complainant rate, the share about the handling process,
and the time to resolve — from the monthly rollup plus what came since, computed live."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.utils.translation import gettext as _

from plaint.accounts.access import Reader
from plaint.core import stats
from plaint.core.errors import ValidationFailed
from plaint.insights.models import IndicatorMonth, IndicatorRollup, PeriodVolume
from plaint.insights.selectors.counts import (
    US_PER_DAY,
    received_counts,
    repeat_counts,
    resolve_durations,
)
from plaint.insights.selectors.filters import (
    MAX_MONTHS,
    add_months,
    month_start,
    months_between,
    require_reader,
    utc_start,
)
from plaint.insights.selectors.series import as_float
from plaint.insights.selectors.volumes import period_volumes


@dataclass
class MonthCounts:
    """Per month of a period (arrays indexed like its months): complaints received, about the
    process, with a contact (identified) and repeats; the times to resolve of those closed."""

    received: np.ndarray
    about: np.ndarray
    identified: np.ndarray
    repeats: np.ndarray
    durations: list[np.ndarray]

    @classmethod
    def zeros(cls, k: int) -> MonthCounts:
        empty = np.zeros(0, dtype=np.int64)
        return cls(np.zeros(k), np.zeros(k), np.zeros(k), np.zeros(k), [empty] * k)


def indicators(
    *, actor: Reader, start: dt.date, end: dt.date, use_rollup: bool = True
) -> dict[str, Any]:
    """The indirect indicators of the months ``start``..``end``: complaints received, rates per
    1,000 orders and customers, the repeat-complainant rate (same e-mail or phone within 12
    months before), the share about the handling process itself, and the p50/p90 time to
    resolve (received to closed, in days, for complaints closed in the month).

    The rollup (``IndicatorMonth``, rebuilt hourly by ``services.indicator_months_rebuild``
    with the same functions) holds everything received or closed before its watermark (the
    time of the rebuild); what was received or closed since is computed from the complaints and
    added, so the figures are current. Without a rollup, or with ``use_rollup=False``, every month
    is computed from the complaints (the same figures, slower: for checks and benches)."""
    require_reader(actor)
    start, end = month_start(start), month_start(end)
    months = months_between(start, end)
    if not months or len(months) > MAX_MONTHS:
        raise ValidationFailed(_("Check the period."), fields={"start": [_("Invalid period.")]})
    rollup = IndicatorRollup.objects.first() if use_rollup else None
    counts = month_counts(months, rollup)
    volumes = period_volumes(start, end)
    return {
        "start": f"{start:%Y-%m}",
        "end": f"{end:%Y-%m}",
        "months": _month_rows(months, counts, volumes),
        "summary": _summary(months, counts, volumes),
        "rollup": None
        if rollup is None
        else {"refreshed_at": rollup.refreshed_at, "seconds": rollup.seconds},
    }


def month_counts(
    months: list[dt.date], rollup: IndicatorRollup | None, until: dt.datetime | None = None
) -> MonthCounts:
    """The counts of ``months`` (of what happened before ``until``, by default the end of the
    last month): from the rollup's rows up to its watermark (when there is a rollup), then what
    came after it (or everything) from the complaints."""
    mindex = {m: i for i, m in enumerate(months)}
    counts = MonthCounts.zeros(len(months))
    t_live = rollup.refreshed_at if rollup else utc_start(months[0])
    t1 = until or utc_start(add_months(months[-1], 1))
    if rollup is not None:
        for row in IndicatorMonth.objects.filter(month__gte=months[0], month__lte=months[-1]):
            i = mindex[row.month]
            counts.received[i], counts.about[i] = row.received, row.about_process
            counts.identified[i], counts.repeats[i] = row.identified, row.repeats
            counts.durations[i] = np.frombuffer(bytes(row.durations), dtype="<i8")
    if t_live < t1:
        received_counts(t_live, t1, mindex, counts.received, counts.about)
        ident, reps = repeat_counts(t_live, t1, mindex, len(months), rollup=rollup)
        counts.identified += ident
        counts.repeats += reps
        for i, arr in resolve_durations(t_live, t1, mindex).items():
            counts.durations[i] = np.concatenate([counts.durations[i], arr])
    return counts


def _month_rows(
    months: list[dt.date], c: MonthCounts, volumes: dict[dt.date, PeriodVolume]
) -> list[dict[str, Any]]:
    k = len(months)
    p50s, p90s = np.full(k, np.nan), np.full(k, np.nan)
    for i, d in enumerate(c.durations):
        if len(d):
            p50s[i], p90s[i] = np.percentile(d / US_PER_DAY, [50, 90])
    orders_arr = np.array([(volumes[m].orders or 0) if m in volumes else 0 for m in months])
    _rate_o, low_o, high_o = stats.poisson_rate_interval(c.received, orders_arr)
    low_r, high_r = stats.wilson_intervals(c.repeats, c.identified)
    rows = []
    for i, m in enumerate(months):
        vol = volumes.get(m)
        orders = vol.orders if vol else None
        rows.append(
            {
                "month": f"{m:%Y-%m}",
                "complaints": int(c.received[i]),
                "orders": orders,
                "customers": vol.customers if vol else None,
                "per_1000_orders": _rate(c.received[i], orders),
                "per_1000_orders_interval": None
                if not orders
                else [as_float(low_o[i]), as_float(high_o[i])],
                "per_1000_customers": _rate(c.received[i], vol.customers if vol else None),
                "repeat_rate": _share(c.repeats[i], c.identified[i]),
                "repeat_interval": None
                if not c.identified[i]
                else [float(low_r[i]), float(high_r[i])],
                "about_process_share": _share(c.about[i], c.received[i]),
                "closed": len(c.durations[i]),
                "resolve_p50_days": as_float(p50s[i]),
                "resolve_p90_days": as_float(p90s[i]),
            }
        )
    return rows


def _summary(
    months: list[dt.date], c: MonthCounts, volumes: dict[dt.date, PeriodVolume]
) -> dict[str, Any]:
    everything = np.concatenate(c.durations) if months else np.zeros(0)
    p50, p90 = stats.percentiles(everything / US_PER_DAY)
    total_orders = sum(v.orders or 0 for v in volumes.values()) or None
    total_customers = sum(v.customers or 0 for v in volumes.values()) or None
    n_received = float(c.received.sum())
    # Rates over the months that have a volume only, so a missing month does not inflate them.
    with_orders = [i for i, m in enumerate(months) if volumes.get(m) and volumes[m].orders]
    with_customers = [i for i, m in enumerate(months) if volumes.get(m) and volumes[m].customers]
    return {
        "complaints": int(n_received),
        "per_1000_orders": _rate(c.received[with_orders].sum(), total_orders),
        "per_1000_customers": _rate(c.received[with_customers].sum(), total_customers),
        "repeat_rate": _share(c.repeats.sum(), c.identified.sum()),
        "repeat_interval": _interval(c.repeats.sum(), c.identified.sum()),
        "about_process_share": _share(c.about.sum(), n_received),
        "about_process_interval": _interval(c.about.sum(), n_received),
        "closed": sum(len(d) for d in c.durations),
        "resolve_p50_days": p50,
        "resolve_p90_days": p90,
    }


def _rate(count: float, volume: int | None) -> float | None:
    return None if not volume else 1000.0 * float(count) / volume


def _share(part: float, whole: float) -> float | None:
    return None if not whole else float(part) / float(whole)


def _interval(part: float, whole: float) -> list[float] | None:
    return None if not whole else list(stats.wilson_interval(int(part), int(whole)))
