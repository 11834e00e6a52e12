"""The analysis page's monthly rollup (``AnalysisMonth`` under the watermark ``AnalysisRollup``):
what it holds, how its duration histograms are binned, and how the page reads it.

Per month (UTC, by receipt) and per *slice* — every complaint, or those with one value of one
filter of the page (category, product, channel, team or segment) — a total row with the
complaints received, decided and declined, the decided promise checks per promise and the whole
hours to acknowledge and to resolve as histograms in fixed bins, and a row per value of each
Pareto dimension (category, root cause, product, channel) with its complaints. A slice is as
small as the variety of the values, whatever the number of complaints. The page reads the slice
its filters name (no filter, or one). A cross of every filter would be about as large as the
complaints themselves when products are many, so for two or more filters at once the rollup also
keeps one narrow row per complaint (``AnalysisCase``: the filters' and Pareto dimensions' values,
the whole hours, decided, declined, promise checks), which the page counts with the same grouped
statements — about an eighth of the bytes of the complaints' rows, so a fraction of their cost.

**Freshness.** The rollup holds the complaints received before its watermark, as they stood at the
last refresh; the page adds the complaints received since, computed live from the complaints, so
a new complaint shows at once. The worker's housekeeping (every five minutes) recomputes the
months of the complaints changed since the last refresh (``updated_at``, and promise checks'
``updated_at``) and moves the watermark; once a day, and on ``plaint analysis rebuild``, it
rebuilds everything (which also drops complaints deleted by retention). A change to an earlier
complaint (closed, reopened, recategorised) shows after the next refresh.

**Accuracy.** Counts, Pareto tables, the control chart and the shares are exactly those computed
from the complaints (as of the refresh). Durations are binned by whole hours: every hour below
``EXACT_HOURS`` (72) has its own bin; above, a bin spans at most ``RATIO`` - 1 (2 %) of its lower
edge and is read as its middle. A percentile and its interval's ends are order statistics, so
each differs from the exact computation (to the hour) by at most ``RELATIVE_ERROR`` (1 %) of its
value, and not at all below 72 hours. Negative durations (clocks of imported history) count as 0
hours; durations beyond a century share the last bin."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from django.db.models import Count, Q, QuerySet

from plaint.core.quantiles import Quantile, quantile_from_counts
from plaint.improvement.models import AnalysisCase, AnalysisMonth, AnalysisRollup

if TYPE_CHECKING:
    from plaint.improvement.selectors import AnalysisFilters

EXACT_HOURS = 72
RATIO = 1.02
RELATIVE_ERROR = (RATIO - 1) / 2
MAX_HOURS = 24 * 365 * 100
SCOPES = ("category", "product", "channel", "team", "segment")  # the page's filters
PARETO = ("category", "cause", "product", "channel")
Slice = tuple[str, str]  # (scope, scope value); ("", "") is every complaint


def _edges() -> np.ndarray:
    edges = list(range(EXACT_HOURS + 1))
    while edges[-1] < MAX_HOURS:
        edges.append(max(edges[-1] + 1, int(edges[-1] * RATIO)))
    return np.array(edges, dtype=np.int64)


BIN_EDGES = _edges()  # bin k holds the whole hours [BIN_EDGES[k], BIN_EDGES[k + 1])
BINS = len(BIN_EDGES)  # the last bin holds everything from BIN_EDGES[-1] on
# each bin read as the middle of the whole hours it holds
BIN_HOURS = np.append((BIN_EDGES[:-1] + BIN_EDGES[1:] - 1) / 2.0, float(BIN_EDGES[-1]))
PAIR = np.dtype([("bin", "<u2"), ("n", "<u4")])


def hour_bins(hours: np.ndarray) -> np.ndarray:
    """The bin of each whole number of hours."""
    h = np.clip(np.asarray(hours, dtype=np.int64), 0, None)
    return np.searchsorted(BIN_EDGES, h, side="right") - 1


def histogram(pairs: list[tuple[int, int]]) -> np.ndarray:
    """A dense histogram (counts per bin) of (whole hours, count) pairs."""
    dense = np.zeros(BINS, dtype=np.int64)
    if pairs:
        hours, counts = np.array(pairs, dtype=np.int64).T
        np.add.at(dense, hour_bins(hours), counts)
    return dense


def encode(dense: np.ndarray) -> bytes:
    """The sparse form stored in a row: (bin, count) pairs of the bins that are not empty."""
    nonzero = np.flatnonzero(dense)
    out = np.empty(len(nonzero), dtype=PAIR)
    out["bin"], out["n"] = nonzero, dense[nonzero]
    return out.tobytes()


def decode_sum(blobs: Iterable[bytes | memoryview]) -> np.ndarray:
    """The dense sum of stored histograms."""
    pairs = np.frombuffer(b"".join(bytes(b) for b in blobs), dtype=PAIR)
    summed = np.bincount(pairs["bin"], weights=pairs["n"], minlength=BINS)
    return np.rint(summed).astype(np.int64)


def binned_quantiles(dense: np.ndarray) -> list[Quantile]:
    """p50 and p90 in days (with their distribution-free intervals) of a dense histogram."""
    nonzero = np.flatnonzero(dense)
    days = BIN_HOURS[nonzero] / 24.0
    counts = dense[nonzero]
    return [quantile_from_counts(days, counts, 0.5), quantile_from_counts(days, counts, 0.9)]


def rollup_get() -> AnalysisRollup | None:
    return AnalysisRollup.objects.first()


def scope_of(filters: AnalysisFilters) -> Slice | None:
    """The slice that answers the filters: none set, or one; None for two or more (the page
    then counts the rollup's rows per complaint, ``case_counts`` and ``case_process_counts``)."""
    chosen = [(name, getattr(filters, name)) for name in SCOPES if getattr(filters, name)]
    if len(chosen) > 1:
        return None
    return ("", "") if not chosen else (chosen[0][0], str(chosen[0][1]))


def _rows(filters: AnalysisFilters, where: Slice) -> Any:
    return AnalysisMonth.objects.filter(
        scope=where[0], scope_value=where[1], month__gte=filters.start, month__lte=filters.end
    )


def slice_counts(filters: AnalysisFilters, where: Slice) -> list[tuple[dt.date, str, str, int]]:
    """(month, dimension, value, complaints) of the slice over the period: the total rows
    (dimension empty) and the Pareto rows."""
    return list(_rows(filters, where).values_list("month", "dimension", "value", "received"))


@dataclass
class ProcessCounts:
    """What the process figures need, summed over rows (rollup and live alike)."""

    acknowledge: np.ndarray = field(default_factory=lambda: np.zeros(BINS, dtype=np.int64))
    resolve: np.ndarray = field(default_factory=lambda: np.zeros(BINS, dtype=np.int64))
    decided: int = 0
    declined: int = 0
    promises: dict[str, list[int]] = field(default_factory=dict)  # key -> [met, decided]

    def add_promise(self, key: str, met: int, n: int) -> None:
        total = self.promises.setdefault(key, [0, 0])
        total[0] += met
        total[1] += n


def process_counts(filters: AnalysisFilters, where: Slice) -> ProcessCounts:
    """The slice's part of the process figures over the period (one statement)."""
    out = ProcessCounts()
    rows = list(
        _rows(filters, where)
        .filter(dimension="")
        .values_list("ack_hours", "resolve_hours", "decided", "declined", "promises")
    )
    if not rows:
        return out
    out.acknowledge = decode_sum(r[0] for r in rows)
    out.resolve = decode_sum(r[1] for r in rows)
    out.decided = sum(r[2] for r in rows)
    out.declined = sum(r[3] for r in rows)
    for r in rows:
        for key, (met, n) in (r[4] or {}).items():
            out.add_promise(key, met, n)
    return out


def _cases(filters: AnalysisFilters) -> QuerySet[AnalysisCase]:
    """The rollup's rows per complaint over the period that match every filter set."""
    q = Q(month__gte=filters.start, month__lte=filters.end)
    for name in SCOPES:
        value = getattr(filters, name)
        if value not in (None, ""):
            q &= Q(**{name: value})
    return AnalysisCase.objects.filter(q)


def case_counts(filters: AnalysisFilters) -> list[tuple[dt.date, str, str, int]]:
    """What ``slice_counts`` gives, for any filters at once: (month, dimension, value,
    complaints), the month totals (dimension empty) and the Pareto rows, from one grouped
    statement over the rows per complaint."""
    rows = (
        _cases(filters).values_list("month", *PARETO).annotate(n=Count("complaint_id")).order_by()
    )
    out: dict[tuple[dt.date, str, str], int] = {}
    for month, *values, n in rows:
        out[month, "", ""] = out.get((month, "", ""), 0) + n
        for dimension, value in zip(PARETO, values, strict=True):
            key = (month, dimension, "" if value is None else str(value))
            out[key] = out.get(key, 0) + n
    return [(month, dimension, value, n) for (month, dimension, value), n in out.items()]


def case_process_counts(filters: AnalysisFilters) -> ProcessCounts:
    """What ``process_counts`` gives, for any filters at once, from the rows per complaint in
    one grouped statement: the rows that share their hours to acknowledge and to resolve, their
    decision and their promise checks counted together (one row per distinct combination, at most
    one per complaint), folded into the decisions, the two hour histograms and the promises."""
    rows = (
        _cases(filters)
        .values_list("ack_hours", "resolve_hours", "decided", "declined", "promises")
        .annotate(n=Count("complaint_id"))
        .order_by()
    )
    out = ProcessCounts()
    ack: list[tuple[int, int]] = []
    resolve: list[tuple[int, int]] = []
    for ack_hours, resolve_hours, decided, declined, promises, n in rows:
        if ack_hours is not None:
            ack.append((ack_hours, n))
        if resolve_hours is not None:
            resolve.append((resolve_hours, n))
        out.decided += n if decided else 0
        out.declined += n if declined else 0
        for key, (met, checks) in (promises or {}).items():
            out.add_promise(key, met * n, checks * n)
    out.acknowledge, out.resolve = histogram(ack), histogram(resolve)
    return out
