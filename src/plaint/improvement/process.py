"""How the handling process performs over the analysis page's filters (ISO 10002 8.4):
times to acknowledge and to resolve as distributions (p50 and p90 with distribution-free
intervals), the share of decisions the complainant did not accept (reopened for internal review),
the share of each promise kept, and — as of now — the backlog by age and the open load per team
and per handler.

The period's figures come from the monthly rollup up to its watermark and from the complaints
received since (``plaint.improvement.rollup``: durations binned, within 1 % of the exact value);
the figures of the cases open now are one grouped statement over the open complaints."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import get_language

from plaint.complaints.models import Complaint
from plaint.complaints.states import OPEN, Step
from plaint.core import stats
from plaint.core.locales import text_in
from plaint.core.models import AuditEvent
from plaint.core.quantiles import Quantile, quantile_from_counts
from plaint.improvement import rollup, sql
from plaint.improvement.selectors import AnalysisFilters
from plaint.promises.models import Promise, PromiseCheck
from plaint.promises.states import CheckStatus

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


def _hour_counts(complaints: QuerySet[Complaint], end: str) -> list[tuple[int, int]]:
    """(whole hours from receipt to ``end``, complaints) pairs: the database counts the
    complaints per whole hour (one row per distinct hour, however many complaints)."""
    rows = (
        complaints.filter(**{f"{end}__isnull": False})
        # column names from the model (``end`` is one of two literals above): no input in the SQL
        .annotate(hours=RawSQL(sql.whole_hours_between("received_at", end), ()))  # noqa: S611
        .values("hours")
        .annotate(n=Count("id"))
        .order_by("hours")
    )
    return [(r["hours"], r["n"]) for r in rows]


def _exact_quantiles(pairs: list[tuple[int, int]]) -> list[Quantile]:
    """p50 and p90 in days, exact to the hour, from (hours, count) pairs."""
    days = np.array([h for h, _n in pairs], dtype=float) / 24.0
    counts = np.array([n for _h, n in pairs], dtype=np.int64)
    return [quantile_from_counts(days, counts, 0.5), quantile_from_counts(days, counts, 0.9)]


def _with_interval(share: Share) -> Share:
    if share.n:
        share.low, share.high = stats.wilson_interval(share.successes, share.n)
    return share


def process_figures(filters: AnalysisFilters, now: dt.datetime | None = None) -> Process:
    """The process figures for the complaints received in the filters' period (durations, reopen
    rate, promises) and for those open now (backlog and load), other filters alike.

    Durations, decisions and promises come from the monthly rollup up to its watermark (the
    slice's totals for no filter or one, the rows per complaint for two or more) plus the
    complaints received since (durations then binned: within ``rollup.RELATIVE_ERROR`` of the
    exact figures, ``plaint.improvement.rollup``); without a rollup, all from the complaints
    (durations exact to the hour). The backlog and load are read from the complaints open now."""
    now = now or timezone.now()
    current = rollup.rollup_get()
    where = None if current is None else rollup.scope_of(filters)
    live = filters.query()
    totals = rollup.ProcessCounts()
    if current is not None:
        totals = (
            rollup.case_process_counts(filters)
            if where is None
            else rollup.process_counts(filters, where)
        )
        live &= Q(received_at__gte=current.refreshed_at)
    received = Complaint.objects.filter(live)
    counts = received.filter(decision_at__isnull=False).aggregate(
        n=Count("id"), declined=Count("id", filter=Q(_declined()))
    )
    totals.decided += counts["n"]
    totals.declined += counts["declined"]
    for key, met, n in _live_promise_counts(live):
        totals.add_promise(key, met, n)
    ack, resolve = _hour_counts(received, "acknowledged_at"), _hour_counts(received, "closed_at")
    if current is None:
        acknowledge, resolved = _exact_quantiles(ack), _exact_quantiles(resolve)
    else:
        acknowledge = rollup.binned_quantiles(totals.acknowledge + rollup.histogram(ack))
        resolved = rollup.binned_quantiles(totals.resolve + rollup.histogram(resolve))
    return Process(
        acknowledge=acknowledge,
        resolve=resolved,
        reopened=_with_interval(Share("reopened", "", totals.declined, totals.decided)),
        promises=_promise_shares(totals.promises),
        **_open_load(filters, now),
    )


def _declined() -> Exists:
    return Exists(
        AuditEvent.objects.filter(
            case_type="complaint", case_id=OuterRef("pk"), action=Step.DECLINE_DECISION
        )
    )


def _live_promise_counts(live: Q) -> list[tuple[str, int, int]]:
    """(promise key, met, decided) over the decided checks of the complaints ``live`` selects."""
    return list(
        PromiseCheck.objects.filter(
            complaint__in=Complaint.objects.filter(live).values("pk"),
            status__in=(CheckStatus.MET, CheckStatus.BREACHED),
        )
        .values_list("promise__key")
        .annotate(met=Count("id", filter=Q(status=CheckStatus.MET)), n=Count("id"))
        .order_by()
    )


def _promise_shares(counts: dict[str, list[int]]) -> list[Share]:
    """Each promise's kept share, by key, labelled in the active language."""
    shares = [
        _with_interval(Share(key, "", met, n)) for key, (met, n) in sorted(counts.items()) if n
    ]
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
    and how they are spread over teams and handlers (one grouped statement for all three)."""
    edges = [now - dt.timedelta(days=d) for d in AGE_BANDS]
    band = Case(
        *[When(received_at__gt=edge, then=Value(i)) for i, edge in enumerate(edges)],
        default=Value(len(edges)),
        output_field=IntegerField(),
    )
    # count(*), not of ids: every column read is in complaint_open_load_idx (index-only scan)
    rows = (
        Complaint.objects.filter(filters.attributes(), state__in=sorted(OPEN))
        .annotate(band=band)
        .values("band", "team__name", "assignee__username")
        .annotate(n=Count("*"))
        .order_by()
    )
    ages: Counter[int] = Counter()
    teams: Counter[str] = Counter()
    handlers: Counter[str] = Counter()
    for r in rows:
        ages[r["band"]] += r["n"]
        teams[r["team__name"] or ""] += r["n"]
        handlers[r["assignee__username"] or ""] += r["n"]
    labels = _band_labels()
    return {
        "backlog": [(labels[i], ages[i]) for i in range(len(labels))],
        "teams": sorted(teams.items(), key=lambda kv: (-kv[1], kv[0])),
        "handlers": sorted(handlers.items(), key=lambda kv: (-kv[1], kv[0])),
    }


def _band_labels() -> list[str]:
    edges = (0, *AGE_BANDS)
    out = [f"{a + (1 if a else 0)}-{b}" for a, b in itertools.pairwise(edges)]
    return [*out, f">{AGE_BANDS[-1]}"]
