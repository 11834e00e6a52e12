"""The dispute reports (ISO 10003 clause 8: monitoring, evaluation and the annual report): for a
period, and optionally one provider or one method, the disputes by provider, method and outcome,
how long they took, what they cost, how many complaints became disputes, how many were upheld and
how the organisation complied with outcomes — each share with its Wilson interval, each duration
percentile with its distribution-free interval.

Every figure is an aggregate statement (a fixed number of statements whatever the number of
disputes: ``REPORT_STATEMENTS``). Organisation-wide counts that name no case: the caller applies
its own gate. Money is summed per currency, never across currencies."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.expressions import RawSQL

from plaint.complaints.models import Complaint
from plaint.core.quantiles import Quantile, quantile_from_counts
from plaint.core.stats import wilson_interval
from plaint.disputes.lifecycle import Outcome, State
from plaint.disputes.models import Dispute, Obligation, Provider, ProviderMethod
from plaint.disputes.selectors_reports import Compliance
from plaint.disputes.states import FeePayer

# Outcomes in the complainant's favour, among the decisions that can uphold (determinative ones)
UPHOLDING = frozenset({Outcome.UPHELD, Outcome.PARTLY_UPHELD})
DECIDING = frozenset({Outcome.UPHELD, Outcome.PARTLY_UPHELD, Outcome.NOT_UPHELD})
# Ends without an outcome: the dispute closed for another reason
EXITS = (State.WITHDRAWN, State.OUT_OF_SCOPE)
# received, ended, two histograms, the complaints (two), fees, obligations, providers
REPORT_STATEMENTS = 9


@dataclass(frozen=True)
class ReportFilters:
    """``start`` ≤ moment < ``end`` (aware datetimes); optionally one provider or one method."""

    start: dt.datetime
    end: dt.datetime
    provider: int | None = None
    method: str = ""

    def disputes(self) -> QuerySet[Dispute]:
        q = Dispute.objects.all()
        if self.provider is not None:
            q = q.filter(provider_id=self.provider)
        if self.method:
            q = q.filter(method=self.method)
        return q


@dataclass
class Share:
    """``successes`` of ``n``, with its 95 % Wilson interval (None when ``n`` is 0)."""

    successes: int
    n: int

    @property
    def value(self) -> float | None:
        return self.successes / self.n if self.n else None

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson_interval(self.successes, self.n) if self.n else None


@dataclass
class Group:
    """The disputes of one provider or one method: received in the period, ended in it, and of
    the determinative decisions given in it, how many upheld the complaint (fully or partly)."""

    key: str
    label: str
    received: int = 0
    ended: int = 0
    upheld: Share = field(default_factory=lambda: Share(0, 0))


@dataclass
class Fee:
    """Fees of the disputes received in the period, as the register states them, per payer and
    currency."""

    payer: str
    currency: str
    disputes: int
    total: Decimal


@dataclass
class Owed:
    """Money the outcomes ask of the organisation, due in the period, in one currency."""

    currency: str
    obligations: int
    total: Decimal
    done: Decimal


@dataclass
class DisputeReport:
    filters: ReportFilters
    received: int
    ended: int
    providers: list[Group]
    methods: list[Group]
    outcomes: list[tuple[str, int, int]]  # (outcome or exit state, disputes, binding on us)
    to_outcome: list[Quantile]  # p50, p90 in days from opening to the outcome
    to_close: list[Quantile]  # p50, p90 in days from opening to the close
    complaints: Share  # complaints received in the period that became disputes
    upheld: Share  # determinative decisions upholding the complaint, fully or partly
    compliance: Compliance
    fees: list[Fee]
    owed: list[Owed]

    @property
    def binding(self) -> int:
        return sum(b for _k, _n, b in self.outcomes)


def _ended(filters: ReportFilters) -> QuerySet[Dispute]:
    """Disputes that ended in the period: an outcome given in it, or (without an outcome)
    withdrawn or out of scope in it."""
    inside = Q(outcome_at__gte=filters.start, outcome_at__lt=filters.end)
    exited = Q(outcome="", state__in=EXITS, closed_at__gte=filters.start, closed_at__lt=filters.end)
    return filters.disputes().filter(inside | exited)


def whole_hours(start: str, end: str) -> str:
    """Completed hours from the Dispute column ``start`` to ``end`` (names from the model, never
    from input), as an integer SQL expression."""
    quote = connection.ops.quote_name
    table = quote(Dispute._meta.db_table)
    a, b = f"{table}.{quote(start)}", f"{table}.{quote(end)}"
    if connection.vendor == "postgresql":
        return f"FLOOR(EXTRACT(EPOCH FROM ({b} - {a})) / 3600)::integer"
    # julianday() is exact to about a millisecond: a whole hour must not come out as 23.9999…
    return f"CAST((julianday({b}) - julianday({a})) * 24 + 0.000001 AS INTEGER)"


def _durations(disputes: QuerySet[Dispute], end: str) -> list[Quantile]:
    """p50 and p90 in days (exact to the hour) from opening to ``end``: the database counts the
    disputes per whole hour, one row per distinct hour."""
    rows = (
        disputes.filter(**{f"{end}__isnull": False})
        # column names from the model (``end`` is one of two literals): no input in the SQL
        .annotate(hours=RawSQL(whole_hours("opened_at", end), ()))  # noqa: S611
        .values("hours")
        .annotate(n=Count("id"))
        .order_by("hours")
    )
    pairs = [(max(0, r["hours"]), r["n"]) for r in rows]
    days = np.array([h for h, _n in pairs], dtype=float) / 24.0
    counts = np.array([n for _h, n in pairs], dtype=np.int64)
    return [quantile_from_counts(days, counts, 0.5), quantile_from_counts(days, counts, 0.9)]


def _complaints(filters: ReportFilters) -> Share:
    """Complaints received in the period, and how many of them went to a dispute (of the chosen
    provider or method)."""
    received = Complaint.objects.filter(
        received_at__gte=filters.start, received_at__lt=filters.end
    ).count()
    disputed = (
        filters.disputes()
        .filter(complaint__received_at__gte=filters.start, complaint__received_at__lt=filters.end)
        .aggregate(n=Count("complaint_id", distinct=True))["n"]
    )
    return Share(min(disputed, received), received)


def _obligations(filters: ReportFilters, today: dt.date) -> tuple[Compliance, list[Owed]]:
    """Compliance with the obligations due in the period and the money they owe, per currency
    (one grouped statement)."""
    due = Obligation.objects.filter(due_on__gte=filters.start.date(), due_on__lt=filters.end.date())
    if filters.provider is not None:
        due = due.filter(dispute__provider_id=filters.provider)
    if filters.method:
        due = due.filter(dispute__method=filters.method)
    rows = (
        due.values("currency")
        .annotate(
            n=Count("id"),
            on_time=Count("id", filter=Q(done_at__date__lte=F("due_on"))),
            late=Count("id", filter=Q(done_at__date__gt=F("due_on"))),
            open_overdue=Count("id", filter=Q(done_at=None, due_on__lt=today)),
            with_amount=Count("id", filter=Q(amount__isnull=False)),
            total=Sum("amount"),
            done=Sum("amount", filter=Q(done_at__isnull=False)),
        )
        .order_by("currency")
    )
    compliance, owed = Compliance(0, 0, 0, 0), []
    for r in rows:
        compliance.due += r["n"]
        compliance.on_time += r["on_time"]
        compliance.late += r["late"]
        compliance.open_overdue += r["open_overdue"]
        if r["currency"] and r["with_amount"]:
            owed.append(
                Owed(
                    r["currency"],
                    r["with_amount"],
                    r["total"] or Decimal(0),
                    r["done"] or Decimal(0),
                )
            )
    return compliance, owed


def _fees(received: dict[tuple[int, str], int]) -> list[Fee]:
    """The register's fee of each provider's method times the disputes received under it, per
    payer and currency (free methods left out)."""
    totals: dict[tuple[str, str], list] = defaultdict(lambda: [0, Decimal(0)])
    paying = ProviderMethod.objects.filter(fee__gt=0).exclude(fee_payer=FeePayer.NONE)
    for m in paying.values("provider_id", "method", "fee", "currency", "fee_payer"):
        n = received.get((m["provider_id"], m["method"]), 0)
        if n:
            entry = totals[m["fee_payer"], m["currency"]]
            entry[0] += n
            entry[1] += n * m["fee"]
    order = {p: i for i, p in enumerate(FeePayer.values)}
    return [
        Fee(payer, currency, n, total)
        for (payer, currency), (n, total) in sorted(
            totals.items(), key=lambda kv: (order[kv[0][0]], kv[0][1])
        )
    ]


def _groups(
    received: dict[tuple[int, str], int], ended: list[dict], key: str, labels: dict
) -> list[Group]:
    """Groups by ``key`` (``provider_id`` or ``method``): the most received first."""
    groups: dict = {}

    def group(k: object) -> Group:
        if k not in groups:
            groups[k] = Group(str(k), str(labels.get(k, k)))
        return groups[k]

    for (provider_id, method), n in received.items():
        group(provider_id if key == "provider_id" else method).received += n
    for row in ended:
        g = group(row[key])
        g.ended += row["n"]
        if row["outcome"] in DECIDING:
            g.upheld.n += row["n"]
            g.upheld.successes += row["n"] if row["outcome"] in UPHOLDING else 0
    return sorted(groups.values(), key=lambda g: (-g.received, -g.ended, g.label))


def _outcomes(ended: list[dict]) -> list[tuple[str, int, int]]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in ended:
        entry = counts[row["outcome"] or row["state"]]
        entry[0] += row["n"]
        entry[1] += row["binding"] if row["outcome"] else 0  # an exit binds no one
    return sorted(((k, n, b) for k, (n, b) in counts.items()), key=lambda t: (-t[1], t[0]))


def dispute_report(filters: ReportFilters, *, today: dt.date) -> DisputeReport:
    """Every figure of the dispute reports for ``filters`` (``REPORT_STATEMENTS`` statements)."""
    start, end = filters.start, filters.end
    received_rows = (
        filters.disputes()
        .filter(opened_at__gte=start, opened_at__lt=end)
        .values("provider_id", "method")
        .annotate(n=Count("id"))
        .order_by()
    )
    received = {(r["provider_id"], r["method"]): r["n"] for r in received_rows}
    ended = list(
        _ended(filters)
        .values("provider_id", "method", "outcome", "state")
        .annotate(n=Count("id"), binding=Count("id", filter=Q(binding_on_organisation=True)))
        .order_by()
    )
    ids = {p for p, _m in received} | {r["provider_id"] for r in ended}
    names = dict(Provider.objects.filter(pk__in=ids).values_list("pk", "name"))
    providers = _groups(received, ended, "provider_id", names)
    methods = _groups(received, ended, "method", {})  # labelled (translated) when shown
    decided = [r for r in ended if r["outcome"] in DECIDING]
    compliance, owed = _obligations(filters, today)
    return DisputeReport(
        filters=filters,
        received=sum(received.values()),
        ended=sum(r["n"] for r in ended),
        providers=providers,
        methods=methods,
        outcomes=_outcomes(ended),
        to_outcome=_durations(
            filters.disputes().filter(outcome_at__gte=start, outcome_at__lt=end), "outcome_at"
        ),
        to_close=_durations(
            filters.disputes().filter(closed_at__gte=start, closed_at__lt=end), "closed_at"
        ),
        complaints=_complaints(filters),
        upheld=Share(
            sum(r["n"] for r in decided if r["outcome"] in UPHOLDING), sum(r["n"] for r in decided)
        ),
        compliance=compliance,
        fees=_fees(received),
        owed=owed,
    )
