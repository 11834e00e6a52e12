"""Reads of core data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from plaint.core.calendars import Calendar, parse_opening_hours, supported_countries
from plaint.core.duties import registered_duties
from plaint.core.errors import NotFound
from plaint.core.models import BusinessCalendar, ConfigurationToken, Duty, Organisation

T = TypeVar("T")

# What a page reads from the configuration (the organisation, the active reply templates) is kept
# in Django's cache under the configuration token: a change writes a new token in its own
# transaction, so the next read of the token finds nothing cached under it and loads afresh.
# The time limit only bounds how long an entry of an old token stays in the cache.
CONFIG_CACHE_SECONDS = 300


def organisation_get() -> Organisation:
    """The organisation's settings; unsaved defaults until a manager saves them."""
    return Organisation.objects.order_by("pk").first() or Organisation()


def organisation_today(now: dt.datetime | None = None) -> dt.date:
    """The organisation's calendar day (its office's time zone) at ``now``: "today" for due days
    and dates that people set, whatever time zone the request or the worker has active."""
    return timezone.localdate(now or timezone.now(), ZoneInfo(organisation_get().timezone))


def config_cached(name: str, *, token: str, load: Callable[[], T]) -> T:
    """``load()``'s value for the configuration ``token`` names, from Django's cache when it was
    loaded before under the same token (no query), else loaded and kept."""
    key = f"config:{name}:{token}"
    value = cache.get(key)
    if value is None:
        value = load()
        cache.set(key, value, CONFIG_CACHE_SECONDS)
    return value


def organisation_cached(*, token: str) -> Organisation:
    """The organisation's settings as of the configuration ``token`` (``config_token()``)."""
    return config_cached("organisation", token=token, load=organisation_get)


def calendar_value(row: BusinessCalendar) -> Calendar:
    """The immutable engine calendar of a ``BusinessCalendar`` row (its closed days prefetched or not)."""
    return Calendar(
        timezone=row.timezone,
        country=row.country,
        subdivision=row.subdivision,
        opening=parse_opening_hours(row.opening_hours),
        closed_days=frozenset(day.date for day in row.closed_days.all()),
    )


def calendar_default(*, organisation: Organisation | None = None) -> Calendar:
    """The organisation's default business calendar: the saved default, or else one derived from the
    organisation's country and time zone (09:00-17:00 outside the country's weekend)."""
    row = BusinessCalendar.objects.filter(is_default=True).prefetch_related("closed_days").first()
    if row is not None:
        return calendar_value(row)
    org = organisation or organisation_get()
    country = org.country.upper() if org.country.upper() in supported_countries() else ""
    return Calendar(timezone=org.timezone, country=country)


def calendar_get(*, calendar_id: int | None) -> Calendar:
    """The engine calendar of one saved calendar; ``None`` means the organisation default."""
    if calendar_id is None:
        return calendar_default()
    return calendar_value(calendar_row_get(calendar_id=calendar_id))


def calendar_list() -> list[BusinessCalendar]:
    """Every saved calendar (default first) with its closed days; an organisation has a handful."""
    return list(
        BusinessCalendar.objects.prefetch_related("closed_days").order_by("-is_default", "name")[
            :200
        ]
    )


def calendar_row_get(*, calendar_id: int) -> BusinessCalendar:
    """One saved calendar with its closed days, for the settings page."""
    row = BusinessCalendar.objects.filter(pk=calendar_id).prefetch_related("closed_days").first()
    if row is None:
        raise NotFound(_("No such calendar."))
    return row


def config_token() -> str:
    """The current configuration token (a one-row read; "" before the first change)."""
    return ConfigurationToken.objects.values_list("token", flat=True).first() or ""


# The same as a scalar subquery, for a caller that reads it in a statement of its own together
# with something else (the intake reads it with the new rows' ids: ``core.db.allocate_ids``).
CONFIG_TOKEN_SQL = f"SELECT token FROM {ConfigurationToken._meta.db_table} ORDER BY id LIMIT 1"  # noqa: S608


# --- periodic duties (core.duties) -------------------------------------------------------------


@dataclass(frozen=True)
class DutyStatus:
    """What staff read of one periodic duty: its last run and its lease. ``state`` is a code:
    ``never`` (not run yet), ``running``, ``stalled`` (its worker stopped mid-run and its lease
    ended: the next worker takes it over), ``ok``, ``failed`` or ``off`` (not in use here)."""

    name: str
    label: str
    period: dt.timedelta
    state: str
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    holder: str
    lease_until: dt.datetime | None
    error: str
    runs: int
    failures: int
    takeovers: int
    next_due_at: dt.datetime | None

    @property
    def took(self) -> dt.timedelta | None:
        if self.state in ("ok", "failed") and self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None


def _duty_state(row: Duty | None, in_use: bool, now: dt.datetime) -> str:
    if not in_use:
        return "off"
    if row is None or not row.last_outcome:
        return "never"
    if row.last_outcome == Duty.Outcome.RUNNING:
        return "running" if row.lease_until and row.lease_until > now else "stalled"
    return str(row.last_outcome)


def duty_statuses(*, now: dt.datetime | None = None) -> list[DutyStatus]:
    """Every registered duty, in the order the workers run them, with its last run (one query)."""
    now = now or timezone.now()
    rows = {row.name: row for row in Duty.objects.all()}
    out = []
    for spec in registered_duties():
        row = rows.get(spec.name)
        period = spec.period()
        started = row.last_started_at if row else None
        out.append(
            DutyStatus(
                name=spec.name,
                label=str(spec.label),
                period=period,
                state=_duty_state(row, spec.in_use(), now),
                started_at=started,
                finished_at=row.last_finished_at if row else None,
                holder=row.lease_holder if row else "",
                lease_until=row.lease_until if row else None,
                error=row.last_error if row else "",
                runs=row.runs if row else 0,
                failures=row.failures if row else 0,
                takeovers=row.takeovers if row else 0,
                next_due_at=started + period if started else None,
            )
        )
    return out
