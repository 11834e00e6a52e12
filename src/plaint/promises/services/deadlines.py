"""The promise clock as pure functions: which promises apply to a case, when its clocks fall due,
when they are at risk, and which of them stand still. No database access: the callers pass the
promises (``ActivePromise``), the regulatory pauses and the case."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from plaint.core.calendars import Calendar, deadline, time_at_fraction
from plaint.promises.states import CheckStatus, Clock

if TYPE_CHECKING:
    from plaint.complaints.models import Complaint
    from plaint.promises.models import Promise, PromiseCheck

# (category id or None for every category, start, end) of each regulatory pause.
RegulatoryPauses = Sequence[tuple[int | None, dt.datetime, dt.datetime]]
Pauses = list[tuple[dt.datetime, dt.datetime | None]]

DUE_COLUMNS = {
    Clock.RECEIVED_TO_ACKNOWLEDGED: "acknowledgement_due_at",
    Clock.RECEIVED_TO_DECISION: "response_due_at",
}


@dataclass(frozen=True)
class ActivePromise:
    """A measured promise (with its code and calendar) as the clock reads it."""

    id: int
    code_id: int
    code_slug: str
    key: str
    clock: str
    amount: int
    unit: str
    calendar: Calendar
    pauses_while_waiting: bool
    honours_regulatory_pauses: bool
    at_risk_fraction: float
    measured_only: bool
    category_ids: frozenset[int]
    channels: frozenset[str]
    products: frozenset[str]
    segments: frozenset[str]
    effective_from: dt.date | None
    effective_to: dt.date | None

    @property
    def restricted(self) -> bool:
        return bool(self.category_ids or self.channels or self.products or self.segments)

    @classmethod
    def of(
        cls, p: Promise, calendar: Calendar, category_ids: frozenset[int] = frozenset()
    ) -> ActivePromise:
        """The promise (with its code) as the clock reads it; ``category_ids``: the ids of its
        categories, which the caller resolves."""
        return cls(
            id=p.pk,
            code_id=p.code_id,
            code_slug=p.code.slug,
            key=p.key,
            clock=p.clock,
            amount=p.limit_amount,
            unit=p.limit_unit,
            calendar=calendar,
            pauses_while_waiting=p.pauses_while_waiting,
            honours_regulatory_pauses=p.honours_regulatory_pauses,
            at_risk_fraction=float(p.at_risk_fraction),
            measured_only=p.measured_only,
            category_ids=category_ids,
            channels=frozenset(p.channels),
            products=frozenset(s.strip().lower() for s in p.products),
            segments=frozenset(s.strip().lower() for s in p.segments),
            effective_from=p.code.effective_from,
            effective_to=p.code.effective_to,
        )


def applicable_promises(
    promises: Iterable[ActivePromise],
    *,
    received_at: dt.datetime,
    channel: str,
    category_id: int | None,
    product: str,
    segment: str = "",
) -> list[ActivePromise]:
    """The promises that apply to a complaint. For each clock, promises restricted to the case's
    category, channel, product or segment replace the unrestricted ones (a product line's own
    regulatory limit replaces the organisation-wide one)."""
    day = received_at.date()
    product = (product or "").strip().lower()
    segment = (segment or "").strip().lower()
    found = [
        p
        for p in promises
        if not (p.effective_from and day < p.effective_from)
        and not (p.effective_to and day > p.effective_to)
        and not (p.category_ids and category_id not in p.category_ids)
        and not (p.channels and channel not in p.channels)
        and not (p.products and product not in p.products)
        and not (p.segments and segment not in p.segments)
    ]
    restricted_clocks = {p.clock for p in found if p.restricted and p.clock != Clock.MANUAL}
    return [
        p
        for p in found
        if p.restricted or p.clock not in restricted_clocks or p.clock == Clock.MANUAL
    ]


def regulatory_pauses_of(
    promise: ActivePromise, pauses: RegulatoryPauses, category_id: int | None
) -> Pauses:
    """The regulatory pauses that stop this promise's clock on a case of ``category_id``."""
    if not promise.honours_regulatory_pauses:
        return []
    return [(start, end) for cat, start, end in pauses if cat is None or cat == category_id]


