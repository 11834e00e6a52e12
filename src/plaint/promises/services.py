"""Every write of codes, promises, checks, pauses, claims and profile selections.

The clock side: ``promise_checks_refresh`` (called by every complaint lifecycle step, inside its
transaction) and the periodic ``promise_checks_sweep`` (the worker's housekeeping) keep one
``PromiseCheck`` per complaint and applicable promise. A check that is met, breached or not
applicable never changes again, so no later step can reset a running or finished clock.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from plaint.accounts.access import can_configure, can_work_complaints, require
from plaint.core.actors import Actor
from plaint.core.audit import audit_append
from plaint.core.calendars import Calendar, Unit, deadline, time_at_fraction
from plaint.core.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from plaint.promises.models import (
    BrokenPromiseClaim,
    Code,
    ConfigVersion,
    ProfileSelection,
    Promise,
    PromiseCheck,
    RegulatoryPause,
)
from plaint.promises.states import (
    EDITABLE,
    MEASURED,
    TRANSITIONS,
    CheckStatus,
    Clock,
    CodeState,
    CodeStep,
    Origin,
)

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from plaint.complaints.models import Category, Complaint
    from plaint.core.models import Organisation

LANGUAGES = {code for code, _name in settings.LANGUAGES}
SNAPSHOT_TTL_SECONDS = 60.0  # calendars are edited elsewhere: re-read them at least this often


# --- the active promises, cached per process ------------------------------------------------------


@dataclass(frozen=True)
class ActivePromise:
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


@dataclass(frozen=True)
class Snapshot:
    token: str
    loaded_at: float
    promises: tuple[ActivePromise, ...]
    pauses: tuple[tuple[int | None, dt.datetime, dt.datetime], ...]  # (category id, start, end)
    # What an intake reads besides the promises: the organisation's default business calendar
    # and the active categories (code -> (id, name)). Invalidated by the same token: calendar,
    # category and organisation services call ``config_changed``.
    default_calendar: Calendar | None = None
    categories: dict[str, tuple[int, str]] = field(default_factory=dict)
    # The organisation's settings as they were when loaded: read-only, shared by threads.
    organisation: Organisation | None = None


_snapshot_lock = threading.Lock()
_snapshot: Snapshot | None = None


# The token as a scalar subquery, for a caller that reads it together with something else.
CONFIG_TOKEN_SQL = f"SELECT token FROM {ConfigVersion._meta.db_table} ORDER BY id LIMIT 1"  # noqa: S608


def _config_token() -> str:
    return ConfigVersion.objects.values_list("token", flat=True).first() or ""


def config_changed() -> None:
    """Tell every process to reload the active promises (one row, written in the caller's
    transaction, so a rolled-back change invalidates nothing)."""
    token = uuid.uuid4().hex
    if not ConfigVersion.objects.filter(pk=1).update(token=token):
        ConfigVersion.objects.create(pk=1, token=token)


def active_promises(*, token: str | None = None) -> Snapshot:
    """The measured promises with their calendars, and the regulatory pauses: one one-row read
    when nothing changed since this process loaded them (none when the caller read the token
    with ``CONFIG_TOKEN_SQL`` in its own statement)."""
    global _snapshot
    token = _config_token() if token is None else token or ""
    current = _snapshot
    if (
        current is not None
        and current.token == token
        and time.monotonic() - current.loaded_at < SNAPSHOT_TTL_SECONDS
    ):
        return current
    from plaint.complaints.models import Category
    from plaint.core.selectors import calendar_get, organisation_get

    organisation = organisation_get()
    categories = list(Category.objects.values_list("code", "pk", "name", "active"))
    category_ids = {code: pk for code, pk, _name, _active in categories}
    default_calendar = calendar_get(calendar_id=None)
    rows = list(
        Promise.objects.filter(code__state__in=list(MEASURED))
        .select_related("code")
        .order_by("code_id", "position", "id")
    )
    calendars: dict[int | None, Calendar] = {None: default_calendar}
    promises = []
    for p in rows:
        if p.calendar_id not in calendars:
            calendars[p.calendar_id] = calendar_get(calendar_id=p.calendar_id)
        ids = frozenset(category_ids[c] for c in p.categories if c in category_ids)
        if p.categories and not ids:
            ids = frozenset({-1})
        promises.append(ActivePromise.of(p, calendars[p.calendar_id], ids))
    pauses = tuple(
        RegulatoryPause.objects.order_by("starts_at").values_list(
            "category_id", "starts_at", "ends_at"
        )
    )
    snap = Snapshot(
        token,
        time.monotonic(),
        tuple(promises),
        pauses,
        default_calendar=default_calendar,
        categories={code: (pk, name) for code, pk, name, active in categories if active},
        organisation=organisation,
    )
    with _snapshot_lock:
        _snapshot = snap
    return snap


def active_category(snap: Snapshot, code: str) -> Category | None:
    """The active category with this code, from the snapshot (no query); a code the snapshot
    does not know is looked up, so a category created since the snapshot was loaded is found."""
    from plaint.complaints.models import Category

    known = snap.categories.get(code)
    if known is None:
        return Category.objects.filter(code=code, active=True).first()
    pk, name = known
    category = Category(pk=pk, code=code, name=name, active=True)
    category._state.adding = False  # a row that exists, like one read from the database
    return category


def applicable_promises(
    snap: Snapshot,
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
    found = []
    for p in snap.promises:
        if p.effective_from and day < p.effective_from:
            continue
        if p.effective_to and day > p.effective_to:
            continue
        if p.category_ids and category_id not in p.category_ids:
            continue
        if p.channels and channel not in p.channels:
            continue
        if p.products and product not in p.products:
            continue
        if p.segments and segment not in p.segments:
            continue
        found.append(p)
    restricted_clocks = {p.clock for p in found if p.restricted and p.clock != Clock.MANUAL}
    return [
        p
        for p in found
        if p.restricted or p.clock not in restricted_clocks or p.clock == Clock.MANUAL
    ]


def promise_due_dates(
    *,
    received_at: dt.datetime,
    channel: str,
    category_id: int | None,
    product: str,
    organisation: Any,
    segment: str = "",
    snap: Snapshot | None = None,
) -> tuple[dt.datetime, dt.datetime]:
    """(acknowledgement due, response due) of a new complaint from the promises that apply: the
    earliest due time of each clock. Falls back to ``core.deadlines`` (on the snapshot's default
    calendar) where no promise applies. ``snap``: the caller's snapshot, not read again."""
    from plaint.core.deadlines import complaint_due_dates

    snap = snap or active_promises()
    ack = resp = None
    for p in applicable_promises(
        snap,
        received_at=received_at,
        channel=channel,
        category_id=category_id,
        product=product,
        segment=segment,
    ):
        if p.measured_only:
            continue
        pauses = [
            (start, end)
            for pause_category, start, end in snap.pauses
            if p.honours_regulatory_pauses and pause_category in (None, category_id)
        ]
        if p.clock == Clock.RECEIVED_TO_ACKNOWLEDGED:
            due = deadline(p.calendar, received_at, p.amount, p.unit, pauses)
            ack = due if ack is None or (due and due < ack) else ack
        elif p.clock == Clock.RECEIVED_TO_DECISION:
            due = deadline(p.calendar, received_at, p.amount, p.unit, pauses)
            resp = due if resp is None or (due and due < resp) else resp
    if ack is None or resp is None:
        fallback_ack, fallback_resp = complaint_due_dates(
            received_at, organisation, calendar=snap.default_calendar
        )
        ack = ack or fallback_ack
        resp = resp or fallback_resp
    return ack, resp


