"""Reads of the regulatory returns: the complaints a return covers, its rows (a generator: a file
of a million complaints costs the memory of one row and one statement), the mapping as data and
the warnings shown before an export (values without a code, cases the reader may not see).

A return covers the complaints *active in the period*: received before its end and without a final
response before its start. The final response is the decision's time, or the closing time of a
case closed without one (withdrawn, out of scope). Only the cases the reader may read are in it
(``complaints.visibility``): managers, auditors and admins read every team's cases; a restricted
category's cases only its named readers — the warnings say how many are left out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    Count,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from plaint.accounts.access import Reader
from plaint.complaints.models import MONEY_REMEDIES, Channel, Complaint, Remedy, RemedyKind
from plaint.complaints.visibility import visible_complaints
from plaint.core.calendars import Calendar, Unit, deadline
from plaint.improvement.models_returns import ANY_VALUE, ReturnFormat, ReturnMapping, SourceKind
from plaint.improvement.returns_formats import KINDS, REMEDY_RANK, Outcome, Period, outcome_of

Rows = Generator[list[Any], None, None]  # a file's rows, one at a time
CHUNK = 2000  # rows fetched at a time from the one statement
UPHELD = "upheld"  # the half-yearly return's outcome code that counts a complaint as upheld
NOT_UPHELD = "not_upheld"

# The complaint's field each kind of value is read from (outcome and remedy are derived).
FIELDS = {
    SourceKind.PRODUCT: "product",
    SourceKind.CATEGORY: "category__code",
    SourceKind.ROOT_CAUSE: "cause_id",
    SourceKind.CHANNEL: "channel",
    SourceKind.SEGMENT: "segment",
}


@dataclass(frozen=True)
class Mappings:
    """A format's mapping, read once: ``code`` gives a value's code, the kind's default
    (``ANY_VALUE``) when the value has no row of its own, or ``None`` when neither exists."""

    report: str
    codes: dict[tuple[str, str], str]

    def code(self, kind: str, source: str) -> str | None:
        found = self.codes.get((kind, source))
        return self.codes.get((kind, ANY_VALUE)) if found is None else found


def mappings_load(report: str) -> Mappings:
    rows = ReturnMapping.objects.filter(report=report).values_list("kind", "source", "target")
    return Mappings(report, {(k, s): t for k, s, t in rows})


def mapping_list(report: str) -> list[ReturnMapping]:
    return list(ReturnMapping.objects.filter(report=report).order_by("kind", "source"))


def _active(actor: Reader | None, period: Period) -> QuerySet[Complaint]:
    """The complaints active in ``period`` that ``actor`` reads (``None``: all, to count)."""
    resolved = Coalesce("decision_at", "closed_at")
    base = Complaint.objects.all() if actor is None else visible_complaints(actor)
    return (
        base.annotate(resolved_at=resolved)
        .filter(received_at__lt=period.end)
        .filter(Q(resolved_at__isnull=True) | Q(resolved_at__gte=period.start))
    )


def _with_remedies(qs: QuerySet[Complaint]) -> QuerySet[Complaint]:
    """The strongest remedy of the latest proposal and its money, as columns of the same row
    (correlated subqueries: no statement per complaint)."""
    current = Remedy.objects.filter(complaint=OuterRef("pk"), superseded_at__isnull=True)
    rank = Case(
        *[When(kind=kind, then=Value(i)) for i, kind in enumerate(REMEDY_RANK)], default=Value(99)
    )
    money = current.filter(kind__in=MONEY_REMEDIES, amount__isnull=False).order_by()
    return qs.annotate(
        remedy_kind=Subquery(current.annotate(rank=rank).order_by("rank", "pk").values("kind")[:1]),
        money=Subquery(money.values("complaint").annotate(s=Sum("amount")).values("s")[:1]),
        currency_low=Subquery(
            money.values("complaint").annotate(c=Min("currency")).values("c")[:1]
        ),
        currency_high=Subquery(
            money.values("complaint").annotate(c=Max("currency")).values("c")[:1]
        ),
    )


ROW_FIELDS = (
    "pk",
    "reference",
    "received_at",
    "resolved_at",
    "response_due_at",
    "product",
    "category__code",
    "cause_id",
    "channel",
    "segment",
    "state",
    "closure_reason",
    "remedy_kind",
    "money",
    "currency_low",
    "currency_high",
)


CENT = Decimal("0.01")


def _rows(actor: Reader, period: Period) -> Iterator[dict[str, Any]]:
    qs = _with_remedies(_active(actor, period)).order_by("received_at", "pk")
    for row in qs.values(*ROW_FIELDS).iterator(chunk_size=CHUNK):
        if row["money"] is not None:  # SQLite sums decimals as floats: back to cents
            row["money"] = Decimal(row["money"]).quantize(CENT)
        yield row


def _resolved_by_end(row: dict[str, Any], period: Period) -> dt.datetime | None:
    """The final response's time when it came before the period's end (else the case was open
    at the end, and the file says so)."""
    resolved = row["resolved_at"]
    return resolved if resolved is not None and resolved < period.end else None


def _outcome(row: dict[str, Any], resolved: dt.datetime | None) -> str:
    return outcome_of(
        resolved=resolved is not None,
        state=row["state"],
        closure_reason=row["closure_reason"],
        strongest_remedy=row["remedy_kind"],
    )


def _currency(row: dict[str, Any]) -> str:
    low, high = row["currency_low"] or "", row["currency_high"] or ""
    return low if low == high else f"{low} {high}".strip()


def idr_rows(*, actor: Reader, period: Period, mappings: Mappings) -> Rows:
    """The per-complaint IDR data file's rows, in the order of ``IDR_COLUMNS``, oldest first."""
    zone = period.start.tzinfo
    for row in _rows(actor, period):
        resolved = _resolved_by_end(row, period)
        received = row["received_at"].astimezone(zone).date()
        closed = resolved.astimezone(zone).date() if resolved else None
        outcome = _outcome(row, resolved)
        cause = row["cause_id"]
        # what was given counts once the final response is in, as the outcome does
        remedy, money = (row["remedy_kind"], row["money"]) if resolved else (None, None)
        yield [
            row["reference"],
            received,
            closed,
            "closed" if resolved else "open",
            mappings.code(SourceKind.SEGMENT, row["segment"]) or "",
            mappings.code(SourceKind.CHANNEL, row["channel"]) or "",
            mappings.code(SourceKind.PRODUCT, row["product"]) or "",
            mappings.code(SourceKind.CATEGORY, row["category__code"] or "") or "",
            (mappings.code(SourceKind.ROOT_CAUSE, cause) or "") if cause else "",
            (mappings.code(SourceKind.OUTCOME, outcome) or "") if outcome else "",
            (mappings.code(SourceKind.REMEDY, row["remedy_kind"]) or "") if remedy else "",
            money,
            _currency(row) if money is not None else "",
            (closed - received).days if closed else None,
            row["response_due_at"].astimezone(zone).date(),
            ("Y" if resolved <= row["response_due_at"] else "N") if resolved else "",
        ]