def earliest_due_dates(
    promises: Iterable[ActivePromise],
    pauses: RegulatoryPauses,
    *,
    received_at: dt.datetime,
    category_id: int | None,
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """(acknowledgement due, response due) of a new complaint: the earliest due time of each
    clock over the applicable promises that set it (not measured-only); None where none does."""
    ack = resp = None
    for p in promises:
        if p.measured_only or p.clock not in DUE_COLUMNS:
            continue
        stops = regulatory_pauses_of(p, pauses, category_id)
        due = deadline(p.calendar, received_at, p.amount, p.unit, stops)
        if p.clock == Clock.RECEIVED_TO_ACKNOWLEDGED:
            ack = due if ack is None or (due and due < ack) else ack
        else:
            resp = due if resp is None or (due and due < resp) else resp
    return ack, resp


def _parse(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def complaint_pauses(
    complaint: Complaint, promise: ActivePromise, pauses: RegulatoryPauses
) -> Pauses:
    """The periods the promise's clock stops for on this complaint: its waits on the complainant
    (when the promise pauses while waiting) and the regulatory pauses it honours."""
    stops: Pauses = []
    if promise.pauses_while_waiting:
        for start, end in getattr(complaint, "paused_periods", None) or []:
            began = _parse(start)
            if began is not None:
                stops.append((began, _parse(end)))
    stops += regulatory_pauses_of(promise, pauses, complaint.category_id)
    return stops


def clock_span(
    complaint: Complaint, promise: ActivePromise
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """(start, stop) of the promise's clock on this complaint; None where it has not happened."""
    if promise.clock == Clock.RECEIVED_TO_ACKNOWLEDGED:
        return complaint.received_at, complaint.acknowledged_at
    if promise.clock == Clock.RECEIVED_TO_DECISION:
        return complaint.received_at, complaint.decision_at
    if promise.clock == Clock.DECISION_TO_REMEDY:
        return complaint.decision_at, getattr(complaint, "remedy_delivered_at", None)
    return complaint.received_at, None


def at_risk_at(
    promise: ActivePromise, start: dt.datetime, due: dt.datetime, pauses: Pauses
) -> dt.datetime:
    """The first moment (whole second from the start, rounded up) at which the clock has used
    ``at_risk_fraction`` of its time: ``fraction * total`` of clock time (open time for business
    units) counted from the start, extended by the pauses before it, exactly as a due time is."""
    moment = time_at_fraction(
        promise.calendar, start, promise.amount, promise.unit, promise.at_risk_fraction, pauses
    )
    if moment is None:  # stopped open-endedly before the point: the due time is unknown too
        return due
    seconds = math.ceil((moment - start) / dt.timedelta(seconds=1))
    return start + dt.timedelta(seconds=max(seconds, 1))


def clock_due(
    checks: Iterable[PromiseCheck], clock_of: dict[int, str], which: str
) -> tuple[dt.datetime | None, bool]:
    """(due time, stopped) of one of the complaint's two clocks from its checks: the earliest due
    time of the checks that set it (not measured-only, still applicable); stopped when none of
    them has a due time because their clocks are stopped open-endedly (waiting on the
    complainant)."""
    defining = [
        c
        for c in checks
        if c.notifies
        and c.status != CheckStatus.NOT_APPLICABLE
        and clock_of.get(c.promise_id) == which
    ]
    dues = [c.due_at for c in defining if c.due_at is not None]
    if dues:
        return min(dues), False
    stopped = any(
        c.status == CheckStatus.PENDING and c.started_at is not None and c.due_at is None
        for c in defining
    )
    return None, stopped
