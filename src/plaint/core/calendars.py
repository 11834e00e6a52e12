"""The deadline engine: business calendars and the arithmetic of limits, pauses and clocks.

Every due time in Plaint comes from :func:`deadline`; every "how much time is left" from :func:`clock`.
The rules (documented with examples in docs/calendars.md):

- **Business days**: a receipt inside working hours on a business day is received that day; any other
  receipt counts as received at the next opening. N business days end at the close of the Nth business
  day after the day of receipt (0 business days: the close of the day of receipt).
- **Business hours**: N hours of open time counted from the receipt, or from the next opening when the
  receipt falls outside working hours. A due time that lands exactly on a closing time stays there.
- **Calendar days / weeks**: the same local wall-clock time N (7N) days later, on the calendar's time zone.
  A local time that does not exist (spring forward) becomes the moment the clocks jump; an ambiguous one
  (fall back) is its first occurrence. Such a limit is never moved off a closed day.
- **Hours**: exactly N elapsed hours.
- **Pauses** ``[start, end)`` extend the deadline by the clock time inside them (business time for business
  units, elapsed time for the others); overlapping pauses are merged, time before the start is ignored, a
  pause that begins after the (extended) due time changes nothing, and an open-ended pause that begins
  before it stops the clock (``None``).

Business time is measured on a per-(calendar, year) table of the business days' opening and closing
instants (UTC microseconds) with cumulative open time, so a deadline is a few binary searches, never a
walk over minutes or days. Holiday sets are cached per (country, subdivision, year).
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = [
    "Calendar",
    "Clock",
    "Pause",
    "Unit",
    "business_time_between",
    "clock",
    "deadline",
    "default_opening",
    "format_opening_hours",
    "holiday_dates",
    "holiday_names",
    "next_opening",
    "parse_opening_hours",
    "supported_countries",
    "time_at_fraction",
    "weekend_workdays",
]


class Unit(models.TextChoices):
    BUSINESS_DAYS = "business_days", _("business days")
    BUSINESS_HOURS = "business_hours", _("business hours")
    CALENDAR_DAYS = "calendar_days", _("calendar days")
    HOURS = "hours", _("hours")
    WEEKS = "weeks", _("weeks")


Pause = tuple[dt.datetime, dt.datetime | None]
Opening = tuple[tuple[dt.time, dt.time] | None, ...]

BUSINESS_UNITS = frozenset({Unit.BUSINESS_DAYS, Unit.BUSINESS_HOURS})
DEFAULT_OPEN = dt.time(9, 0)
DEFAULT_CLOSE = dt.time(17, 0)
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_US = dt.timedelta(microseconds=1)
_HOUR_US = 3_600_000_000
_YEAR_US = 31_556_952_000_000  # 365.2425 days: a first guess of the year, corrected exactly
# A calendar with no business day in this many consecutive years is refused rather than searched forever.
_MAX_EMPTY_YEARS = 3


@lru_cache(maxsize=1)
def supported_countries() -> dict[str, tuple[str, ...]]:
    """ISO codes the holidays package knows, with their subdivision codes."""
    return {code: tuple(subs) for code, subs in holidays.list_supported_countries().items()}


@lru_cache(maxsize=256)
def _weekend(country: str) -> frozenset[int]:
    if not country:
        return frozenset({5, 6})
    return frozenset(holidays.country_holidays(country).weekend)


@lru_cache(maxsize=256)
def default_opening(country: str) -> Opening:
    """09:00-17:00 on every day that is not part of the country's weekend (Iran: Saturday to Thursday)."""
    weekend = _weekend(country)
    return tuple(None if day in weekend else (DEFAULT_OPEN, DEFAULT_CLOSE) for day in range(7))


@lru_cache(maxsize=1024)
def holiday_names(country: str, subdivision: str, year: int) -> dict[dt.date, str]:
    """The public holidays of one country (and subdivision) in one year, with their names; cached.
    Treat the result as read-only."""
    if not country:
        return {}
    table = holidays.country_holidays(country, subdiv=subdivision or None, years=year)
    return {day: name for day, name in table.items() if day.year == year}


