"""Properties of the deadline engine that hold for every calendar, start, amount and pause (hypothesis).

Where a property holds and where it does not (also in docs/calendars.md):

- monotonic in the amount: every unit, always;
- monotonic in the start: business units and hours always; calendar days and weeks except for starts in the
  repeated hour when clocks go back (the wall clock runs backwards there, and these units follow the wall
  clock), so such starts are left out of that check;
- adding a then b equals adding a+b: business hours and hours always; calendar days and weeks unless the
  intermediate due time fell into a spring-forward gap (it moved to the jump, losing wall-clock time);
  business days never: the due time is a closing time, which counts as a receipt at the next opening, so
  a then b is a+b+1 business days — and that is what is checked;
- a business-unit due time is on a business day, inside that day's opening hours (closing time included);
- pauses never shorten a deadline, and more pausing never makes it earlier;
- at the due time the clock shows zero remaining; elapsed + remaining is the limit's total clock time.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from plaint.core.calendars import Calendar, Unit, clock, deadline

EARLY_LATE = ((dt.time(0, 30), dt.time(23, 30)),) * 6 + (None,)  # hours that contain DST switches
CALENDARS = [
    Calendar("Europe/Tallinn", "EE"),
    Calendar("Europe/Kyiv", "UA"),
    Calendar("Europe/Stockholm", "SE"),
    Calendar("Asia/Tehran", "IR"),
    Calendar("Europe/London", "GB", "SCT"),
    Calendar("Australia/Sydney", "AU", "NSW"),
    Calendar("America/New_York", "US", "NY"),
    Calendar(
        "Europe/Tallinn",
        "EE",
        opening=EARLY_LATE,
        closed_days=frozenset({dt.date(2026, 3, 30), dt.date(2026, 10, 26), dt.date(2027, 1, 4)}),
    ),
    Calendar("Europe/Kyiv", "UA", closed_days=frozenset({dt.date(2021, 1, 18)})),
]
BUSINESS = [Unit.BUSINESS_DAYS, Unit.BUSINESS_HOURS]
ALL_UNITS = list(Unit)
SETTINGS = settings(max_examples=150, deadline=None)

calendars = st.sampled_from(CALENDARS)
moments = st.datetimes(
    min_value=dt.datetime(2020, 10, 1),
    max_value=dt.datetime(2028, 12, 31),
    timezones=st.just(dt.UTC),
)
amounts = st.integers(min_value=0, max_value=60)
units = st.sampled_from(ALL_UNITS)


def in_repeated_hour(calendar: Calendar, moment: dt.datetime) -> bool:
    zone = ZoneInfo(calendar.timezone)
    naive = moment.astimezone(zone).replace(tzinfo=None)
    return (
        naive.replace(tzinfo=zone, fold=0).utcoffset()
        != naive.replace(tzinfo=zone, fold=1).utcoffset()
    )


def pauses_strategy(start: dt.datetime):
    span = st.tuples(
        st.integers(min_value=-5 * 24 * 60, max_value=90 * 24 * 60),
        st.integers(min_value=1, max_value=20 * 24 * 60),
    )
    return st.lists(span, max_size=4).map(
        lambda spans: [
            (start + dt.timedelta(minutes=b), start + dt.timedelta(minutes=b + length))
            for b, length in spans
        ]
    )


@SETTINGS
@given(calendar=calendars, start=moments, a=amounts, b=amounts, unit=units)
def test_monotonic_in_the_amount(calendar, start, a, b, unit):
    small, large = sorted((a, b))
    assert deadline(calendar, start, small, unit) <= deadline(calendar, start, large, unit)


@SETTINGS
@given(
    calendar=calendars,
    start=moments,
    later_by=st.integers(min_value=0, max_value=10 * 24 * 3600),
    amount=amounts,
    unit=units,
)
def test_monotonic_in_the_start(calendar, start, later_by, amount, unit):
    later = start + dt.timedelta(seconds=later_by)
    if unit in (Unit.CALENDAR_DAYS, Unit.WEEKS):
        assume(not in_repeated_hour(calendar, start) and not in_repeated_hour(calendar, later))
    assert deadline(calendar, start, amount, unit) <= deadline(calendar, later, amount, unit)


@SETTINGS
@given(calendar=calendars, start=moments, a=amounts, b=amounts)
def test_adding_a_then_b(calendar, start, a, b):
    zone = ZoneInfo(calendar.timezone)
    for unit in (Unit.BUSINESS_HOURS, Unit.HOURS):
        due_a = deadline(calendar, start, a, unit)
        assert deadline(calendar, due_a, b, unit) == deadline(calendar, start, a + b, unit)
    for unit, days in ((Unit.CALENDAR_DAYS, 1), (Unit.WEEKS, 7)):
        due_a = deadline(calendar, start, a, unit)
        wall = start.astimezone(zone).replace(tzinfo=None) + dt.timedelta(days=a * days)
        if due_a.astimezone(zone).replace(tzinfo=None) == wall:  # not moved out of a gap
            assert deadline(calendar, due_a, b, unit) == deadline(calendar, start, a + b, unit)
    due_a = deadline(calendar, start, a, Unit.BUSINESS_DAYS)
    assert deadline(calendar, due_a, b, Unit.BUSINESS_DAYS) == deadline(
        calendar, start, a + b + 1, Unit.BUSINESS_DAYS
    )


@SETTINGS
@given(
    calendar=calendars,
    start=moments,
    amount=amounts,
    unit=st.sampled_from(BUSINESS),
    data=st.data(),
)
def test_business_due_times_are_inside_opening_hours(calendar, start, amount, unit, data):
    pauses = data.draw(pauses_strategy(start))
    due = deadline(calendar, start, amount, unit, pauses)
    assume(due is not None)
    local = due.astimezone(ZoneInfo(calendar.timezone))
    hours = calendar.hours_on(local.date())
    assert hours is not None, f"due on a closed day: {local}"
    assert hours[0] <= local.time() <= hours[1], f"due outside opening hours: {local}"


@SETTINGS
@given(calendar=calendars, start=moments, amount=amounts, unit=units, data=st.data())
def test_pauses_never_shorten_a_deadline(calendar, start, amount, unit, data):
    pauses = data.draw(pauses_strategy(start))
    extra = data.draw(pauses_strategy(start))
    plain = deadline(calendar, start, amount, unit)
    paused = deadline(calendar, start, amount, unit, pauses)
    more = deadline(calendar, start, amount, unit, pauses + extra)
    assert paused is not None and more is not None  # all closed pauses here
    assert plain <= paused <= more


@SETTINGS
@given(calendar=calendars, start=moments, amount=amounts, unit=units, data=st.data())
def test_clock_is_consistent_with_the_deadline(calendar, start, amount, unit, data):
    pauses = data.draw(pauses_strategy(start))
    due = deadline(calendar, start, amount, unit, pauses)
    at_due = clock(calendar, start, amount, unit, now=due, pauses=pauses)
    assert at_due.due_at == due
    assert at_due.remaining == dt.timedelta(0)
    later = due + dt.timedelta(hours=data.draw(st.integers(min_value=-2000, max_value=2000)))
    state = clock(calendar, start, amount, unit, now=later, pauses=pauses)
    total = clock(calendar, start, amount, unit, now=start).remaining
    assert state.elapsed + state.remaining == total
    if later <= due:
        assert state.remaining >= dt.timedelta(0)
    else:
        assert state.remaining <= dt.timedelta(0)
        assert state.fraction_used >= 1.0
