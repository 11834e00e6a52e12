"""Reads of the analysis page: the complaints of a period counted by month, category, root cause,
product and channel — from the monthly rollup (``plaint.improvement.rollup``) up to its watermark
and from the complaints received since — from which the Pareto tables and the monthly counts are
summed in memory, and the months' order volumes for the complaint rate.

Each grouped query has one row per combination that occurs, so its size follows the variety of
the data, not its volume; the live one reads the received_at index for the minutes since the
watermark."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.db.models.functions import TruncMonth

from plaint.accounts.access import Reader
from plaint.complaints.models import Category, Complaint, RootCause
from plaint.complaints.visibility import visibility_narrows, visible_complaints
from plaint.core import spc
from plaint.improvement import rollup
from plaint.improvement.models import (
    ClusterMember,
    ClusterRun,
    RecurringCluster,
)
from plaint.insights.models import PeriodVolume
from plaint.insights.selectors.filters import add_months, months_between

DIMENSIONS = ("category", "cause", "product", "channel")


@dataclass(frozen=True)
class AnalysisFilters:
    start: dt.date  # first month
    end: dt.date  # last month, inclusive
    category: int | None = None
    product: str = ""
    channel: str = ""
    team: int | None = None
    segment: str = ""

    def query(self) -> Q:
        t0 = dt.datetime.combine(self.start, dt.time(), tzinfo=dt.UTC)
        t1 = dt.datetime.combine(add_months(self.end, 1), dt.time(), tzinfo=dt.UTC)
        return Q(received_at__gte=t0, received_at__lt=t1) & self.attributes()

    def attributes(self) -> Q:
        """Every filter but the period (what the complaints open now are selected by)."""
        q = Q()
        if self.category is not None:
            q &= Q(category_id=self.category)
        if self.product:
            q &= Q(product=self.product)
        if self.channel:
            q &= Q(channel=self.channel)
        if self.team is not None:
            q &= Q(team_id=self.team)
        if self.segment:
            q &= Q(segment=self.segment)
        return q


@dataclass
class Analysis:
    filters: AnalysisFilters
    months: list[dt.date]
    received: list[int]
    total: int
    pareto: dict[str, list[tuple[str, int, float, float]]] = field(default_factory=dict)
    orders: list[int | None] = field(default_factory=list)
    chart: spc.ControlChart | None = None
    per_thousand: bool = False
    refreshed_at: dt.datetime | None = None  # the rollup's watermark; None: all computed live


def complaint_analysis(filters: AnalysisFilters) -> Analysis:
    """The period's complaints counted per month and per category, cause, product and channel,
    the Pareto of each dimension, and the control chart of the monthly rate: a u-chart of
    complaints per 1,000 orders when the months' orders are known, else a c-chart of counts.

    The counts come from the monthly rollup (``plaint.improvement.rollup``) for what was received
    before its watermark — the slice for no filter or one, the rows per complaint for two or more
    — and from the complaints for what came since; without a rollup, all from the complaints.
    Either way, the same numbers."""
    months = months_between(filters.start, filters.end)
    index = {m: i for i, m in enumerate(months)}
    received = np.zeros(len(months), dtype=np.int64)
    counters: dict[str, Counter[str]] = {d: Counter() for d in DIMENSIONS}
    current = rollup.rollup_get()
    where = None if current is None else rollup.scope_of(filters)
    live = filters.query()
    if current is not None:
        rolled = (
            rollup.case_counts(filters) if where is None else rollup.slice_counts(filters, where)
        )
        _add_slice(rolled, index, received, counters)
        live &= Q(received_at__gte=current.refreshed_at)
    rows = (
        Complaint.objects.filter(live)
        .annotate(month=TruncMonth("received_at", tzinfo=dt.UTC))
        .values("month", "category__name", "cause__name", "product", "channel")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        i = index.get(row["month"].date())
        if i is None:
            continue
        received[i] += row["n"]
        counters["category"][row["category__name"] or ""] += row["n"]
        counters["cause"][row["cause__name"] or ""] += row["n"]
        counters["product"][row["product"] or ""] += row["n"]
        counters["channel"][row["channel"]] += row["n"]
    result = Analysis(
        filters=filters,
        months=months,
        received=[int(x) for x in received],
        total=int(received.sum()),
        pareto={d: spc.pareto(list(c.items())) for d, c in counters.items()},
        refreshed_at=None if current is None else current.refreshed_at,
    )
    _rate_chart(result, received)
    return result


def _add_slice(
    rows: list[tuple[dt.date, str, str, int]],
    index: dict[dt.date, int],
    received: np.ndarray,
    counters: dict[str, Counter[str]],
) -> None:
    """Add the rollup slice's rows: totals per month, Pareto counts by name (category ids and
    cause codes named as the live query names them)."""
    names: dict[str, dict[str, str]] = {}
    if rows:
        names["category"] = {str(pk): n for pk, n in Category.objects.values_list("pk", "name")}
        names["cause"] = dict(RootCause.objects.values_list("code", "name"))
    for month, dimension, value, n in rows:
        i = index.get(month)
        if i is None:
            continue
        if not dimension:
            received[i] += n
        elif value and dimension in names:
            counters[dimension][names[dimension].get(value, value)] += n
        else:
            counters[dimension][value] += n


def _rate_chart(result: Analysis, received: np.ndarray) -> None:
    volumes = dict(
        PeriodVolume.objects.filter(
            month__gte=result.filters.start, month__lte=result.filters.end, orders__gt=0
        ).values_list("month", "orders")
    )
    result.orders = [volumes.get(m) for m in result.months]
    if not result.total:
        return
    if volumes:
        units = np.array([(o or 0) / 1000.0 for o in result.orders])
        counts = np.where(units > 0, received, 0)
        result.chart = spc.u_chart(counts, units)
        result.per_thousand = True
    else:
        result.chart = spc.u_chart(received, np.ones(len(received)))  # a c-chart


MEMBERS_SHOWN = 20


@dataclass
class Clusters:
    run: ClusterRun | None
    clusters: Sequence[RecurringCluster]


def latest_clusters(user: Reader) -> Clusters:
    """The clusters of the latest finished detection run, largest first, each with its newest
    ``MEMBERS_SHOWN`` members the user may read (a sliced prefetch: one statement for all
    clusters). Where who-sees-what narrows the cases, a cluster shows only readable members, is
    named after the newest of them, and one with none is left out; its size stays the count."""
    run = ClusterRun.objects.filter(finished_at__isnull=False).order_by("-finished_at").first()
    if run is None:
        return Clusters(None, [])
    members = (
        ClusterMember.objects.select_related("complaint")
        .only(
            "cluster_id",
            "complaint__reference",
            "complaint__subject",
            "complaint__received_at",
            "complaint__state",
        )
        .order_by("-complaint__received_at")
    )
    clusters_qs = RecurringCluster.objects.filter(run=run).select_related("category")
    narrowed = visibility_narrows()
    if narrowed:
        readable = visible_complaints(user).values("pk")
        members = members.filter(complaint_id__in=readable)
        clusters_qs = clusters_qs.filter(
            Exists(ClusterMember.objects.filter(cluster=OuterRef("pk"), complaint_id__in=readable))
        )
    clusters = list(
        clusters_qs.prefetch_related(
            Prefetch("memberships", queryset=members[:MEMBERS_SHOWN], to_attr="shown")
        )
    )
    if narrowed:
        for cluster in clusters:
            shown = getattr(cluster, "shown", [])
            if shown:
                cluster.label = shown[0].complaint.subject or cluster.label
    return Clusters(run, clusters)


def root_cause_tree() -> list[tuple[RootCause, list[RootCause]]]:
    """The taxonomy as broad causes with the causes under them, by name (one statement)."""
    causes = list(RootCause.objects.order_by("name"))
    children: dict[int, list[RootCause]] = {}
    for cause in causes:
        if cause.parent_id is not None:
            children.setdefault(cause.parent_id, []).append(cause)
    return [(c, children.get(c.pk, [])) for c in causes if c.parent_id is None]
