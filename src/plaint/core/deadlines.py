"""Business-day deadlines. The one place due dates are computed, so the promise engine can replace it.

A business day is a weekday that is not a public holiday of the organisation's country. A period of
N business days received at any moment ends at the end of the Nth following business day
(17:00 local time), so a complaint received on Friday evening has the same due time as one received
on Saturday.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

END_OF_DAY = dt.time(17, 0)


@lru_cache(maxsize=64)
def _holidays_for(country: str, year: int) -> frozenset[dt.date]:
    try:
        return frozenset(holidays.country_holidays(country, years=year).keys())
    except NotImplementedError:
        return frozenset()


def is_business_day(day: dt.date, country: str) -> bool:
    return day.weekday() < 5 and day not in _holidays_for(country, day.year)


def add_business_days(start: dt.datetime, days: int, *, country: str, tz: str) -> dt.datetime:
    """The end of the ``days``-th business day after ``start`` (an aware datetime), as an aware UTC time."""
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    zone = ZoneInfo(tz)
    day = start.astimezone(zone).date()
    counted = 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_business_day(day, country):
            counted += 1
    return dt.datetime.combine(day, END_OF_DAY, tzinfo=zone).astimezone(dt.UTC)


def complaint_due_dates(received_at: dt.datetime, organisation) -> tuple[dt.datetime, dt.datetime]:
    """(acknowledgement due, response due) for a complaint received at ``received_at``."""
    ack = add_business_days(
        received_at,
        organisation.acknowledgement_business_days,
        country=organisation.country,
        tz=organisation.timezone,
    )
    response = add_business_days(
        received_at,
        organisation.response_business_days,
        country=organisation.country,
        tz=organisation.timezone,
    )
    return ack, response