# --- the clock of one check ---------------------------------------------------------------------


def _parse(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def complaint_pauses(
    complaint: Complaint, promise: ActivePromise, snap: Snapshot
) -> list[tuple[dt.datetime, dt.datetime | None]]:
    """The periods the promise's clock stops for on this complaint."""
    pauses: list[tuple[dt.datetime, dt.datetime | None]] = []
    if promise.pauses_while_waiting:
        for start, end in getattr(complaint, "paused_periods", None) or []:
            pauses.append((_parse(start), _parse(end)))  # type: ignore[arg-type]
    if promise.honours_regulatory_pauses:
        for category_id, start, end in snap.pauses:
            if category_id is None or category_id == complaint.category_id:
                pauses.append((start, end))
    return pauses


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


def _at_risk_at(
    promise: ActivePromise,
    start: dt.datetime,
    due: dt.datetime,
    pauses: list[tuple[dt.datetime, dt.datetime | None]],
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


def _judge(
    check: PromiseCheck,
    promise: ActivePromise,
    complaint: Complaint,
    now: dt.datetime,
    snap: Snapshot,
) -> bool:
    """Recompute a pending check in place; True when something changed."""
    from plaint.complaints.states import OPEN

    if check.status != CheckStatus.PENDING:
        return False  # final: a later step never reopens or resets it
    before = (
        check.status,
        check.started_at,
        check.due_at,
        check.at_risk_at,
        check.met_at,
        check.breached_at,
    )
    start, stop = clock_span(complaint, promise)
    is_open = complaint.state in OPEN
    if promise.clock == Clock.MANUAL:
        check.started_at = start
        check.due_at = check.at_risk_at = None  # judged by a person (promise_check_record)
        if not is_open:
            check.status = CheckStatus.NOT_APPLICABLE
    elif start is None:
        check.started_at = check.due_at = check.at_risk_at = None
        if not is_open:
            check.status = CheckStatus.NOT_APPLICABLE
    else:
        pauses = complaint_pauses(complaint, promise, snap)
        due = deadline(promise.calendar, start, promise.amount, promise.unit, pauses)
        check.started_at, check.due_at = start, due
        if stop is not None and due is not None and stop <= due:
            check.status, check.met_at = CheckStatus.MET, stop
        elif due is not None and (stop is not None or now >= due):
            check.status, check.breached_at = CheckStatus.BREACHED, due
        elif stop is not None:  # stopped while paused open-endedly: kept
            check.status, check.met_at = CheckStatus.MET, stop
        elif not is_open:
            check.status = CheckStatus.NOT_APPLICABLE
        elif promise.clock == Clock.DECISION_TO_REMEDY and not complaint.remedies.exists():
            check.status = CheckStatus.NOT_APPLICABLE  # nothing to deliver
        if check.status == CheckStatus.PENDING and due is not None:
            check.at_risk_at = _at_risk_at(promise, start, due, pauses)
        else:
            check.at_risk_at = None if check.status == CheckStatus.PENDING else check.at_risk_at
    after = (
        check.status,
        check.started_at,
        check.due_at,
        check.at_risk_at,
        check.met_at,
        check.breached_at,
    )
    return before != after


CHECK_FIELDS = [
    "status",
    "started_at",
    "due_at",
    "at_risk_at",
    "met_at",
    "breached_at",
    "updated_at",
]


def promise_checks_refresh(*, complaint: Complaint, now: dt.datetime) -> list[PromiseCheck]:
    """Create and recompute the complaint's checks, inside the caller's transaction, and keep the
    complaint's two due dates equal to the checks that define them.

    Statements: one one-row config read (plus a reload when promises changed), one read of the
    existing checks, at most one INSERT and one UPDATE of checks, and one UPDATE of the complaint
    only when one of its due dates moved."""
    snap = active_promises()
    existing = list(
        PromiseCheck.objects.filter(complaint_id=complaint.pk).select_related("promise__code")
    )
    to_create, to_update, columns = _plan(complaint, existing, snap, now)
    if to_create:
        PromiseCheck.objects.bulk_create(to_create)
    if to_update:
        PromiseCheck.objects.bulk_update(to_update, CHECK_FIELDS)
    if columns:
        complaint.save(update_fields=columns)
    return [*to_create, *to_update]


def promise_checks_plan(
    *, complaint: Complaint, now: dt.datetime, snap: Snapshot | None = None
) -> list[PromiseCheck]:
    """The checks of a complaint being created in the caller's transaction, unsaved, for the
    caller to insert with the complaint (``core.db.insert_together``). It has no checks yet, so
    none are read; when the checks' due times differ from the complaint's due columns, the columns
    are set on the (unsaved) complaint (normally they agree: ``promise_due_dates`` computes them
    from the same snapshot)."""
    to_create, _to_update, _columns = _plan(complaint, [], snap or active_promises(), now)
    return to_create


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
]


def promise_checks_refresh_many(*, complaints: Sequence[Complaint], now: dt.datetime) -> int:
    """``promise_checks_refresh`` for a batch of (locked) complaints with one read of their checks
    and one INSERT / UPDATE per table; returns how many complaints changed."""
    from plaint.complaints.models import Complaint

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
    moved: list = []
    fields: set[str] = set()
    for complaint in complaints:
        created, updated, columns = _plan(complaint, checks[complaint.pk], snap, now)
        to_create += created
        to_update += updated
        if columns:
            moved.append(complaint)
            fields.update(columns)
    if to_create:
        PromiseCheck.objects.bulk_create(to_create, batch_size=1000)
    _update_rows(PromiseCheck, to_update, CHECK_FIELDS)
    _update_rows(Complaint, moved, sorted(fields))
    return len({c.complaint_id for c in [*to_create, *to_update]} | {c.pk for c in moved})


def _update_rows(model, objs: list, fields: list[str]) -> None:
    """UPDATE ``fields`` of each row, as one statement: on PostgreSQL one parameterised UPDATE
    sent for all rows in a pipeline (Django's ``bulk_update`` builds a CASE per column and row,
    which costs more in Python than the whole recomputation); elsewhere ``bulk_update``."""
    from django.db import connection

    if not objs:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_update(objs, fields, batch_size=500)
        return
    qn = connection.ops.quote_name
    columns = [model._meta.get_field(name) for name in fields]
    sql = (  # identifiers from the model's meta, quoted; every value is a parameter
        f"UPDATE {qn(model._meta.db_table)} SET "  # noqa: S608
        + ", ".join(f"{qn(c.column)} = %s" for c in columns)
        + f" WHERE {qn(model._meta.pk.column)} = %s"
    )
    params = [
        [c.get_db_prep_value(getattr(o, c.attname), connection) for c in columns] + [o.pk]
        for o in objs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _plan(
    complaint: Complaint, checks: list[PromiseCheck], snap: Snapshot, now: dt.datetime
) -> tuple[list[PromiseCheck], list[PromiseCheck], list[str]]:
    """(checks to create, checks to update, complaint due columns set) for one complaint."""
    applicable = applicable_promises(
        snap,
        received_at=complaint.received_at,
        channel=complaint.channel,
        category_id=complaint.category_id,
        product=complaint.product,
        segment=complaint.segment,
    )
    existing = {c.promise_id: c for c in checks}
    # A check made under an earlier version of the same code and promise key keeps counting.
    by_name = {(c.promise.code.slug, c.promise.key): c for c in existing.values()}
    to_create: list[PromiseCheck] = []
    to_update: list[PromiseCheck] = []
    applied: set[int] = set()
    by_id = {p.id: p for p in snap.promises}
    for promise in applicable:
        check = existing.get(promise.id) or by_name.get((promise.code_slug, promise.key))
        if check is not None and check.promise_id != promise.id:
            prior = by_id.get(check.promise_id)
            applied.add(check.promise_id)
            if prior is not None and _judge(check, prior, complaint, now, snap):
                check.updated_at = now
                to_update.append(check)
            continue
        applied.add(promise.id)
        if check is None:
            check = PromiseCheck(
                complaint_id=complaint.pk,
                promise_id=promise.id,
                notifies=not promise.measured_only,
                updated_at=now,
            )
            _judge(check, promise, complaint, now, snap)
            to_create.append(check)
        elif _judge(check, promise, complaint, now, snap):
            check.updated_at = now
            to_update.append(check)
    for promise_id, check in existing.items():
        if promise_id in applied or check.status != CheckStatus.PENDING:
            continue
        if promise_id not in by_id:
            continue  # its code was retired: the check finishes on its stored due time
        # The case changed (e.g. its category at assessment) and the promise no longer applies.
        check.status = CheckStatus.NOT_APPLICABLE
        check.at_risk_at = None
        check.updated_at = now
        to_update.append(check)
    clocks = {p.id: p.clock for p in snap.promises}
    clocks.update({c.promise_id: c.promise.clock for c in existing.values()})
    columns = _sync_due_columns(complaint, [*existing.values(), *to_create], clocks)
    return to_create, to_update, columns


DUE_COLUMNS = {
    Clock.RECEIVED_TO_ACKNOWLEDGED: "acknowledgement_due_at",
    Clock.RECEIVED_TO_DECISION: "response_due_at",
}


def clock_due(
    checks: Iterable[PromiseCheck], clock_of: dict[int, str], which: str
) -> tuple[dt.datetime | None, bool]:
    """(due time, paused) of one of the complaint's two clocks from its checks: the earliest due
    time of the checks that set it (not measured-only, still applicable); paused when none of them
    has a due time because their clocks are stopped open-endedly (waiting on the complainant)."""
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
    paused = any(
        c.status == CheckStatus.PENDING and c.started_at is not None and c.due_at is None
        for c in defining
    )
    return None, paused


def _sync_due_columns(
    complaint: Complaint, checks: Iterable[PromiseCheck], clock_of: dict[int, str]
) -> list[str]:
    """Keep the complaint's ``acknowledgement_due_at`` / ``response_due_at`` equal to the due
    times of the checks that define them; one UPDATE only when one of them moved. While a clock is
    stopped the column keeps the due time it had when it stopped (``clock_paused`` tells)."""
    changed = []
    for which, column in DUE_COLUMNS.items():
        due, _paused = clock_due(checks, clock_of, which)
        if due is not None and getattr(complaint, column) != due:
            setattr(complaint, column, due)
            changed.append(column)
    return changed


# --- the sweep ---------------------------------------------------------------------------------


@dataclass
class SweepResult:
    breached: int = 0
    at_risk_notified: int = 0
    breach_notified: int = 0
    mails: int = 0


NOTIFY_BATCH = 5000
MAIL_LIST_LIMIT = 50


def promise_checks_sweep(*, now: dt.datetime | None = None) -> SweepResult:
    """Breach pending checks whose due time passed and notify at-risk and breached checks once.

    Touches only rows whose status can change, through partial indexes: pending checks due by
    ``now``, pending checks at risk and not yet notified, breached checks not yet notified. Each
    recipient (the assignee, every manager) gets at most one mail per kind per sweep, listing the
    checks."""
    now = now or timezone.now()
    result = SweepResult()
    with transaction.atomic():
        result.breached = PromiseCheck.objects.filter(
            status=CheckStatus.PENDING, due_at__lte=now
        ).update(status=CheckStatus.BREACHED, breached_at=models.F("due_at"), updated_at=now)
    for kind in ("at_risk", "breached"):
        while True:
            with transaction.atomic():
                sent, mails = _notify_batch(kind, now)
            if kind == "at_risk":
                result.at_risk_notified += sent
            else:
                result.breach_notified += sent
            result.mails += mails
            if sent < NOTIFY_BATCH:
                break
    return result


def _notify_batch(kind: str, now: dt.datetime) -> tuple[int, int]:
    from plaint.accounts.models import Role, User
    from plaint.core.selectors import organisation_get
    from plaint.core.services import email_enqueue

    if kind == "at_risk":
        pending = PromiseCheck.objects.filter(
            status=CheckStatus.PENDING,
            notifies=True,
            at_risk_at__lte=now,
            notified_at_risk_at__isnull=True,
        )
        stamp = "notified_at_risk_at"
    else:
        pending = PromiseCheck.objects.filter(
            status=CheckStatus.BREACHED, notifies=True, notified_breach_at__isnull=True
        )
        stamp = "notified_breach_at"
    rows = list(
        pending.select_for_update(skip_locked=True, of=("self",))
        .order_by("id")
        .values_list(
            "id",
            "due_at",
            "complaint__reference",
            "complaint__assignee_id",
            "promise__key",
            "promise__code__slug",
        )[:NOTIFY_BATCH]
    )
    if not rows:
        return 0, 0
    ids = [r[0] for r in rows]
    for i in range(0, len(ids), 1000):
        PromiseCheck.objects.filter(pk__in=ids[i : i + 1000]).update(**{stamp: now})
    managers = list(
        User.objects.filter(role=Role.MANAGER, is_active=True)
        .exclude(email="")
        .values_list("pk", "email", "language")
    )
    assignee_ids = {r[3] for r in rows if r[3] is not None}
    assignees = {
        pk: (email, lang)
        for pk, email, lang in User.objects.filter(pk__in=assignee_ids, is_active=True)
        .exclude(email="")
        .values_list("pk", "email", "language")
    }
    per_recipient: dict[str, tuple[str, list[tuple]]] = {}
    for _pk, email, lang in managers:
        per_recipient[email] = (_lang(lang), list(rows))
    for row in rows:
        target = assignees.get(row[3])
        if target is None:
            continue
        email, lang = target
        if email in per_recipient and len(per_recipient[email][1]) == len(rows):
            continue  # a manager who is also the assignee already gets the full list
        per_recipient.setdefault(email, (_lang(lang), []))[1].append(row)
    organisation = organisation_get()
    for email, (language, items) in per_recipient.items():
        email_enqueue(
            to=email,
            kind=f"promise_{kind}",
            language=language,
            context={
                "organisation": organisation,
                "count": len(items),
                "items": [
                    {"reference": r[2], "promise": f"{r[5]}/{r[4]}", "due_at": r[1]}
                    for r in items[:MAIL_LIST_LIMIT]
                ],
                "more": max(len(items) - MAIL_LIST_LIMIT, 0),
                "base_url": settings.BASE_URL,
            },
        )
    return len(rows), len(per_recipient)


def _lang(value: str) -> str:
    return value if value in LANGUAGES else "en"


# --- codes ------------------------------------------------------------------------------------


def _audit(case_type: str, case_id: int, actor: Actor, action: str, data: dict[str, Any]) -> None:
    audit_append(
        case_type=case_type,
        case_id=case_id,
        actor_id=actor.user_id,
        actor_label=actor.label,
        action=action,
        data=data,
    )


def _audit_code(code: Code, actor: Actor, action: str, data: dict[str, Any]) -> None:
    _audit("code", code.pk, actor, action, data)


def _texts(value: Any, field: str, *, required: bool = True) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ValidationFailed(
            _("Give the text per language."), fields={field: [_("A map of language to text.")]}
        )
    clean = {str(k): str(v).strip() for k, v in value.items() if str(v or "").strip()}
    unknown = sorted(set(clean) - LANGUAGES)
    if unknown:
        raise ValidationFailed(
            _("Unknown language."),
            fields={field: [_("Unknown language: %(l)s.") % {"l": ", ".join(unknown)}]},
        )
    if required and not clean:
        raise ValidationFailed(
            _("Write the text in at least one language."),
            fields={field: [_("This field is required.")]},
        )
    if any(len(v) > 5000 for v in clean.values()):
        raise ValidationFailed(_("The text is too long."), fields={field: [_("At most 5000.")]})
    return clean


def _strings(value: Any, field: str) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = [v for v in (s.strip() for s in value.split(",")) if v]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValidationFailed(_("Give a list of names."), fields={field: [_("A list.")]})
    return [v.strip() for v in value if v.strip()][:100]


CODE_FIELDS = (
    "title",
    "owner",
    "scope_products",
    "scope_channels",
    "scope_segments",
    "effective_from",
    "effective_to",
    "origin",
    "adopted_from",
    "source_document",
    "source_url",
)


def _clean_code_fields(changes: dict[str, Any]) -> dict[str, Any]:
    unknown = set(changes) - set(CODE_FIELDS)
    if unknown:
        raise ValidationFailed(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    clean: dict[str, Any] = {}
    for name, value in changes.items():
        if name == "title":
            clean[name] = _texts(value, name)
        elif name.startswith("scope_"):
            clean[name] = _strings(value, name)
        elif name == "origin":
            if value not in Origin.values:
                raise ValidationFailed(
                    _("Choose own or adopted."), fields={name: [_("Choose own or adopted.")]}
                )
            clean[name] = value
        elif name in {"effective_from", "effective_to"}:
            if value is not None and not isinstance(value, dt.date):
                raise ValidationFailed(_("Give a date."), fields={name: [_("A date.")]})
            clean[name] = value
        else:
            clean[name] = str(value or "").strip()[:500]
    return clean


def _check_code(code: Code) -> None:
    errors: dict[str, list[str]] = {}
    if code.origin == Origin.ADOPTED and not code.adopted_from:
        errors["adopted_from"] = [_("Name the body whose code you adopted.")]
    if code.effective_from and code.effective_to and code.effective_to < code.effective_from:
        errors["effective_to"] = [_("Must not be before the start.")]
    if errors:
        raise ValidationFailed(_("Please correct the highlighted fields."), fields=errors)


@transaction.atomic
def code_create(*, actor: Actor, slug: str = "", **fields: Any) -> Code:
    """A new code of conduct, as a draft, version 1."""
    require(can_configure, actor.user, _("write codes of conduct"))
    clean = _clean_code_fields(fields)
    if "title" not in clean:
        raise ValidationFailed(
            _("Give the code a title."), fields={"title": [_("This field is required.")]}
        )
    slug = slugify(slug or next(iter(clean["title"].values())))[:80]
    if not slug:
        raise ValidationFailed(_("Give the code a short name."), fields={"slug": [_("Required.")]})
    if Code.objects.filter(slug=slug).exists():
        raise ValidationFailed(
            _("A code with this short name exists."), fields={"slug": [_("Already used.")]}
        )
    code = Code(slug=slug, version=1, created_at=timezone.now(), **clean)
    _check_code(code)
    code.save()
    _audit_code(code, actor, "code_created", {"slug": slug, "version": 1})
    return code


def _lock_code(code_id: int) -> Code:
    code = Code.objects.select_for_update().filter(pk=code_id).first()
    if code is None:
        raise NotFound(_("No such code."))
    return code


def _require_editable(code: Code) -> None:
    if code.state not in EDITABLE:
        raise InvalidTransition(
            _("Version %(v)s is %(state)s and cannot change; make a new version to change it.")
            % {"v": code.version, "state": CodeState(code.state).label}
        )


@transaction.atomic
def code_update(*, actor: Actor, code_id: int, **changes: Any) -> Code:
    """Edit a draft or pilot. Published, reviewed and retired versions are immutable."""
    require(can_configure, actor.user, _("write codes of conduct"))
    clean = _clean_code_fields(changes)
    code = _lock_code(code_id)
    _require_editable(code)
    for name, value in clean.items():
        setattr(code, name, value)
    _check_code(code)
    code.save(update_fields=[*clean, "updated_at"])
    _audit_code(code, actor, "code_updated", {"fields": sorted(clean)})
    if code.state == CodeState.PILOT:
        config_changed()
    return code


@transaction.atomic
def code_transition(*, actor: Actor, code_id: int, step: str) -> Code:
    """Move a code along its lifecycle (``states.TRANSITIONS``). Publishing a version retires the
    version it replaces."""
    require(can_configure, actor.user, _("change codes of conduct"))
    try:
        chosen = CodeStep(step)
    except ValueError:
        raise ValidationFailed(_("Unknown step."), fields={"step": [_("Unknown step.")]}) from None
    code = _lock_code(code_id)
    transition = TRANSITIONS[chosen]
    if code.state not in transition.sources:
        raise InvalidTransition(
            _("“%(step)s” is not possible while the code is “%(state)s”.")
            % {"step": chosen.label, "state": CodeState(code.state).label}
        )
    now = timezone.now()
    update = ["state", "updated_at"]
    if chosen in {CodeStep.PUBLISH, CodeStep.START_PILOT}:
        promises = list(code.promises.all())
        if not promises:
            raise InvalidTransition(_("A code needs at least one promise first."))
    if chosen == CodeStep.PUBLISH:
        code.published_at = now
        update.append("published_at")
        if code.effective_from is None:
            code.effective_from = timezone.localdate(now)
            update.append("effective_from")
        for older in (
            Code.objects.select_for_update()
            .filter(slug=code.slug, state__in=[CodeState.PUBLISHED, CodeState.UNDER_REVIEW])
            .exclude(pk=code.pk)
        ):
            older.state = CodeState.RETIRED
            older.effective_to = older.effective_to or timezone.localdate(now)
            older.save(update_fields=["state", "effective_to", "updated_at"])
            _audit_code(older, actor, CodeStep.RETIRE.value, {"replaced_by": code.version})
    before = code.state
    code.state = transition.target
    code.save(update_fields=update)
    _audit_code(code, actor, chosen.value, {"before": before, "after": code.state})
    config_changed()
    return code


@transaction.atomic
def code_new_version(*, actor: Actor, code_id: int) -> Code:
    """Copy a code and its promises into a new draft with the next version number."""
    require(can_configure, actor.user, _("write codes of conduct"))
    source = _lock_code(code_id)
    if Code.objects.filter(slug=source.slug, state__in=list(EDITABLE)).exists():
        raise Conflict(_("This code already has a draft or pilot version; change that one."))
    latest = Code.objects.filter(slug=source.slug).aggregate(v=models.Max("version"))["v"]
    draft = Code(
        slug=source.slug,
        version=(latest or 0) + 1,
        previous=source,
        created_at=timezone.now(),
        **{f: getattr(source, f) for f in CODE_FIELDS},
        profile_key=source.profile_key,
    )
    draft.effective_from = None
    draft.effective_to = None
    draft.save()
    copies = []
    for p in source.promises.all():
        p.pk = None
        p.id = None
        p.code = draft
        copies.append(p)
    Promise.objects.bulk_create(copies)
    _audit_code(draft, actor, "code_new_version", {"from": source.version, "to": draft.version})
    return draft


# --- promises --------------------------------------------------------------------------------


PROMISE_FIELDS = (
    "key",
    "position",
    "texts",
    "conditions",
    "exclusions",
    "clock",
    "limit_amount",
    "limit_unit",
    "calendar_id",
    "pauses_while_waiting",
    "honours_regulatory_pauses",
    "target_rate",
    "at_risk_fraction",
    "measured_only",
    "categories",
    "channels",
    "products",
    "segments",
)


def _rate(value: Any, field: str, low: Decimal, high: Decimal) -> Decimal:
    try:
        rate = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationFailed(_("Give a number."), fields={field: [_("A number.")]}) from None
    if not (low <= rate <= high):
        raise ValidationFailed(
            _("Out of range."),
            fields={field: [_("Between %(a)s and %(b)s.") % {"a": low, "b": high}]},
        )
    return rate


def _clean_promise_fields(changes: dict[str, Any]) -> dict[str, Any]:
    from plaint.complaints.models import Category, Channel
    from plaint.core.models import BusinessCalendar

    unknown = set(changes) - set(PROMISE_FIELDS)
    if unknown:
        raise ValidationFailed(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    clean: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, value in changes.items():
        if name == "texts":
            clean[name] = _texts(value, name)
        elif name == "key":
            clean[name] = slugify(value or "")[:80]
            if not clean[name]:
                errors[name] = [_("This field is required.")]
        elif name == "clock":
            if value not in Clock.values:
                errors[name] = [_("Choose a clock.")]
            clean[name] = value
        elif name == "limit_unit":
            if value not in Unit.values:
                errors[name] = [_("Choose a unit.")]
            clean[name] = value
        elif name in {"limit_amount", "position"}:
            try:
                clean[name] = int(value)
            except (TypeError, ValueError):
                errors[name] = [_("A whole number.")]
                continue
            if not 0 <= clean[name] <= 10000:
                errors[name] = [_("Between 0 and 10000.")]
        elif name == "calendar_id":
            if value in (None, ""):
                clean[name] = None
            elif not BusinessCalendar.objects.filter(pk=value).exists():
                errors[name] = [_("Unknown calendar.")]
            else:
                clean[name] = int(value)
        elif name == "target_rate":
            clean[name] = _rate(value, name, Decimal(0), Decimal(1))
        elif name == "at_risk_fraction":
            clean[name] = _rate(value, name, Decimal("0.1"), Decimal("0.99"))
        elif name in {"pauses_while_waiting", "honours_regulatory_pauses", "measured_only"}:
            clean[name] = bool(value)
        elif name in {"categories", "channels", "products", "segments"}:
            clean[name] = _strings(value, name)
        else:
            clean[name] = str(value or "").strip()[:5000]
    if "categories" in clean:
        known = set(
            Category.objects.filter(code__in=clean["categories"]).values_list("code", flat=True)
        )
        missing = sorted(set(clean["categories"]) - known)
        if missing:
            errors["categories"] = [_("Unknown category: %(c)s.") % {"c": ", ".join(missing)}]
    if "channels" in clean:
        missing = sorted(set(clean["channels"]) - set(Channel.values))
        if missing:
            errors["channels"] = [_("Unknown channel: %(c)s.") % {"c": ", ".join(missing)}]
    if errors:
        raise ValidationFailed(_("Please correct the highlighted fields."), fields=errors)
    return clean


def _check_promise(promise: Promise) -> None:
    if (
        promise.clock != Clock.MANUAL
        and promise.limit_amount < 1
        and promise.limit_unit != Unit.HOURS
    ):
        raise ValidationFailed(_("Give the limit."), fields={"limit_amount": [_("At least 1.")]})


@transaction.atomic
def promise_create(*, actor: Actor, code_id: int, **fields: Any) -> Promise:
    require(can_configure, actor.user, _("write promises"))
    clean = _clean_promise_fields(fields)
    for needed in ("key", "texts", "clock"):
        if needed not in clean:
            raise ValidationFailed(
                _("Please correct the highlighted fields."),
                fields={needed: [_("This field is required.")]},
            )
    code = _lock_code(code_id)
    _require_editable(code)
    if code.promises.filter(key=clean["key"]).exists():
        raise ValidationFailed(
            _("This code has a promise with this key."), fields={"key": [_("Already used.")]}
        )
    if "position" not in clean:
        clean["position"] = code.promises.count() + 1
    promise = Promise(code=code, **clean)
    _check_promise(promise)
    promise.save()
    _audit_code(code, actor, "promise_created", {"promise": promise.key})
    if code.state == CodeState.PILOT:
        config_changed()
    return promise


@transaction.atomic
def promise_update(*, actor: Actor, promise_id: int, **changes: Any) -> Promise:
    require(can_configure, actor.user, _("write promises"))
    clean = _clean_promise_fields(changes)
    promise = Promise.objects.select_related("code").filter(pk=promise_id).first()
    if promise is None:
        raise NotFound(_("No such promise."))
    code = _lock_code(promise.code_id)
    _require_editable(code)
    if "key" in clean and code.promises.filter(key=clean["key"]).exclude(pk=promise.pk).exists():
        raise ValidationFailed(
            _("This code has a promise with this key."), fields={"key": [_("Already used.")]}
        )
    for name, value in clean.items():
        setattr(promise, name, value)
    _check_promise(promise)
    promise.save(update_fields=list(clean))
    _audit_code(code, actor, "promise_updated", {"promise": promise.key, "fields": sorted(clean)})
    if code.state == CodeState.PILOT:
        config_changed()
    return promise


@transaction.atomic
def promise_delete(*, actor: Actor, promise_id: int) -> None:
    require(can_configure, actor.user, _("write promises"))
    promise = Promise.objects.filter(pk=promise_id).first()
    if promise is None:
        raise NotFound(_("No such promise."))
    code = _lock_code(promise.code_id)
    _require_editable(code)
    if promise.checks.exists() or promise.claims.exists():
        raise Conflict(_("This promise was measured on complaints (pilot); retire the code."))
    key = promise.key
    promise.delete()
    _audit_code(code, actor, "promise_deleted", {"promise": key})


# --- manual checks, claims --------------------------------------------------------------------


@transaction.atomic
def promise_check_record(*, actor: Actor, check_id: int, met: bool) -> PromiseCheck:
    """A person judges a manual-check promise on a case: kept or broken."""
    from plaint.complaints.models import Complaint

    require(can_work_complaints, actor.user, _("judge promises"))
    check = PromiseCheck.objects.select_related("promise").filter(pk=check_id).first()
    if check is None:
        raise NotFound(_("No such promise check."))
    complaint = Complaint.objects.select_for_update().get(pk=check.complaint_id)
    check = PromiseCheck.objects.select_related("promise").get(pk=check_id)
    if check.promise.clock != Clock.MANUAL:
        raise InvalidTransition(_("This promise is measured by its clock, not by hand."))
    if check.status != CheckStatus.PENDING:
        raise InvalidTransition(_("This check is already decided."))
    now = timezone.now()
    check.status = CheckStatus.MET if met else CheckStatus.BREACHED
    if met:
        check.met_at = now
    else:
        check.breached_at = now
    check.updated_at = now
    check.save(update_fields=["status", "met_at", "breached_at", "updated_at"])
    _audit(
        "complaint",
        complaint.pk,
        actor,
        "promise_judged",
        {"promise_id": check.promise_id, "met": bool(met)},
    )
    return check


@transaction.atomic
def broken_promise_claim_create(
    *, actor: Actor, complaint_id: int, promise_id: int, note: str = ""
) -> BrokenPromiseClaim:
    """Record that the complaint says a promise of a published code was broken."""
    from plaint.complaints.models import Complaint
    from plaint.promises.states import PUBLIC

    require(can_work_complaints, actor.user, _("record broken promises"))
    complaint = Complaint.objects.select_for_update().filter(pk=complaint_id).first()
    if complaint is None:
        raise NotFound(_("No such complaint."))
    promise = Promise.objects.select_related("code").filter(pk=promise_id).first()
    if promise is None or promise.code.state not in PUBLIC | {CodeState.RETIRED}:
        raise ValidationFailed(
            _("Choose a promise of a published code."), fields={"promise": [_("Unknown.")]}
        )
    if BrokenPromiseClaim.objects.filter(complaint=complaint, promise=promise).exists():
        raise Conflict(_("This complaint already names that promise."))
    note = (note or "").strip()[:5000]
    claim = BrokenPromiseClaim.objects.create(
        complaint=complaint,
        promise=promise,
        note=note,
        created_by=actor.user,
        created_at=timezone.now(),
    )
    _audit("complaint", complaint.pk, actor, "promise_claimed_broken", {"promise_id": promise.pk})
    return claim


# --- regulatory pauses ------------------------------------------------------------------------


RECOMPUTE_BATCH = 500
RECOMPUTE_BUDGET_SECONDS = 30.0
RECOMPUTE_KINDS = ("pause", "calendar")


def _affected_complaints(kind: str, target_id: int | None) -> QuerySet[Complaint]:
    """Open complaints with a pending check that a pause of category ``target_id`` (None: every
    category) or a change of calendar ``target_id`` can move."""
    from django.db.models import Exists, OuterRef

    from plaint.complaints.models import Complaint
    from plaint.complaints.states import OPEN
    from plaint.core.models import BusinessCalendar

    pending = PromiseCheck.objects.filter(complaint_id=OuterRef("pk"), status=CheckStatus.PENDING)
    complaints = Complaint.objects.filter(state__in=list(OPEN))
    if kind == "pause":
        pending = pending.filter(promise__honours_regulatory_pauses=True)
        if target_id is not None:
            complaints = complaints.filter(category_id=target_id)
    elif kind == "calendar" and target_id is not None:  # a calendar change names its calendar
        on_calendar = models.Q(promise__calendar_id=target_id)
        if BusinessCalendar.objects.filter(pk=target_id, is_default=True).exists():
            on_calendar |= models.Q(promise__calendar__isnull=True)  # "the default calendar"
        pending = pending.filter(on_calendar)
    else:
        raise ValueError(kind)
    return complaints.filter(Exists(pending))


def promise_calendar_changed(*, calendar_id: int) -> None:
    """Called by ``core.services`` inside each calendar write (opening hours, country, time zone,
    default flag, closed days): every process reloads its promises with the new calendar, and the
    open complaints whose promises count on it are recomputed by a background job."""
    config_changed()
    recompute_enqueue(kind="calendar", target_id=calendar_id)


def recompute_enqueue(*, kind: str, target_id: int | None) -> None:
    """Enqueue the recomputation of the complaints a pause or calendar change touches, inside the
    caller's transaction (the job runs once the change is committed)."""
    from plaint.promises.tasks import recompute_promise_checks

    recompute_promise_checks.enqueue(kind, target_id, 0)


def promise_checks_recompute(
    *,
    kind: str,
    target_id: int | None,
    after_id: int = 0,
    batch_size: int | None = None,
    budget_seconds: float | None = None,
) -> tuple[int, int | None]:
    """Recompute the affected open complaints with ids above ``after_id``, one transaction per
    keyset batch (rows locked, checks read once per batch, bulk writes). Returns (complaints
    walked, id to continue after, or None when done). Idempotent: a recomputation depends only on
    the case, the promises and the pauses, so walking a batch again changes nothing."""
    if kind not in RECOMPUTE_KINDS:
        raise ValidationFailed(_("Unknown recomputation."), fields={"kind": [_("Unknown.")]})
    batch_size = batch_size or RECOMPUTE_BATCH
    budget_seconds = RECOMPUTE_BUDGET_SECONDS if budget_seconds is None else budget_seconds
    began = time.monotonic()
    walked, last = 0, after_id
    while True:
        with transaction.atomic():
            batch = list(
                _affected_complaints(kind, target_id)
                .filter(pk__gt=last)
                .order_by("pk")
                .only(*COMPLAINT_READ_FIELDS)
                .select_for_update()[:batch_size]
            )
            if batch:
                promise_checks_refresh_many(complaints=batch, now=timezone.now())
        if not batch:
            return walked, None
        walked += len(batch)
        last = batch[-1].pk
        if len(batch) < batch_size:
            return walked, None
        if time.monotonic() - began > budget_seconds:
            return walked, last


def recompute_pending() -> bool:
    """Whether a recomputation job is queued or running (the pauses page says so)."""
    from django_tasks_db.models import DBTaskResult

    from plaint.promises.tasks import recompute_promise_checks

    return DBTaskResult.objects.filter(
        task_path=recompute_promise_checks.module_path, status__in=["READY", "RUNNING"]
    ).exists()


@transaction.atomic
def regulatory_pause_create(
    *,
    actor: Actor,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    reason: str,
    category_code: str = "",
) -> RegulatoryPause:
    """Stop the clocks of promises that honour regulatory pauses, for a category (or all)."""
    from plaint.complaints.models import Category

    require(can_configure, actor.user, _("record regulatory pauses"))
    errors: dict[str, list[str]] = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = [_("Say which regulator decision stops the clock.")]
    if not starts_at or not ends_at or ends_at <= starts_at:
        errors["ends_at"] = [_("The end must be after the start.")]
    category = None
    if category_code:
        category = Category.objects.filter(code=category_code).first()
        if category is None:
            errors["category"] = [_("Unknown category.")]
    if errors:
        raise ValidationFailed(_("Please correct the highlighted fields."), fields=errors)
    pause = RegulatoryPause.objects.create(
        category=category,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=reason[:5000],
        created_by=actor.user,
        created_at=timezone.now(),
    )
    _audit(
        "regulatory_pause",
        pause.pk,
        actor,
        "regulatory_pause_created",
        {
            "category": category_code or None,
            "starts_at": starts_at.isoformat(),
            "ends_at": ends_at.isoformat(),
        },
    )
    config_changed()
    recompute_enqueue(kind="pause", target_id=pause.category_id)
    return pause


@transaction.atomic
def regulatory_pause_delete(*, actor: Actor, pause_id: int) -> None:
    require(can_configure, actor.user, _("record regulatory pauses"))
    pause = RegulatoryPause.objects.filter(pk=pause_id).first()
    if pause is None:
        raise NotFound(_("No such pause."))
    category_id = pause.category_id
    _audit("regulatory_pause", pause.pk, actor, "regulatory_pause_deleted", {})
    pause.delete()
    config_changed()
    recompute_enqueue(kind="pause", target_id=category_id)


# --- regulatory profiles ----------------------------------------------------------------------


@transaction.atomic
def profile_select(
    *, actor: Actor, profile_key: str, product_line: str = "", category_code: str = ""
) -> ProfileSelection:
    """Adopt a shipped regulatory profile for the organisation or for one product line or
    category: a published code of origin "adopted" with the profile's promises. A profile selected
    before for the same scope is retired."""
    from plaint.complaints.models import Category
    from plaint.core.selectors import organisation_get
    from plaint.promises.profiles import PROFILES

    require(can_configure, actor.user, _("select regulatory profiles"))
    profile = PROFILES.get(profile_key)
    if profile is None:
        raise ValidationFailed(_("Unknown profile."), fields={"profile": [_("Unknown profile.")]})
    product_line = (product_line or "").strip()[:200]
    category = None
    if category_code:
        category = Category.objects.filter(code=category_code).first()
        if category is None:
            raise ValidationFailed(_("Unknown category."), fields={"category": [_("Unknown.")]})
    now = timezone.now()
    for old in ProfileSelection.objects.select_for_update().filter(
        active=True, product_line=product_line, category=category
    ):
        old.active = False
        old.save(update_fields=["active"])
        Code.objects.filter(pk=old.code_id).exclude(state=CodeState.RETIRED).update(
            state=CodeState.RETIRED, effective_to=timezone.localdate(now)
        )
    org = organisation_get()
    scope = slugify(product_line or (category.code if category else "")) or "organisation"
    slug = f"{profile.key}-{scope}"[:80]
    version = (Code.objects.filter(slug=slug).aggregate(v=models.Max("version"))["v"] or 0) + 1
    numbers = {"ack": org.acknowledgement_business_days, "resp": org.response_business_days}
    code = Code.objects.create(
        slug=slug,
        version=version,
        title=dict(profile.title),
        owner=profile.body,
        scope_products=[product_line] if product_line else [],
        state=CodeState.PUBLISHED,
        origin=Origin.ADOPTED,
        adopted_from=profile.body,
        source_document=profile.source_document,
        source_url=profile.source_url,
        profile_key=profile.key,
        effective_from=profile.effective_from or timezone.localdate(now),
        effective_to=profile.effective_to,
        created_at=now,
        published_at=now,
    )
    promises = []
    for i, p in enumerate(profile.promises, start=1):
        amount = p.limit_amount
        if profile.from_organisation:
            amount = (
                numbers["ack"] if p.clock == Clock.RECEIVED_TO_ACKNOWLEDGED else numbers["resp"]
            )
        promises.append(
            Promise(
                code=code,
                position=i,
                key=p.key,
                texts={lang: text.format(**numbers) for lang, text in p.texts.items()},
                conditions=p.conditions,
                exclusions=p.exclusions,
                clock=p.clock,
                limit_amount=amount,
                limit_unit=p.limit_unit,
                pauses_while_waiting=p.pauses_while_waiting,
                honours_regulatory_pauses=p.honours_regulatory_pauses,
                target_rate=Decimal(p.target_rate),
                at_risk_fraction=Decimal(p.at_risk_fraction),
                measured_only=p.measured_only,
                products=[product_line] if product_line else [],
                categories=[category.code] if category else [],
            )
        )
    Promise.objects.bulk_create(promises)
    selection = ProfileSelection.objects.create(
        profile_key=profile.key,
        product_line=product_line,
        category=category,
        code=code,
        selected_by=actor.user,
        selected_at=now,
    )
    _audit_code(
        code,
        actor,
        "profile_selected",
        {"profile": profile.key, "product_line": product_line, "category": category_code or None},
    )
    config_changed()
    return selection


@transaction.atomic
def profile_deselect(*, actor: Actor, selection_id: int) -> ProfileSelection:
    require(can_configure, actor.user, _("select regulatory profiles"))
    selection = ProfileSelection.objects.select_for_update().filter(pk=selection_id).first()
    if selection is None or not selection.active:
        raise NotFound(_("No such active selection."))
    selection.active = False
    selection.save(update_fields=["active"])
    code = _lock_code(selection.code_id)
    if code.state != CodeState.RETIRED:
        code.state = CodeState.RETIRED
        code.effective_to = timezone.localdate()
        code.save(update_fields=["state", "effective_to", "updated_at"])
        _audit_code(code, actor, CodeStep.RETIRE.value, {"profile": selection.profile_key})
    config_changed()
    return selection
