"""The promise checks of complaints: one ``PromiseCheck`` per complaint and applicable promise,
kept in step with the case, and the complaint's own clocks (its two due dates and whether each
stands still) kept equal to the checks that define them.

A check that is met, breached or not applicable never changes again, so no later step can reset
a running or finished clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from plaint.complaints.models import Complaint
from plaint.complaints.services import CaseClocks, complaint_clocks_set
from plaint.complaints.states import OPEN, State
from plaint.core.calendars import deadline
from plaint.promises.models import PromiseCheck
from plaint.promises.services.deadlines import (
    ActivePromise,
    applicable_promises,
    at_risk_at,
    clock_due,
    clock_span,
    complaint_pauses,
)
from plaint.promises.services.snapshot import Snapshot, active_promises
from plaint.promises.services.sql import CHECK_FIELDS, checks_update
from plaint.promises.states import CheckStatus, Clock

# What a recomputation reads: the checks and the names of their promises, not the texts.
CHECK_READ_FIELDS = [
    *CHECK_FIELDS,
    "complaint_id",
    "promise_id",
    "notifies",
    "promise__key",
    "promise__clock",
    "promise__code__slug",
]
COMPLAINT_READ_FIELDS = [
    "id",
    "state",
    "channel",
    "product",
    "segment",
    "category_id",
    "received_at",
    "acknowledged_at",
    "decision_at",
    "remedy_delivered_at",
    "paused_periods",
    "acknowledgement_due_at",
    "response_due_at",
    "acknowledgement_paused",
    "response_paused",
]
CLOCK_FIELDS = (
    "acknowledgement_due_at",
    "response_due_at",
    "acknowledgement_paused",
    "response_paused",
)


def _state_of(check: PromiseCheck) -> tuple[object, ...]:
    return (
        check.status,
        check.started_at,
        check.due_at,
        check.at_risk_at,
        check.met_at,
        check.breached_at,
    )


def _judge(
    check: PromiseCheck,
    promise: ActivePromise,
    complaint: Complaint,
    now: dt.datetime,
    snap: Snapshot,
) -> bool:
    """Recompute a pending check in place; True when something changed."""
    if check.status != CheckStatus.PENDING:
        return False  # final: a later step never reopens or resets it
    before = _state_of(check)
    start, stop = clock_span(complaint, promise)
    if promise.clock == Clock.MANUAL or start is None:
        # A manual promise is judged by a person (promise_check_record); a clock that has not
        # started has no due time yet.
        check.started_at = start if promise.clock == Clock.MANUAL else None
        check.due_at = check.at_risk_at = None
        if complaint.state not in OPEN:
            check.status = CheckStatus.NOT_APPLICABLE
    else:
        _judge_running(check, promise, complaint, now, snap, start, stop)
    return before != _state_of(check)


def _judge_running(
    check: PromiseCheck,
    promise: ActivePromise,
    complaint: Complaint,
    now: dt.datetime,
    snap: Snapshot,
    start: dt.datetime,
    stop: dt.datetime | None,
) -> None:
    """Judge a pending check whose clock has started: met, breached, not applicable, or still
    running (then with its at-risk time)."""
    pauses = complaint_pauses(complaint, promise, snap.pauses)
    due = deadline(promise.calendar, start, promise.amount, promise.unit, pauses)
    check.started_at, check.due_at = start, due
    if stop is not None and due is not None and stop <= due:
        check.status, check.met_at = CheckStatus.MET, stop
    elif due is not None and (stop is not None or now >= due):
        check.status, check.breached_at = CheckStatus.BREACHED, due
    elif stop is not None:  # stopped while paused open-endedly: kept
        check.status, check.met_at = CheckStatus.MET, stop
    elif complaint.state not in OPEN:
        check.status = CheckStatus.NOT_APPLICABLE
    elif promise.clock == Clock.DECISION_TO_REMEDY and not complaint.remedies.current().exists():
        check.status = CheckStatus.NOT_APPLICABLE  # nothing to deliver
    if check.status == CheckStatus.PENDING and due is not None:
        check.at_risk_at = at_risk_at(promise, start, due, pauses)
    elif check.status == CheckStatus.PENDING:
        check.at_risk_at = None


def promise_checks_refresh(*, complaint: Complaint, now: dt.datetime) -> list[PromiseCheck]:
    """Create and recompute the complaint's checks, inside the caller's transaction, and keep the
    complaint's clocks equal to the checks that define them.

    Statements: one one-row config read (plus a reload when the configuration changed), one read
    of the existing checks, at most one INSERT and one UPDATE of checks, and one UPDATE of the
    complaint only when one of its clocks changed (``complaints.services.complaint_clocks_set``)."""
    snap = active_promises()
    existing = list(
        PromiseCheck.objects.filter(complaint_id=complaint.pk).select_related("promise__code")
    )
    to_create, to_update, clocks = _plan(complaint, existing, snap, now)
    if to_create:
        PromiseCheck.objects.bulk_create(to_create)
    if to_update:
        PromiseCheck.objects.bulk_update(to_update, CHECK_FIELDS)
    if clocks is not None:
        complaint_clocks_set(clocks={complaint.pk: clocks})
    return [*to_create, *to_update]


def promise_checks_plan(
    *, complaint: Complaint, now: dt.datetime, snap: Snapshot | None = None
) -> list[PromiseCheck]:
    """The checks of a complaint being created in the caller's transaction, unsaved, for the
    caller to insert with the complaint. It has no checks yet, so none are read; the complaint's
    (unsaved) clocks are set from them where they differ (normally they agree:
    ``promise_due_dates`` computes them from the same snapshot)."""
    to_create, _to_update, _clocks = _plan(complaint, [], snap or active_promises(), now)
    return to_create


def promise_checks_refresh_many(*, complaints: Sequence[Complaint], now: dt.datetime) -> int:
    """``promise_checks_refresh`` for a batch of (locked) complaints, read with at least
    ``COMPLAINT_READ_FIELDS``: one read of their checks and one INSERT / UPDATE per table;
    returns how many complaints changed."""
    snap = active_promises()
    checks: dict[int, list[PromiseCheck]] = {c.pk: [] for c in complaints}
    for check in (
        PromiseCheck.objects.filter(complaint_id__in=list(checks))
        .select_related("promise__code")
        .only(*CHECK_READ_FIELDS)
    ):
        checks[check.complaint_id].append(check)
    to_create: list[PromiseCheck] = []
    to_update: list[PromiseCheck] = []
    moved: dict[int, CaseClocks] = {}
    for complaint in complaints:
        created, updated, clocks = _plan(complaint, checks[complaint.pk], snap, now)
        to_create += created
        to_update += updated
        if clocks is not None:
            moved[complaint.pk] = clocks
    if to_create:
        PromiseCheck.objects.bulk_create(to_create, batch_size=1000)
    checks_update(to_update)
    if moved:
        complaint_clocks_set(clocks=moved)
    return len({c.complaint_id for c in [*to_create, *to_update]} | set(moved))


def _plan(
    complaint: Complaint, checks: list[PromiseCheck], snap: Snapshot, now: dt.datetime
) -> tuple[list[PromiseCheck], list[PromiseCheck], CaseClocks | None]:
    """(checks to create, checks to update, the complaint's clocks when they changed) for one
    complaint; the new clocks are also set on ``complaint``."""
    applicable = applicable_promises(
        snap.promises,
        received_at=complaint.received_at,
        channel=complaint.channel,
        category_id=complaint.category_id,
        product=complaint.product,
        segment=complaint.segment,
    )
    existing = {c.promise_id: c for c in checks}
    to_create, to_update, applied = _judge_applicable(complaint, existing, applicable, snap, now)
    known = {p.id for p in snap.promises}
    for promise_id, check in existing.items():
        if promise_id in applied or check.status != CheckStatus.PENDING:
            continue
        if promise_id not in known:
            continue  # its code was retired: the check finishes on its stored due time
        # The case changed (e.g. its category at assessment) and the promise no longer applies.
        check.status = CheckStatus.NOT_APPLICABLE
        check.at_risk_at = None
        check.updated_at = now
        to_update.append(check)
    clock_of = {p.id: p.clock for p in snap.promises}
    clock_of.update({c.promise_id: c.promise.clock for c in existing.values()})
    clocks = _clocks_sync(complaint, [*existing.values(), *to_create], clock_of)
    return to_create, to_update, clocks


def _judge_applicable(
    complaint: Complaint,
    existing: dict[int, PromiseCheck],
    applicable: list[ActivePromise],
    snap: Snapshot,
    now: dt.datetime,
) -> tuple[list[PromiseCheck], list[PromiseCheck], set[int]]:
    """(checks to create, checks to update, promise ids judged) for the applicable promises."""
    # A check made under an earlier version of the same code and promise key keeps counting.
    by_name = {(c.promise.code.slug, c.promise.key): c for c in existing.values()}
    by_id = {p.id: p for p in snap.promises}
    to_create: list[PromiseCheck] = []
    to_update: list[PromiseCheck] = []
    applied: set[int] = set()
    for promise in applicable:
        check = existing.get(promise.id) or by_name.get((promise.code_slug, promise.key))
        if check is None:
            check = PromiseCheck(
                complaint_id=complaint.pk,
                promise_id=promise.id,
                notifies=not promise.measured_only,
                updated_at=now,
            )
            _judge(check, promise, complaint, now, snap)
            to_create.append(check)
            applied.add(promise.id)
            continue
        applied.add(check.promise_id)
        judged_by = promise if check.promise_id == promise.id else by_id.get(check.promise_id)
        if judged_by is not None and _judge(check, judged_by, complaint, now, snap):
            check.updated_at = now
            to_update.append(check)
    return to_create, to_update, applied


def case_clocks(
    complaint: Complaint, checks: Iterable[PromiseCheck], clock_of: dict[int, str]
) -> CaseClocks:
    """The complaint's clocks as its checks define them. A due date is the earliest due time of
    the checks that set it; while a clock is stopped (waiting on the complainant, every defining
    check stopped open-endedly) the date keeps the value it had when it stopped and the clock is
    paused, so it is not overdue."""
    checks = list(checks)
    ack, ack_stopped = clock_due(checks, clock_of, Clock.RECEIVED_TO_ACKNOWLEDGED)
    resp, resp_stopped = clock_due(checks, clock_of, Clock.RECEIVED_TO_DECISION)
    waiting = complaint.state == State.WAITING_ON_COMPLAINANT
    return CaseClocks(
        acknowledgement_due_at=ack or complaint.acknowledgement_due_at,
        response_due_at=resp or complaint.response_due_at,
        acknowledgement_paused=waiting and ack_stopped,
        response_paused=waiting and resp_stopped,
    )


def _clocks_sync(
    complaint: Complaint, checks: Iterable[PromiseCheck], clock_of: dict[int, str]
) -> CaseClocks | None:
    """Set the complaint's clocks from its checks; the new clocks when one of them changed."""
    clocks = case_clocks(complaint, checks, clock_of)
    changed = False
    for name in CLOCK_FIELDS:
        value = getattr(clocks, name)
        if getattr(complaint, name) != value:
            setattr(complaint, name, value)
            changed = True
    return clocks if changed else None