@dataclass
class _Group:
    opened: int = 0
    closed: int = 0
    within_3_days: int = 0
    within_limit: int = 0
    after_limit: int = 0
    upheld: int = 0
    redress: Decimal = Decimal(0)
    open_at_end: int = 0

    def as_cells(self) -> list[Any]:
        return [
            self.opened,
            self.closed,
            self.within_3_days,
            self.within_limit,
            self.after_limit,
            self.upheld,
            self.redress,
            self.open_at_end,
        ]


def _count_closed(
    group: _Group,
    row: dict[str, Any],
    resolved: dt.datetime,
    mappings: Mappings,
    calendar: Calendar,
) -> None:
    group.closed += 1
    three_days = deadline(calendar, row["received_at"], 3, Unit.BUSINESS_DAYS)
    if three_days is not None and resolved <= three_days:
        group.within_3_days += 1
    elif resolved <= row["response_due_at"]:
        group.within_limit += 1
    else:
        group.after_limit += 1
    if mappings.code(SourceKind.OUTCOME, _outcome(row, resolved)) == UPHELD:
        group.upheld += 1
    group.redress += row["money"] or 0


def half_yearly_rows(
    *, actor: Reader, period: Period, mappings: Mappings, calendar: Calendar
) -> Rows:
    """The half-yearly complaints return's rows (``HALF_YEARLY_COLUMNS``): one per product group
    and cause category, summed while the complaints are read (memory: one row per group). A value
    without a code counts under an empty code, never dropped."""
    groups: dict[tuple[str, str], _Group] = {}
    for row in _rows(actor, period):
        key = (
            mappings.code(SourceKind.PRODUCT, row["product"]) or "",
            mappings.code(SourceKind.CATEGORY, row["category__code"] or "") or "",
        )
        group = groups.setdefault(key, _Group())
        if row["received_at"] >= period.start:
            group.opened += 1
        resolved = _resolved_by_end(row, period)
        if resolved is None:
            group.open_at_end += 1
        elif resolved >= period.start:
            _count_closed(group, row, resolved, mappings, calendar)
    for key in sorted(groups):
        yield [*key, *groups[key].as_cells()]


# --- warnings before an export --------------------------------------------------------------------


@dataclass(frozen=True)
class Unmapped:
    kind: str
    value: str
    complaints: int | None  # None: a value of Plaint's vocabulary, whether used or not


@dataclass
class Warnings:
    unmapped: list[Unmapped] = field(default_factory=list)
    hidden: int = 0  # complaints of the period the reader may not read (restricted categories)

    def __bool__(self) -> bool:
        return bool(self.unmapped or self.hidden)


VOCABULARY = {
    SourceKind.OUTCOME: tuple(Outcome.LABELS),
    SourceKind.REMEDY: tuple(RemedyKind.values),
    SourceKind.CHANNEL: tuple(Channel.values),
}


def returns_warnings(*, actor: Reader, period: Period, mappings: Mappings) -> Warnings:
    """What the file would code as blank: each value of the period's complaints (products,
    categories, causes, segments: one grouped statement each) and of Plaint's own vocabularies
    (outcomes, remedies) without a code; and how many complaints the reader may not read."""
    found = Warnings()
    active = _active(actor, period)
    for kind in KINDS[ReturnFormat(mappings.report)]:
        if kind in (SourceKind.OUTCOME, SourceKind.REMEDY):
            found.unmapped += [
                Unmapped(kind, value, None)
                for value in VOCABULARY[kind]
                if mappings.code(kind, value) is None
            ]
            continue
        name = FIELDS[kind]
        counts = active.order_by().values_list(name).annotate(n=Count("pk")).order_by(name)
        for value, n in counts:
            if value is None and kind == SourceKind.ROOT_CAUSE:
                continue  # no cause: a blank second issue, not a missing code
            if mappings.code(kind, value or "") is None:
                found.unmapped.append(Unmapped(kind, value or "", n))
    found.hidden = max(0, _active(None, period).count() - active.count())
    return found