@lru_cache(maxsize=1024)
def holiday_dates(country: str, subdivision: str, year: int) -> frozenset[dt.date]:
    """The public holidays of one country (and subdivision) in one year; cached."""
    return frozenset(holiday_names(country, subdivision, year))


@lru_cache(maxsize=1024)
def weekend_workdays(country: str, subdivision: str, year: int) -> frozenset[dt.date]:
    """Weekend days that the country declares working days in one year (transferred days off)."""
    if not country:
        return frozenset()
    table = holidays.country_holidays(country, subdiv=subdivision or None, years=year)
    return frozenset(d for d in getattr(table, "weekend_workdays", ()) if d.year == year)


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


@dataclass(frozen=True)
class Calendar:
    """When an organisation is open: a time zone, a country's (and subdivision's) public holidays,
    opening hours per weekday (Monday first; ``None`` = closed; an empty tuple = 09:00-17:00 outside the
    country's weekend) and the organisation's own extra closed days. Immutable and hashable, so the
    engine caches per calendar."""

    timezone: str
    country: str
    subdivision: str = ""
    opening: Opening = ()
    closed_days: frozenset[dt.date] = frozenset()
    _hash: int = field(default=0, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _zone(self.timezone)  # raises ZoneInfoNotFoundError for an unknown name
        country = self.country.upper()
        if country and country not in supported_countries():
            raise ValueError(f"No holiday calendar for country {self.country!r}")
        if self.subdivision and self.subdivision not in supported_countries()[country]:
            raise ValueError(f"Unknown subdivision {self.subdivision!r} of {country}")
        opening = tuple(self.opening) or default_opening(country)
        if len(opening) != 7:
            raise ValueError("opening needs 7 entries, Monday to Sunday")
        for hours in opening:
            if hours is not None and not hours[0] < hours[1]:
                raise ValueError("an opening interval must close after it opens")
        object.__setattr__(self, "country", country)
        object.__setattr__(self, "opening", tuple(None if h is None else tuple(h) for h in opening))
        object.__setattr__(self, "closed_days", frozenset(self.closed_days))
        object.__setattr__(
            self,
            "_hash",
            hash((self.timezone, country, self.subdivision, self.opening, self.closed_days)),
        )

    def __hash__(self) -> int:
        return self._hash

    def hours_on(self, day: dt.date) -> tuple[dt.time, dt.time] | None:
        """Opening hours on ``day``, or ``None`` when closed. A weekend day that the country makes a
        working day (a transferred day, e.g. Ukraine before 2022) opens with the first open weekday's hours."""
        if day in self.closed_days or day in holiday_dates(
            self.country, self.subdivision, day.year
        ):
            return None
        hours = self.opening[day.weekday()]
        if hours is None and day in weekend_workdays(self.country, self.subdivision, day.year):
            hours = next((h for h in self.opening if h is not None), None)
        return hours

    def is_business_day(self, day: dt.date) -> bool:
        return self.hours_on(day) is not None


def parse_opening_hours(stored: Sequence[Sequence[str] | None]) -> Opening:
    """Stored opening hours (``[["09:00", "17:00"], ..., None]``, Monday first) as engine values;
    an empty list means the country's default."""
    return tuple(
        None
        if hours is None
        else (dt.time.fromisoformat(hours[0]), dt.time.fromisoformat(hours[1]))
        for hours in stored
    )


def format_opening_hours(opening: Opening) -> list[list[str] | None]:
    """The stored form of opening hours."""
    return [
        None if hours is None else [hours[0].strftime("%H:%M"), hours[1].strftime("%H:%M")]
        for hours in opening
    ]


# --- the per-year table ------------------------------------------------------------------------------


def _to_us(moment: dt.datetime) -> int:
    if moment.tzinfo is None:
        raise ValueError("datetimes given to the deadline engine must be timezone-aware")
    return (moment - _EPOCH) // _US


def _from_us(us: int) -> dt.datetime:
    return _EPOCH + dt.timedelta(microseconds=us)


def _local_instant_us(day: dt.date, time: dt.time, zone: ZoneInfo) -> int:
    return _to_us(_resolve_local(dt.datetime.combine(day, time), zone))


class _Year:
    """The business days of one local calendar year: opening/closing instants (UTC µs), and the
    cumulative open time at each closing."""

    __slots__ = ("closes", "cum", "opens", "ordinals", "total")

    def __init__(self, calendar: Calendar, year: int) -> None:
        zone = _zone(calendar.timezone)
        self.ordinals: list[int] = []
        self.opens: list[int] = []
        self.closes: list[int] = []
        self.cum: list[int] = []
        total = 0
        day = dt.date(year, 1, 1)
        one = dt.timedelta(days=1)
        while day.year == year:
            hours = calendar.hours_on(day)
            if hours is not None:
                start, end = hours
                open_us = _local_instant_us(day, start, zone)
                close_us = _local_instant_us(day, end, zone)
                if close_us > open_us:  # a DST jump can swallow a tiny interval
                    total += close_us - open_us
                    self.ordinals.append(day.toordinal())
                    self.opens.append(open_us)
                    self.closes.append(close_us)
                    self.cum.append(total)
            day += one
        self.total = total


class _Engine:
    """Per-calendar cache of year tables."""

    __slots__ = ("calendar", "starts", "years", "zone")

    def __init__(self, calendar: Calendar) -> None:
        self.calendar = calendar
        self.zone = _zone(calendar.timezone)
        self.years: dict[int, _Year] = {}
        self.starts: dict[int, int] = {}

    def year(self, year: int) -> _Year:
        table = self.years.get(year)
        if table is None:
            table = self.years[year] = _Year(self.calendar, year)
        return table

    def year_start(self, year: int) -> int:
        start = self.starts.get(year)
        if start is None:
            start = self.starts[year] = _local_instant_us(
                dt.date(year, 1, 1), dt.time(0), self.zone
            )
        return start

    def local_year(self, us: int) -> int:
        """The local calendar year of an instant, by arithmetic on cached year starts."""
        year = 1970 + us // _YEAR_US
        while us < self.year_start(year):
            year -= 1
        while us >= self.year_start(year + 1):
            year += 1
        return year

    def next_open(self, us: int) -> tuple[int, int, int]:
        """(year, index, instant) of the first open moment at or after ``us``."""
        year = self.local_year(us)
        for _attempt in range(_MAX_EMPTY_YEARS + 1):
            table = self.year(year)
            i = bisect.bisect_right(table.closes, us)
            if i < len(table.closes):
                return year, i, max(us, table.opens[i])
            year += 1
        raise ValueError("this calendar has no business days")

    def cum_at(self, year: int, us: int) -> int:
        """Open time from the start of ``year`` (local) up to ``us`` (which lies in that year)."""
        table = self.year(year)
        i = bisect.bisect_right(table.closes, us)
        done = table.cum[i - 1] if i else 0
        if i < len(table.opens) and us > table.opens[i]:
            done += us - table.opens[i]
        return done

    def between(self, a: int, b: int) -> int:
        """Open time in [a, b) (0 when b <= a)."""
        if b <= a:
            return 0
        ya, yb = self.local_year(a), self.local_year(b)
        if ya == yb:
            return self.cum_at(yb, b) - self.cum_at(ya, a)
        total = self.year(ya).total - self.cum_at(ya, a)
        for year in range(ya + 1, yb):
            total += self.year(year).total
        return total + self.cum_at(yb, b)

    def add(self, us: int, amount: int) -> int:
        """The instant after ``amount`` µs of open time counted from ``us`` (from the next opening).

        A due time that falls exactly on a closing stays there, so adding nothing to it stays there
        too: (a then 0) equals a, as (a then b) equals a + b.
        """
        if amount <= 0:
            closes = self.year(self.local_year(us)).closes
            j = bisect.bisect_left(closes, us)
            if j < len(closes) and closes[j] == us:
                return us
        year, _i, us = self.next_open(us)
        if amount <= 0:
            return us
        target = self.cum_at(year, us) + amount
        empty = 0
        while True:
            table = self.year(year)
            if target <= table.total:
                j = bisect.bisect_left(table.cum, target)
                return table.closes[j] - (table.cum[j] - target)
            target -= table.total
            empty = empty + 1 if table.total == 0 else 0
            if empty > _MAX_EMPTY_YEARS:
                raise ValueError("this calendar has no business days")
            year += 1

    def add_business_days(self, us: int, days: int) -> int:
        """The close of the ``days``-th business day after the day of receipt."""
        year, i, _ = self.next_open(us)
        i += days
        empty = 0
        while True:
            closes = self.year(year).closes
            if i < len(closes):
                return closes[i]
            i -= len(closes)
            empty = empty + 1 if not closes else 0
            if empty > _MAX_EMPTY_YEARS:
                raise ValueError("this calendar has no business days")
            year += 1


@lru_cache(maxsize=256)
def _engine(calendar: Calendar) -> _Engine:
    return _Engine(calendar)


# --- wall-clock arithmetic ---------------------------------------------------------------------------


def _resolve_local(naive: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """A local wall-clock time as an aware instant: ambiguous → its first occurrence; nonexistent → the
    moment the clocks jumped over it (the first valid instant after the gap)."""
    first = naive.replace(tzinfo=zone, fold=0)
    second = naive.replace(tzinfo=zone, fold=1)
    before, after = first.utcoffset() or dt.timedelta(0), second.utcoffset() or dt.timedelta(0)
    if before >= after:  # an ordinary time, or the first of a repeated one
        return first
    # In a gap: fold=1 reads it with the offset after the jump (an instant before the jump), fold=0 with
    # the offset before it (an instant after the jump). Find the jump between them.
    lo, hi = _to_us(second), _to_us(first)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if _from_us(mid).astimezone(zone).utcoffset() == after:
            hi = mid
        else:
            lo = mid
    return _from_us(hi).astimezone(zone)


def _add_wall_days(moment: dt.datetime, days: int, zone: ZoneInfo) -> dt.datetime:
    local = moment.astimezone(zone).replace(tzinfo=None)
    return _resolve_local(local + dt.timedelta(days=days), zone)


# --- pauses ------------------------------------------------------------------------------------------


def _merged(pauses: Sequence[Pause], start_us: int) -> list[tuple[int, int | None]]:
    """Pauses as µs intervals clipped to the start, sorted, overlaps and touching pauses merged."""
    spans: list[tuple[int, int | None]] = []
    for begin, end in pauses:
        b = max(_to_us(begin), start_us)
        e = None if end is None else _to_us(end)
        if e is not None and e <= b:
            continue
        spans.append((b, e))
    spans.sort(key=lambda s: s[0])
    merged: list[tuple[int, int | None]] = []
    for b, e in spans:
        if merged:
            pb, pe = merged[-1]
            if pe is None:
                break  # an open-ended pause swallows everything after it
            if b <= pe:
                merged[-1] = (pb, None if e is None else max(pe, e))
                continue
        merged.append((b, e))
    return merged


# --- the public functions ----------------------------------------------------------------------------


def _base_due_us(calendar: Calendar, start: dt.datetime, amount: int, unit: str) -> int:
    if amount < 0:
        raise ValueError("a limit cannot be negative")
    start_us = _to_us(start)
    if unit == Unit.BUSINESS_DAYS:
        return _engine(calendar).add_business_days(start_us, amount)
    if unit == Unit.BUSINESS_HOURS:
        return _engine(calendar).add(start_us, amount * _HOUR_US)
    if unit == Unit.HOURS:
        return start_us + amount * _HOUR_US
    if unit == Unit.CALENDAR_DAYS:
        return _to_us(_add_wall_days(start, amount, _zone(calendar.timezone)))
    if unit == Unit.WEEKS:
        return _to_us(_add_wall_days(start, 7 * amount, _zone(calendar.timezone)))
    raise ValueError(f"unknown unit {unit!r}")


def _measure(calendar: Calendar, unit: str, a: int, b: int) -> int:
    """Clock time in [a, b): open time for business units, elapsed time for the others."""
    if unit in BUSINESS_UNITS:
        return _engine(calendar).between(a, b)
    return max(b - a, 0)


def _extend(calendar: Calendar, unit: str, due: int, amount: int) -> int:
    if unit in BUSINESS_UNITS:
        return _engine(calendar).add(due, amount) if amount > 0 else due
    return due + amount


def _due_us(
    calendar: Calendar,
    start: dt.datetime,
    amount: int,
    unit: str,
    pauses: Sequence[Pause],
    base: int | None = None,
) -> int | None:
    due = _base_due_us(calendar, start, amount, unit) if base is None else base
    if not pauses:
        return due
    for begin, end in _merged(pauses, _to_us(start)):
        if begin >= due:
            break
        if end is None:
            return None
        due = _extend(calendar, unit, due, _measure(calendar, unit, begin, end))
    return due


def deadline(
    calendar: Calendar,
    start: dt.datetime,
    amount: int,
    unit: Unit | str,
    pauses: Sequence[Pause] = (),
) -> dt.datetime | None:
    """The aware UTC due time of a limit of ``amount`` ``unit`` counted from ``start``; ``None`` while an
    open-ended pause stops the clock."""
    due = _due_us(calendar, start, amount, unit, pauses)
    return None if due is None else _from_us(due)


@dataclass(frozen=True)
class Clock:
    due_at: dt.datetime | None
    elapsed: (
        dt.timedelta
    )  # clock time counted so far (business time for business units), pauses excluded
    paused: dt.timedelta  # clock time that fell inside pauses
    remaining: dt.timedelta | None  # negative when overdue; None while paused open-endedly
    fraction_used: float  # elapsed / (elapsed + remaining); >1 when overdue


def clock(
    calendar: Calendar,
    start: dt.datetime,
    amount: int,
    unit: Unit | str,
    *,
    now: dt.datetime,
    pauses: Sequence[Pause] = (),
) -> Clock:
    """Where a limit stands at ``now``.

    The clock's total is the clock time between the start and the unpaused due time (for business days
    that includes the rest of the day of receipt); pauses move the due time but never change the total,
    so ``elapsed + remaining`` is always that total and ``fraction_used`` is ``elapsed / total``. A limit
    of zero has a fraction of 1.0 until something elapses, then 1 + elapsed seconds.
    """
    start_us, now_us = _to_us(start), _to_us(now)
    base = _base_due_us(calendar, start, amount, unit)
    total = _measure(calendar, unit, start_us, base)
    due = _due_us(calendar, start, amount, unit, pauses, base)
    open_ended = False
    paused = 0
    for begin, end in _merged(pauses, start_us):
        if begin >= now_us:
            break
        if end is None:
            open_ended = True
        paused += _measure(calendar, unit, begin, now_us if end is None else min(end, now_us))
    elapsed = max(_measure(calendar, unit, start_us, now_us) - paused, 0)
    remaining = None if open_ended and due is None else total - elapsed
    fraction = elapsed / total if total else 1.0 + elapsed / 1_000_000
    return Clock(
        due_at=None if due is None else _from_us(due),
        elapsed=dt.timedelta(microseconds=elapsed),
        paused=dt.timedelta(microseconds=paused),
        remaining=None if remaining is None else dt.timedelta(microseconds=remaining),
        fraction_used=fraction,
    )


def time_at_fraction(
    calendar: Calendar,
    start: dt.datetime,
    amount: int,
    unit: Unit | str,
    fraction: float,
    pauses: Sequence[Pause] = (),
) -> dt.datetime | None:
    """The moment a limit has used ``fraction`` of its clock time: ``ceil(fraction * total)`` µs of
    the total that :func:`clock` counts (open time for business units), from the start, moved by the
    pauses exactly as a due time is. ``start`` for a limit whose total is zero; ``None`` while an
    open-ended pause stops the clock before that moment."""
    start_us = _to_us(start)
    base = _base_due_us(calendar, start, amount, unit)
    total = _measure(calendar, unit, start_us, base)
    if total <= 0:
        return start
    target = math.ceil(total * fraction)
    business = unit in BUSINESS_UNITS
    point = _engine(calendar).add(start_us, target) if business else start_us + target
    moment = _due_us(calendar, start, amount, unit, pauses, point)
    return None if moment is None else _from_us(moment)


def next_opening(calendar: Calendar, moment: dt.datetime) -> dt.datetime:
    """``moment`` itself when the calendar is open then, otherwise the next opening (UTC)."""
    return _from_us(_engine(calendar).next_open(_to_us(moment))[2])


def business_time_between(calendar: Calendar, a: dt.datetime, b: dt.datetime) -> dt.timedelta:
    """Open time in [a, b) on the calendar (zero when b is not after a)."""
    return dt.timedelta(microseconds=_engine(calendar).between(_to_us(a), _to_us(b)))
