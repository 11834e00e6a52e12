"""How the handling process performs over the analysis page's filters (ISO 10002 8.4):
times to acknowledge and to resolve as distributions (p50 and p90 with distribution-free
intervals), the share of decisions the complainant did not accept (reopened for internal review),
the share of each promise kept, and — as of now — the backlog by age and the open load per team
and per handler.

Each figure is one statement over the complaints the filters select; durations are read as two
timestamps per complaint, so their percentiles are exact."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import get_language

from plaint.complaints.models import Complaint
from plaint.complaints.states import OPEN, Step
from plaint.core import stats
from plaint.core.models import AuditEvent
from plaint.core.quantiles import Quantile, quantile_interval
from plaint.improvement.selectors import AnalysisFilters
from plaint.promises.models import Promise, PromiseCheck, text_in
from plaint.promises.states import CheckStatus

DAY_SECONDS = 86_400.0
AGE_BANDS = (7, 14, 30, 60)  # days: 0-7, 8-14, 15-30, 31-60, over 60


@dataclass
class Share:
    key: str
    label: str
    successes: int
    n: int
    low: float | None = None
    high: float | None = None

    @property
    def value(self) -> float | None:
        return self.successes / self.n if self.n else None


@dataclass
class Process:
    acknowledge: list[Quantile]  # p50, p90 in days
    resolve: list[Quantile]
    reopened: Share
    promises: list[Share] = field(default_factory=list)
    backlog: list[tuple[str, int]] = field(default_factory=list)  # (band, open complaints)
    teams: list[tuple[str, int]] = field(default_factory=list)  # (team, open complaints)
    handlers: list[tuple[str, int]] = field(default_factory=list)


def _days(pairs: Iterable[tuple[dt.datetime, dt.datetime | None]]) -> np.ndarray:
    """Days from each first moment to its second (pairs without a second are left out)."""
    return np.array(
        [(b - a).total_seconds() / DAY_SECONDS for a, b in pairs if b is not None], dtype=float
    )


def _quantiles(values: np.ndarray) -> list[Quantile]:
    return [quantile_interval(values, 0.5), quantile_interval(values, 0.9)]


def _with_interval(share: Share) -> Share:
    if share.n:
        share.low, share.high = stats.wilson_interval(share.successes, share.n)
    return share


def process_figures(filters: AnalysisFilters, now: dt.datetime | None = None) -> Process:
    """The process figures for the complaints received in the filters' period (durations, reopen
    rate, promises) and for those open now (backlog and load), other filters alike."""
    now = now or timezone.now()
    received = Complaint.objects.filter(filters.query())
    ack = _days(
        received.filter(acknowledged_at__isnull=False).values_list("received_at", "acknowledged_at")
    )
    res = _days(received.filter(closed_at__isnull=False).values_list("received_at", "closed_at"))
    declined = AuditEvent.objects.filter(
        case_type="complaint", case_id=OuterRef("pk"), action=Step.DECLINE_DECISION
    )
    counts = received.filter(decision_at__isnull=False).aggregate(
        n=Count("id"), declined=Count("id", filter=Q(Exists(declined)))
    )
    return Process(
        acknowledge=_quantiles(ack),
        resolve=_quantiles(res),
        reopened=_with_interval(Share("reopened", "", counts["declined"], counts["n"])),
        promises=_promise_shares(filters),
        **_open_load(filters, now),
    )


def _promise_shares(filters: AnalysisFilters) -> list[Share]:
    """Each promise's kept share over the period's complaints whose check is decided."""
    rows = (
        PromiseCheck.objects.filter(
            complaint__in=Complaint.objects.filter(filters.query()).values("pk"),
            status__in=(CheckStatus.MET, CheckStatus.BREACHED),
        )
        .values("promise__key")
        .annotate(n=Count("id"), met=Count("id", filter=Q(status=CheckStatus.MET)))
        .order_by("promise__key")
    )
    shares = [_with_interval(Share(r["promise__key"], "", r["met"], r["n"])) for r in rows]
    if shares:
        texts: dict[str, dict] = {}
        for key, t in (
            Promise.objects.filter(key__in=[s.key for s in shares])
            .order_by("key", "-code__version")
            .values_list("key", "texts")
        ):
            texts.setdefault(key, t)  # the newest version's words
        for share in shares:
            share.label = text_in(texts.get(share.key) or {}, get_language() or "en") or share.key
    return shares


def _open_load(filters: AnalysisFilters, now: dt.datetime) -> dict:
    """The complaints open now that match the filters other than the period: how old they are,
    and how they are spread over teams and handlers."""
    scope = Complaint.objects.filter(filters.attributes(), state__in=list(OPEN))
    edges = [now - dt.timedelta(days=d) for d in AGE_BANDS]
    aggregates = {
        f"b{i}": Count(
            "id",
            filter=Q(received_at__gt=edges[i])
            & (Q() if i == 0 else Q(received_at__lte=edges[i - 1])),
        )
        for i in range(len(edges))
    }
    aggregates["older"] = Count("id", filter=Q(received_at__lte=edges[-1]))
    totals = scope.aggregate(**aggregates)
    labels = _band_labels()
    backlog = [(labels[i], totals[f"b{i}"]) for i in range(len(edges))]
    backlog.append((labels[-1], totals["older"]))
    teams = [
        (r["team__name"] or "", r["n"])
        for r in scope.values("team__name").annotate(n=Count("id")).order_by("-n", "team__name")
    ]
    handlers = [
        (r["assignee__username"] or "", r["n"])
        for r in scope.values("assignee__username")
        .annotate(n=Count("id"))
        .order_by("-n", "assignee__username")
    ]
    return {"backlog": backlog, "teams": teams, "handlers": handlers}


def _band_labels() -> list[str]:
    edges = (0, *AGE_BANDS)
    out = [f"{a + (1 if a else 0)}-{b}" for a, b in itertools.pairwise(edges)]
    return [*out, f">{AGE_BANDS[-1]}"]
