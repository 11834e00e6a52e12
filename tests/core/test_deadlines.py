"""Business-day deadlines on each organisation country's holidays."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plaint.core.deadlines import add_business_days, complaint_due_dates, is_business_day
from plaint.core.models import Organisation

TALLINN = ZoneInfo("Europe/Tallinn")


def at(y, m, d, h=10, tz=TALLINN):
    return dt.datetime(y, m, d, h, tzinfo=tz)


@pytest.mark.parametrize(
    ("received", "days", "country", "tz", "due_local_date"),
    [
        # Friday 20 Nov 2026 + 2 business days = Tuesday 24 Nov (weekend skipped)
        (at(2026, 11, 20), 2, "EE", "Europe/Tallinn", dt.date(2026, 11, 24)),
        # Saturday counts like Friday evening
        (at(2026, 11, 21), 2, "EE", "Europe/Tallinn", dt.date(2026, 11, 24)),
        # Estonia: 24, 25, 26 Dec are holidays; 23 Dec + 1 = 28 Dec (Mon)
        (at(2026, 12, 23), 1, "EE", "Europe/Tallinn", dt.date(2026, 12, 28)),
        # year boundary: 31 Dec 2026 (Thu) + 1 = 4 Jan 2027 (1 Jan holiday, then weekend)
        (at(2026, 12, 31), 1, "EE", "Europe/Tallinn", dt.date(2027, 1, 4)),
        # Sweden: Ascension Day is Thu 14 May 2026; Wed 13 May + 1 = Fri 15 May
        (
            at(2026, 5, 13, tz=ZoneInfo("Europe/Stockholm")),
            1,
            "SE",
            "Europe/Stockholm",
            dt.date(2026, 5, 15),
        ),
        # Ukraine: public holidays are suspended under martial law (since 2022), so Independence
        # Day, Mon 24 Aug 2026, is a working day: Fri 21 Aug + 1 = Mon 24 Aug
        (at(2026, 8, 21, tz=ZoneInfo("Europe/Kyiv")), 1, "UA", "Europe/Kyiv", dt.date(2026, 8, 24)),
        # Estonian summer time ends Sun 25 Oct 2026; due time is still 17:00 local
        (at(2026, 10, 23), 1, "EE", "Europe/Tallinn", dt.date(2026, 10, 26)),
    ],
)
def test_worked_examples(received, days, country, tz, due_local_date):
    due = add_business_days(received, days, country=country, tz=tz)
    local = due.astimezone(ZoneInfo(tz))
    assert local.date() == due_local_date
    assert local.time() == dt.time(17, 0)


def test_naive_start_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        add_business_days(dt.datetime(2026, 1, 5, 10), 1, country="EE", tz="Europe/Tallinn")


def test_complaint_due_dates_follow_the_organisation():
    org = Organisation(
        country="EE",
        timezone="Europe/Tallinn",
        acknowledgement_business_days=2,
        response_business_days=20,
    )
    ack, response = complaint_due_dates(at(2026, 11, 20), org)
    assert ack.astimezone(TALLINN).date() == dt.date(2026, 11, 24)
    # counted independently, one calendar day at a time
    day, counted = dt.date(2026, 11, 20), 0
    while counted < 20:
        day += dt.timedelta(days=1)
        if is_business_day(day, "EE"):
            counted += 1
    assert response.astimezone(TALLINN).date() == day


@settings(max_examples=60, deadline=None)
@given(
    start=st.datetimes(
        min_value=dt.datetime(2024, 1, 1),
        max_value=dt.datetime(2030, 12, 31),
        timezones=st.just(TALLINN),
    ),
    a=st.integers(min_value=0, max_value=40),
    b=st.integers(min_value=0, max_value=40),
)
def test_properties(start, a, b):
    due_a = add_business_days(start, a, country="EE", tz="Europe/Tallinn")
    due_ab = add_business_days(start, a + b, country="EE", tz="Europe/Tallinn")
    assert due_ab >= due_a  # monotonic
    if a:
        assert is_business_day(due_a.astimezone(TALLINN).date(), "EE")  # never due on a closed day
        # adding a then b equals adding a+b
        assert add_business_days(due_a, b, country="EE", tz="Europe/Tallinn") == due_ab
