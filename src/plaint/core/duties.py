"""Periodic duties (housekeeping) that run once per period whatever the number of workers.

Each app registers its duties in its ``AppConfig.ready()`` (``register_duty``); every worker asks
``run_due_duties`` every few seconds which are due, and runs a duty only after it has claimed the
duty's lease. The lease is a row per duty (``core.models.Duty``) claimed with **one conditional
UPDATE**::

    UPDATE core_duty SET lease_holder = 'host:pid', lease_until = now + lease,
                         last_started_at = now, last_outcome = 'running', runs = runs + 1, …
     WHERE name = %s
       AND (lease_until IS NULL OR lease_until <= now)            -- nobody holds it
       AND (last_started_at IS NULL OR last_started_at <= now - period  -- due again
            OR last_outcome = 'running')                          -- or its holder died

The statement is its own claim on both databases: PostgreSQL (READ COMMITTED) makes a second
UPDATE of the same row wait for the first to commit and then evaluates the WHERE again on the new
row, which no longer matches; SQLite runs one writer at a time. So of two workers racing, one
updates one row and runs the duty, the other updates none and skips it.

A worker that dies mid-run leaves the row ``running`` with its lease: once ``lease_until`` has
passed, the next worker takes the duty over at once (``takeovers`` counts these). A lease is
chosen longer than the duty's expected time; a duty that may run longer calls ``duty_renew()``
between its batches (outside its own transactions, so the new lease is seen by the others).

Times are the workers' clocks (``timezone.now()``): keep the hosts' clocks in sync (NTP); leases
and periods are minutes long, so a skew of a second or two does not matter.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Case, F, PositiveIntegerField, Q, When
from django.utils import timezone

from plaint.core.models import Duty

log = logging.getLogger(__name__)

Period = dt.timedelta | Callable[[], dt.timedelta]


def housekeeping_period() -> dt.timedelta:
    """The period of the five-minutely duties (``PLAINT_HOUSEKEEPING_SECONDS``, default 300)."""
    return dt.timedelta(seconds=settings.HOUSEKEEPING_SECONDS)


@dataclass(frozen=True)
class DutySpec:
    """A registered duty: its stable ``name`` (a code: ``app.what``), what to call, how often
    (a period, or a function of the settings that returns one), how long a run may hold the
    lease before another worker may take it over, what staff read on the duties page, and
    whether it is in use at all (``enabled``; e.g. fetching mail with no mailbox configured)."""

    name: str
    run: Callable[[], Any]
    every: Period
    lease: dt.timedelta
    label: Any  # a lazily translated text
    enabled: Callable[[], bool] | None = None

    def period(self) -> dt.timedelta:
        return self.every() if callable(self.every) else self.every

    def in_use(self) -> bool:
        return self.enabled is None or self.enabled()


_duties: dict[str, DutySpec] = {}


def register_duty(
    name: str,
    run: Callable[[], Any],
    *,
    label: Any,
    every: Period = housekeeping_period,
    lease: dt.timedelta = dt.timedelta(minutes=5),
    enabled: Callable[[], bool] | None = None,
) -> None:
    """Register a periodic duty (in an ``AppConfig.ready()``). Registering a name again replaces
    the duty (``ready()`` may run more than once in tests). Runs go in registration order."""
    if not name or len(name) > Duty._meta.get_field("name").max_length:  # type: ignore[operator]
        raise ValueError(f"bad duty name {name!r}")
    _duties[name] = DutySpec(name, run, every, lease, label, enabled)


def registered_duties() -> tuple[DutySpec, ...]:
    return tuple(_duties.values())


def duty_spec(name: str) -> DutySpec | None:
    return _duties.get(name)


def holder_name() -> str:
    """Who holds a lease: this host and process (``host:pid``)."""
    return f"{socket.gethostname()}:{os.getpid()}"[:200]


# --- the lease ------------------------------------------------------------------------------


@dataclass
class _Lease:
    name: str
    holder: str
    started_at: dt.datetime
    lease: dt.timedelta
    renewed_at: dt.datetime


_current: ContextVar[_Lease | None] = ContextVar("plaint_duty_lease", default=None)


def _claim(spec: DutySpec, *, holder: str, now: dt.datetime) -> bool:
    """The one conditional UPDATE of the module docstring; True when this call took the lease."""
    period = spec.period()
    running = Duty.Outcome.RUNNING
    claimed = (
        Duty.objects.filter(name=spec.name)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lte=now))
        .filter(
            Q(last_started_at__isnull=True)
            | Q(last_started_at__lte=now - period)
            | Q(last_outcome=running)
        )
        .update(
            lease_holder=holder,
            lease_until=now + spec.lease,
            last_started_at=now,
            last_outcome=running,
            runs=F("runs") + 1,
            takeovers=Case(
                When(last_outcome=running, then=F("takeovers") + 1),
                default=F("takeovers"),
                output_field=PositiveIntegerField(),
            ),
            period=period,
        )
    )
    return claimed == 1


def _ensure_rows(specs: list[DutySpec]) -> None:
    """A row for each duty that has none yet (a new install, a duty added by an upgrade)."""
    Duty.objects.bulk_create(
        [Duty(name=s.name, period=s.period()) for s in specs], ignore_conflicts=True
    )


def _finish(lease: _Lease, *, error: str) -> bool:
    """Record the run's end, if this worker still holds the lease (False: another worker took
    the duty over meanwhile; its record stands)."""
    failed = bool(error)
    done = Duty.objects.filter(
        name=lease.name, lease_holder=lease.holder, last_started_at=lease.started_at
    ).update(
        lease_until=None,
        last_finished_at=timezone.now(),
        last_outcome=Duty.Outcome.FAILED if failed else Duty.Outcome.OK,
        last_error=error[:1000],
        failures=F("failures") + 1 if failed else F("failures"),
    )
    return done == 1


def duty_renew() -> bool:
    """For a duty that runs long, between its batches: extend the lease of the duty this thread
    is running (at most every third of the lease, so it is cheap to call often). False when the
    lease was lost (the duty overran its lease and another worker took it over): stop then.
    Outside a duty it does nothing and returns True."""
    lease = _current.get()
    if lease is None:
        return True
    now = timezone.now()
    if now - lease.renewed_at < lease.lease / 3:
        return True
    kept = Duty.objects.filter(
        name=lease.name, lease_holder=lease.holder, last_started_at=lease.started_at
    ).update(lease_until=now + lease.lease)
    lease.renewed_at = now
    return kept == 1


def _error_text(exc: BaseException) -> str:
    message = getattr(exc, "message", None) or str(exc)
    return f"{type(exc).__name__}: {message}"


def run_duty(name: str, *, holder: str | None = None) -> str | None:
    """Run the registered duty ``name`` here if it is due and nobody holds its lease: claim the
    lease, run it, record the outcome. Returns ``"ok"`` or ``"failed"`` when it ran here, None
    when it was not due, held by another worker, or not in use. A failing duty is logged and
    recorded, never raised: housekeeping must not stop the worker."""
    spec = _duties.get(name)
    if spec is None:
        raise KeyError(f"no duty named {name!r}")
    if not spec.in_use():
        return None
    holder = holder or holder_name()
    now = timezone.now()
    if not _claim(spec, holder=holder, now=now):
        if Duty.objects.filter(name=name).exists():
            return None
        _ensure_rows([spec])
        if not _claim(spec, holder=holder, now=now):
            return None
    lease = _Lease(name, holder, now, spec.lease, now)
    token = _current.set(lease)
    error = ""
    try:
        spec.run()
    except Exception as exc:  # a periodic duty must never stop the worker or the other duties
        error = _error_text(exc)
        log.error("duty %s failed: %s", name, error, exc_info=not hasattr(exc, "message"))
    finally:
        _current.reset(token)
    if not _finish(lease, error=error):
        log.warning("duty %s overran its lease; another worker took it over", name)
    return Duty.Outcome.FAILED.value if error else Duty.Outcome.OK.value


def _due(row: Duty | None, spec: DutySpec, now: dt.datetime) -> bool:
    """What the claim's WHERE says, read from a row already in hand (to skip an UPDATE)."""
    if row is None:
        return True
    if row.lease_until is not None and row.lease_until > now:
        return False
    return (
        row.last_started_at is None
        or row.last_started_at <= now - spec.period()
        or row.last_outcome == Duty.Outcome.RUNNING
    )


def run_due_duties(*, holder: str | None = None) -> dict[str, str]:
    """What a worker runs every few seconds: every registered duty that is due, in order, each
    after claiming its lease (one SELECT of the duties, then one UPDATE per due duty). Returns
    {name: outcome} of the duties that ran here."""
    rows = {row.name: row for row in Duty.objects.all()}
    specs = registered_duties()
    missing = [spec for spec in specs if spec.name not in rows]
    if missing:
        _ensure_rows(missing)
    ran: dict[str, str] = {}
    for spec in specs:
        if not _due(rows.get(spec.name), spec, timezone.now()):
            continue
        outcome = run_duty(spec.name, holder=holder)
        if outcome is not None:
            ran[spec.name] = outcome
    return ran
