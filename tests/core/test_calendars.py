"""Worked examples of the deadline engine, one table per shipped country.

Every expected value was worked out by hand from the rules in docs/calendars.md; the reasoning is the
comment on each row. Times in the inputs are local wall-clock times of the calendar's zone; expected
values are UTC, so the offset of the day (summer or winter time) is part of each check.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from plaint.core.calendars import (
    Calendar,
    Unit,
    business_time_between,
    clock,
    deadline,
    default_opening,
    holiday_dates,
    next_opening,
)

BD, BH, CD, H, W = (
    Unit.BUSINESS_DAYS,
    Unit.BUSINESS_HOURS,
    Unit.CALENDAR_DAYS,
    Unit.HOURS,
    Unit.WEEKS,
)

EE = Calendar("Europe/Tallinn", "EE")
UA = Calendar("Europe/Kyiv", "UA")
SE = Calendar("Europe/Stockholm", "SE")
IR = Calendar("Asia/Tehran", "IR")
GB = Calendar("Europe/London", "GB", "ENG")
GB_SCT = Calendar("Europe/London", "GB", "SCT")
AU = Calendar("Australia/Sydney", "AU")
AU_NSW = Calendar("Australia/Sydney", "AU", "NSW")
US = Calendar("America/New_York", "US")


def local(calendar: Calendar, *args: int, fold: int = 0) -> dt.datetime:
    return dt.datetime(*args, tzinfo=ZoneInfo(calendar.timezone), fold=fold)


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


CASES = [
    # --- Estonia: EET (UTC+2) in winter, EEST (UTC+3) from the last Sunday of March to the last of October.
    # Fri 20 Nov 2026 10:00 is inside working hours, so Friday is the day of receipt; Mon 23 is day 1,
    # Tue 24 day 2; closes 17:00 EET = 15:00 UTC.
    ("EE in hours", EE, (2026, 11, 20, 10), 2, BD, utc(2026, 11, 24, 15)),
    # Fri 20:00 is after closing: received at the next opening, Mon 23 09:00; day 2 is Wed 25.
    ("EE after hours", EE, (2026, 11, 20, 20), 2, BD, utc(2026, 11, 25, 15)),
    # Saturday: received Monday, same as above.
    ("EE on Saturday", EE, (2026, 11, 21, 12), 2, BD, utc(2026, 11, 25, 15)),
    # Mon 07:30 is before opening on a business day: received that Monday 09:00, day 2 is Wed 25.
    ("EE before opening", EE, (2026, 11, 23, 7, 30), 2, BD, utc(2026, 11, 25, 15)),
    # Exactly 17:00 is closed (hours are [09:00, 17:00)): received Tue 24 09:00, day 2 is Thu 26.
    ("EE at closing time", EE, (2026, 11, 23, 17), 2, BD, utc(2026, 11, 26, 15)),
    # 0 business days: the close of the day of receipt.
    ("EE zero days", EE, (2026, 11, 23, 10), 0, BD, utc(2026, 11, 23, 15)),
    # Christmas: 24, 25, 26 Dec (Thu, Fri, Sat) are holidays; Wed 23 + 1 = Mon 28.
    ("EE Christmas", EE, (2026, 12, 23, 10), 1, BD, utc(2026, 12, 28, 15)),
    # Year end: Thu 31 Dec + 1: 1 Jan (Fri) holiday, weekend, so Mon 4 Jan 2027.
    ("EE New Year", EE, (2026, 12, 31, 10), 1, BD, utc(2027, 1, 4, 15)),
    # Spring DST (Sun 29 Mar 2026): Fri 27 Mar + 1 = Mon 30 Mar 17:00 EEST = 14:00 UTC.
    ("EE days across spring DST", EE, (2026, 3, 27, 10), 1, BD, utc(2026, 3, 30, 14)),
    # 20 business days from Mon 2 Mar 2026 (working days only, no holidays in March): Mar 30 (Mon)
    # is day 20 (3-6, 9-13, 16-20, 23-27 = 19 days, 30 = 20); 17:00 EEST = 14:00 UTC.
    ("EE twenty days", EE, (2026, 3, 2, 11), 20, BD, utc(2026, 3, 30, 14)),
    # Business hours: Fri 27 Mar 15:00 EET + 4h = 2h on Friday (to 17:00) + 2h on Mon 30 Mar
    # from 09:00 EEST = 11:00 EEST = 08:00 UTC.
    ("EE hours across DST", EE, (2026, 3, 27, 15), 4, BH, utc(2026, 3, 30, 8)),
    # Business hours ending exactly at closing stay at closing: Mon 09:00 + 8h = Mon 17:00.
    ("EE hours to closing", EE, (2026, 11, 23, 9), 8, BH, utc(2026, 11, 23, 15)),
    # Receipt at 17:00: the next opening is Tue 09:00, + 1h = Tue 10:00 EET = 08:00 UTC.
    ("EE hours from closing", EE, (2026, 11, 23, 17), 1, BH, utc(2026, 11, 24, 8)),
    # Year end in business hours: Thu 31 Dec 15:00 + 4h: 2h on 31 Dec, then Mon 4 Jan 09:00 + 2h.
    ("EE hours across New Year", EE, (2026, 12, 31, 15), 4, BH, utc(2027, 1, 4, 9)),
    # Calendar day across spring DST: Sat 28 Mar 10:00 EET (08:00 UTC) to Sun 29 Mar 10:00 EEST
    # (07:00 UTC) — 23 hours of real time, same wall clock.
    ("EE calendar day spring", EE, (2026, 3, 28, 10), 1, CD, utc(2026, 3, 29, 7)),
    # ... whereas 24 hours is 24 hours: 08:00 UTC the next day (11:00 EEST).
    ("EE 24 hours spring", EE, (2026, 3, 28, 10), 24, H, utc(2026, 3, 29, 8)),
    # Autumn: Sat 24 Oct 10:00 EEST (07:00 UTC) to Sun 25 Oct 10:00 EET (08:00 UTC) — 25 hours.
    ("EE calendar day autumn", EE, (2026, 10, 24, 10), 1, CD, utc(2026, 10, 25, 8)),
    # 03:30 on 29 Mar does not exist (03:00 EET jumps to 04:00 EEST at 01:00 UTC): the jump itself.
    ("EE nonexistent time", EE, (2026, 3, 28, 3, 30), 1, CD, utc(2026, 3, 29, 1)),
    # 03:30 on 25 Oct happens twice (04:00 EEST falls back to 03:00 EET at 01:00 UTC): the first,
    # 03:30 EEST = 00:30 UTC.
    ("EE ambiguous time", EE, (2026, 10, 24, 3, 30), 1, CD, utc(2026, 10, 25, 0, 30)),
    # Calendar days ending on a holiday are not moved: Wed 23 Dec + 1 = Thu 24 Dec 10:00 EET.
    ("EE calendar day on a holiday", EE, (2026, 12, 23, 10), 1, CD, utc(2026, 12, 24, 8)),
    # A week across the autumn switch: Mon 19 Oct 12:00 EEST (09:00 UTC) to Mon 26 Oct 12:00 EET.
    ("EE week autumn", EE, (2026, 10, 19, 12), 1, W, utc(2026, 10, 26, 10)),
    # --- Ukraine (Europe/Kyiv, EET/EEST). Under martial law (since 2022) public holidays are working
    # days and the holidays package lists none; 2021 still had them, including a transferred day:
    # 7 Jan (Christmas) and 8 Jan (day off moved from Sat 16 Jan) closed, so Wed 6 Jan + 1 = Mon 11 Jan.
    ("UA Christmas 2021", UA, (2021, 1, 6, 10), 1, BD, utc(2021, 1, 11, 15)),
    # ... and Sat 16 Jan 2021 is a working day: Fri 15 Jan + 1 = Sat 16 Jan 17:00 EET.
    ("UA transferred Saturday", UA, (2021, 1, 15, 10), 1, BD, utc(2021, 1, 16, 15)),
    # 2026: Thu 24 Dec + 1 = Fri 25 Dec (not a day off under martial law).
    ("UA Christmas 2026", UA, (2026, 12, 24, 10), 1, BD, utc(2026, 12, 25, 15)),
    # Spring DST in Kyiv is also 29 Mar 2026 03:00 -> 04:00: Sat 28 Mar 09:00 EET (07:00 UTC) + 1 day =
    # Sun 29 Mar 09:00 EEST = 06:00 UTC.
    ("UA calendar day spring", UA, (2026, 3, 28, 9), 1, CD, utc(2026, 3, 29, 6)),
    # --- Sweden (CET/CEST). Ascension Day Thu 14 May 2026: Wed 13 May + 1 = Fri 15 May 17:00 CEST.
    ("SE Ascension", SE, (2026, 5, 13, 10), 1, BD, utc(2026, 5, 15, 15)),
    # Year end: Wed 30 Dec + 4: Thu 31 Dec (1), 1 Jan holiday, weekend, Mon 4 (2), Tue 5 (3),
    # Wed 6 Jan Epiphany, Thu 7 Jan (4); 17:00 CET = 16:00 UTC.
    ("SE New Year and Epiphany", SE, (2026, 12, 30, 10), 4, BD, utc(2027, 1, 7, 16)),
    # Autumn DST (25 Oct 2026, 03:00 CEST -> 02:00 CET): Fri 23 Oct 16:00 CEST + 2 business hours =
    # 1h Friday + Mon 26 Oct 09:00-10:00 CET = 09:00 UTC.
    ("SE hours across autumn DST", SE, (2026, 10, 23, 16), 2, BH, utc(2026, 10, 26, 9)),
    # --- Iran (Asia/Tehran, UTC+03:30 all year). Weekend is Friday only; Thursday is a working day.
    # Thu 12 Nov 2026 + 1: Fri 13 Nov weekend (and Martyrdom of Fatima), so Sat 14 Nov 17:00 = 13:30 UTC.
    ("IR Friday weekend", IR, (2026, 11, 12, 10), 1, BD, utc(2026, 11, 14, 13, 30)),
    # Tue 22 Dec + 1: Wed 23 Dec is Birthday of Imam Ali, so Thu 24 Dec.
    ("IR holiday then Thursday", IR, (2026, 12, 22, 10), 1, BD, utc(2026, 12, 24, 13, 30)),
    # A Saturday receipt in hours counts that Saturday: Sat 14 Nov + 1 = Sun 15 Nov.
    ("IR Saturday is a business day", IR, (2026, 11, 14, 10), 1, BD, utc(2026, 11, 15, 13, 30)),
    # --- United Kingdom, England (GMT/BST). Christmas Fri 25, Boxing Day Sat 26 observed Mon 28 Dec:
    # Wed 23 Dec + 2 = Thu 24 (1), Tue 29 (2); 17:00 GMT.
    ("GB Christmas", GB, (2026, 12, 23, 10), 2, BD, utc(2026, 12, 29, 17)),
    # New Year: Thu 31 Dec + 1 = Mon 4 Jan in England ...
    ("GB England New Year", GB, (2026, 12, 31, 10), 1, BD, utc(2027, 1, 4, 17)),
    # ... but Scotland also closes on 2 Jan, a Saturday, observed Mon 4 Jan: Tue 5 Jan.
    ("GB Scotland New Year", GB_SCT, (2026, 12, 31, 10), 1, BD, utc(2027, 1, 5, 17)),
    # London springs forward Sun 29 Mar 2026 01:00 -> 02:00: Sat 28 Mar 01:30 GMT + 1 day would be
    # 01:30 on Sunday, which does not exist; the jump is at 01:00 UTC.
    ("GB nonexistent time", GB, (2026, 3, 28, 1, 30), 1, CD, utc(2026, 3, 29, 1)),
    # DISP-style 8 weeks: Mon 7 Sep 2026 10:00 BST (09:00 UTC) + 8 weeks = Mon 2 Nov 10:00 GMT.
    ("GB eight weeks", GB, (2026, 9, 7, 10), 8, W, utc(2026, 11, 2, 10)),
    # --- Australia, Sydney (AEST UTC+10, AEDT UTC+11 from the first Sunday of October to the first
    # Sunday of April). Nationally, Fri 2 Oct 2026 + 1 = Mon 5 Oct, 17:00 AEDT = 06:00 UTC.
    ("AU national", AU, (2026, 10, 2, 10), 1, BD, utc(2026, 10, 5, 6)),
    # In New South Wales Mon 5 Oct is Labour Day: Tue 6 Oct.
    ("AU NSW Labour Day", AU_NSW, (2026, 10, 2, 10), 1, BD, utc(2026, 10, 6, 6)),
    # DST starts Sun 4 Oct 02:00 -> 03:00: Sat 3 Oct 10:00 AEST (00:00 UTC) + 1 day = Sun 4 Oct 10:00
    # AEDT = 23:00 UTC on 3 Oct (23 hours).
    ("AU calendar day spring", AU, (2026, 10, 3, 10), 1, CD, utc(2026, 10, 3, 23)),
    # 02:30 on 4 Oct does not exist: the jump, 02:00 AEST = 16:00 UTC on 3 Oct.
    ("AU nonexistent time", AU, (2026, 10, 3, 2, 30), 1, CD, utc(2026, 10, 3, 16)),
    # DST ends Sun 5 Apr 2026 03:00 AEDT -> 02:00 AEST: 02:30 happens twice; the first is AEDT,
    # 15:30 UTC on 4 Apr — exactly 24 hours after Sat 4 Apr 02:30 AEDT.
    ("AU ambiguous time", AU, (2026, 4, 4, 2, 30), 1, CD, utc(2026, 4, 4, 15, 30)),
    # ASIC-style 30 calendar days over Christmas, not moved off the holiday: Wed 25 Nov 2026 12:00 AEDT
    # + 30 days = Fri 25 Dec 12:00 AEDT = 01:00 UTC.
    ("AU thirty days on Christmas", AU_NSW, (2026, 11, 25, 12), 30, CD, utc(2026, 12, 25, 1)),
    # NSW Christmas: Thu 24 Dec + 1: Fri 25, Sat 26, Sun, Mon 28 (Boxing Day observed): Tue 29 Dec.
    ("AU NSW Christmas", AU_NSW, (2026, 12, 24, 10), 1, BD, utc(2026, 12, 29, 6)),
    # --- United States, New York (EST UTC-5, EDT UTC-4). Thanksgiving Thu 26 Nov 2026:
    # Wed 25 Nov + 1 = Fri 27 Nov 17:00 EST = 22:00 UTC.
    ("US Thanksgiving", US, (2026, 11, 25, 10), 1, BD, utc(2026, 11, 27, 22)),
    # New Year: Thu 31 Dec 16:00 + 1 = Mon 4 Jan 2027 (1 Jan holiday, weekend).
    ("US New Year in hours", US, (2026, 12, 31, 16), 1, BD, utc(2027, 1, 4, 22)),
    # ... at 18:00 it is after hours: received Mon 4 Jan 09:00, + 1 = Tue 5 Jan.
    ("US New Year after hours", US, (2026, 12, 31, 18), 1, BD, utc(2027, 1, 5, 22)),
    # DST starts Sun 8 Mar 2026 02:00 -> 03:00: Sat 7 Mar 12:00 EST (17:00 UTC) + 1 day = Sun 12:00 EDT.
    ("US calendar day spring", US, (2026, 3, 7, 12), 1, CD, utc(2026, 3, 8, 16)),
    # DST ends Sun 1 Nov 02:00 EDT -> 01:00 EST: 01:30 twice; the first is EDT = 05:30 UTC.
    ("US ambiguous time", US, (2026, 10, 31, 1, 30), 1, CD, utc(2026, 11, 1, 5, 30)),
    # Business hours across it: Fri 30 Oct 16:00 EDT + 2h = 1h Friday + Mon 2 Nov 09:00-10:00 EST.
    ("US hours across autumn DST", US, (2026, 10, 30, 16), 2, BH, utc(2026, 11, 2, 15)),
    # CFPB-style 15 days: Mon 2 Mar 2026 09:00 EST + 15 calendar days = Tue 17 Mar 09:00 EDT.
    ("US fifteen days", US, (2026, 3, 2, 9), 15, CD, utc(2026, 3, 17, 13)),
    # Two weeks across the switch: Mon 2 Mar 09:00 EST (14:00 UTC) -> Mon 16 Mar 09:00 EDT (13:00 UTC).
    ("US two weeks", US, (2026, 3, 2, 9), 2, W, utc(2026, 3, 16, 13)),
]


@pytest.mark.parametrize(
    ("calendar", "start", "amount", "unit", "expected"),
    [pytest.param(c, s, a, u, e, id=name) for name, c, s, a, u, e in CASES],
)
def test_worked_examples(calendar, start, amount, unit, expected):
    due = deadline(calendar, local(calendar, *start), amount, unit)
    assert due == expected
    assert due.tzinfo is dt.UTC


def test_default_opening_follows_the_countrys_weekend():
    nine_to_five = (dt.time(9), dt.time(17))
    assert default_opening("EE") == (nine_to_five,) * 5 + (None, None)
    # Iran's weekend is Friday: open Saturday to Thursday
    assert default_opening("IR") == (nine_to_five,) * 4 + (None,) + (nine_to_five,) * 2
    assert IR.is_business_day(dt.date(2026, 11, 12))  # Thursday
    assert not IR.is_business_day(dt.date(2026, 11, 20))  # Friday
    assert default_opening("") == (nine_to_five,) * 5 + (None, None)


def test_closed_days_and_custom_opening_hours():
    tallinn = ZoneInfo("Europe/Tallinn")
    short_friday = (
        (dt.time(8), dt.time(16)),
        (dt.time(8), dt.time(16)),
        (dt.time(8), dt.time(16)),
        (dt.time(8), dt.time(16)),
        (dt.time(8), dt.time(12)),
        None,
        None,
    )
    calendar = Calendar(
        "Europe/Tallinn", "EE", opening=short_friday, closed_days=frozenset({dt.date(2026, 11, 23)})
    )
    # Fri 20 Nov 11:00 + 2 business hours: 1h to 12:00 on Friday; Mon 23 is a closed day;
    # Tue 24 08:00 + 1h = 09:00 EET = 07:00 UTC.
    start = dt.datetime(2026, 11, 20, 11, tzinfo=tallinn)
    assert deadline(calendar, start, 2, BH) == utc(2026, 11, 24, 7)
    # 1 business day: Tue 24 Nov 16:00 EET.
    assert deadline(calendar, start, 1, BD) == utc(2026, 11, 24, 14)
    assert not calendar.is_business_day(dt.date(2026, 11, 23))
    assert calendar.is_business_day(dt.date(2026, 11, 24))


def test_country_without_holidays_and_calendar_value_semantics():
    plain = Calendar("UTC", "")
    assert holiday_dates("", "", 2026) == frozenset()
    assert plain.is_business_day(dt.date(2026, 12, 25))
    assert Calendar("Europe/Tallinn", "ee") == EE and hash(
        Calendar("Europe/Tallinn", "ee")
    ) == hash(EE)
    assert {EE, Calendar("Europe/Tallinn", "EE")} == {EE}


@pytest.mark.parametrize(
    "kwargs",
    [
        {"timezone": "Mars/Olympus", "country": "EE"},
        {"timezone": "UTC", "country": "XX"},
        {"timezone": "UTC", "country": "GB", "subdivision": "XYZ"},
        {"timezone": "UTC", "country": "EE", "opening": ((dt.time(9), dt.time(17)),) * 6},
        {"timezone": "UTC", "country": "EE", "opening": ((dt.time(17), dt.time(9)),) * 7},
    ],
)
def test_invalid_calendars_are_refused(kwargs):
    with pytest.raises((ValueError, LookupError)):
        Calendar(**kwargs)


def test_calendar_that_is_never_open_is_an_error_not_a_hang():
    never = Calendar("UTC", "", opening=(None,) * 7)
    with pytest.raises(ValueError, match="no business days"):
        deadline(never, utc(2026, 1, 1), 1, BD)


def test_naive_datetimes_and_negative_amounts_are_refused():
    with pytest.raises(ValueError):
        deadline(EE, dt.datetime(2026, 1, 5, 10), 1, BD)
    with pytest.raises(ValueError):
        deadline(EE, utc(2026, 1, 5, 10), -1, BD)


def test_next_opening_and_business_time_between():
    # Sat 21 Nov 2026 -> Mon 23 Nov 09:00 EET
    assert next_opening(EE, utc(2026, 11, 21, 12)) == utc(2026, 11, 23, 7)
    assert next_opening(EE, utc(2026, 11, 23, 8)) == utc(2026, 11, 23, 8)  # 10:00 local, open
    # Fri 20 Nov 15:00 EET to Mon 23 Nov 10:00 EET: 2h + 1h
    assert business_time_between(EE, utc(2026, 11, 20, 13), utc(2026, 11, 23, 8)) == dt.timedelta(
        hours=3
    )
    # Across the year end: Thu 31 Dec 2026 16:00 to Mon 4 Jan 2027 10:00: 1h + 1h
    assert business_time_between(EE, utc(2026, 12, 31, 14), utc(2027, 1, 4, 8)) == dt.timedelta(
        hours=2
    )
    assert business_time_between(EE, utc(2027, 1, 4, 8), utc(2026, 12, 31, 14)) == dt.timedelta(0)


# --- pauses ------------------------------------------------------------------------------------------


def test_pause_extends_business_days_by_the_business_time_inside_it():
    start = local(EE, 2026, 11, 20, 10)  # Fri; 2 BD -> Tue 24 Nov 17:00
    # Paused Fri 11:00 -> Mon 12:00: business time inside = 6h (Fri 11-17) + 3h (Mon 9-12) = 9h.
    # Tue 17:00 + 9 business hours = Wed 8h (to 17:00) + Thu 1h = Thu 26 Nov 10:00 EET = 08:00 UTC.
    pauses = [(local(EE, 2026, 11, 20, 11), local(EE, 2026, 11, 23, 12))]
    assert deadline(EE, start, 2, BD, pauses) == utc(2026, 11, 26, 8)


def test_pause_extends_calendar_units_by_elapsed_time():
    start = utc(2026, 3, 1, 12)
    pauses = [(utc(2026, 3, 2), utc(2026, 3, 4, 6))]  # 2 days 6 hours, before either due time
    assert deadline(US, start, 30, H, pauses) == start + dt.timedelta(hours=30 + 54)
    base = deadline(US, start, 15, CD)
    assert deadline(US, start, 15, CD, pauses) == base + dt.timedelta(days=2, hours=6)


def test_overlapping_pauses_merge_and_time_before_the_start_is_ignored():
    start = utc(2026, 6, 1)
    overlapping = [
        (utc(2026, 5, 20), utc(2026, 6, 2)),  # only 1 day of it is after the start
        (
            utc(2026, 6, 1, 12),
            utc(2026, 6, 3),
        ),  # overlaps the first: merged span 1 Jun 00:00 -> 3 Jun
        (utc(2026, 6, 2, 12), utc(2026, 6, 2, 18)),  # inside the merged span
    ]
    assert deadline(Calendar("UTC", ""), start, 10, H, overlapping) == start + dt.timedelta(
        days=2, hours=10
    )


def test_pause_after_the_deadline_changes_nothing_and_open_pause_stops_the_clock():
    start = utc(2026, 6, 1)
    assert deadline(Calendar("UTC", ""), start, 10, H, [(utc(2026, 6, 2), None)]) == utc(
        2026, 6, 1, 10
    )
    assert deadline(Calendar("UTC", ""), start, 10, H, [(utc(2026, 6, 1, 5), None)]) is None


def test_a_second_pause_that_starts_after_the_original_due_but_before_the_extended_one_counts():
    calendar = Calendar("UTC", "")
    start = utc(2026, 6, 1)
    pauses = [(utc(2026, 6, 1, 2), utc(2026, 6, 1, 7)), (utc(2026, 6, 1, 12), utc(2026, 6, 1, 13))]
    # 10h + 5h paused -> 15:00; the second pause (12-13) is before 15:00 -> 16:00
    assert deadline(calendar, start, 10, H, pauses) == utc(2026, 6, 1, 16)


# --- clock -------------------------------------------------------------------------------------------


def test_clock_in_business_days():
    start = local(EE, 2026, 11, 20, 10)  # Fri 10:00; 2 BD -> Tue 24 Nov 17:00
    # Total: Fri 7h + Mon 8h + Tue 8h = 23h. At Mon 23 Nov 13:00: Fri 7h + Mon 4h = 11h elapsed.
    now = local(EE, 2026, 11, 23, 13)
    state = clock(EE, start, 2, BD, now=now)
    assert state.due_at == utc(2026, 11, 24, 15)
    assert state.elapsed == dt.timedelta(hours=11)
    assert state.paused == dt.timedelta(0)
    assert state.remaining == dt.timedelta(hours=12)
    assert state.fraction_used == pytest.approx(11 / 23)


def test_clock_with_pauses_and_overdue():
    start = local(EE, 2026, 11, 20, 10)
    pauses = [(local(EE, 2026, 11, 23, 9), local(EE, 2026, 11, 23, 12))]  # Mon 9-12: 3h paused
    state = clock(EE, start, 2, BD, now=local(EE, 2026, 11, 23, 13), pauses=pauses)
    assert state.elapsed == dt.timedelta(hours=8)  # 7h Fri + 1h Mon
    assert state.paused == dt.timedelta(hours=3)
    assert state.remaining == dt.timedelta(hours=15)
    assert state.due_at == utc(2026, 11, 25, 10)  # Tue 17:00 + 3h = Wed 12:00 EET
    # Overdue: at Wed 25 Nov 16:00, elapsed = 7 + 5 (Mon 12-17) + 8 + 7 = 27h; total 23h
    late = clock(EE, start, 2, BD, now=local(EE, 2026, 11, 25, 16), pauses=pauses)
    assert late.remaining == dt.timedelta(hours=-4)
    assert late.fraction_used == pytest.approx(27 / 23)


def test_clock_while_paused_open_endedly():
    start = utc(2026, 6, 1)
    calendar = Calendar("UTC", "")
    state = clock(
        calendar, start, 10, H, now=utc(2026, 6, 1, 8), pauses=[(utc(2026, 6, 1, 6), None)]
    )
    assert state.due_at is None and state.remaining is None
    assert state.elapsed == dt.timedelta(hours=6) and state.paused == dt.timedelta(hours=2)
    assert state.fraction_used == pytest.approx(0.6)


def test_clock_of_a_calendar_day_limit_counts_real_time_across_dst():
    # Sat 28 Mar 10:00 EET + 1 CD = Sun 29 Mar 10:00 EEST: 23 real hours in total.
    # (aware arithmetic on a local datetime is wall-clock arithmetic in Python, so go through UTC)
    start = local(EE, 2026, 3, 28, 10).astimezone(dt.UTC)
    state = clock(EE, start, 1, CD, now=start + dt.timedelta(hours=23))
    assert state.remaining == dt.timedelta(0) and state.fraction_used == pytest.approx(1.0)


def test_clock_before_the_start_and_of_a_zero_limit():
    start = utc(2026, 6, 1, 12)
    calendar = Calendar("UTC", "")
    early = clock(calendar, start, 10, H, now=utc(2026, 6, 1))
    assert early.elapsed == dt.timedelta(0) and early.remaining == dt.timedelta(hours=10)
    zero = clock(calendar, start, 0, H, now=start)
    assert zero.due_at == start and zero.fraction_used == 1.0
    assert clock(calendar, start, 0, H, now=start + dt.timedelta(seconds=1)).fraction_used > 1
