"""Demo business calendars for ``plaint demo``: the organisation's default calendar and one per office
in the countries Plaint's users work in, each with a real closed day of its own. Written through the
services, so the calendars' audit events are real. Idempotent: an existing calendar is left alone."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from plaint.accounts.demo import demo_configurer
from plaint.core.actors import Actor
from plaint.core.models import BusinessCalendar
from plaint.core.services import calendar_create, closed_day_add

# name, country, subdivision, time zone, default?, (month, day, reason) of an organisation closed day
DEMO_CALENDARS = [
    ("Tallinn head office", "EE", "", "Europe/Tallinn", True, (1, 2, "Inventuur (laopäev)")),
    ("Kyiv support desk", "UA", "", "Europe/Kyiv", False, (1, 2, "Інвентаризація складу")),
    ("Stockholm branch", "SE", "", "Europe/Stockholm", False, (6, 19, "Midsommarafton")),
    ("Tehran office", "IR", "", "Asia/Tehran", False, (3, 19, "تعطیلی پیش از نوروز")),
    ("London desk (England)", "GB", "ENG", "Europe/London", False, (12, 24, "Christmas Eve")),
    ("Sydney desk (NSW)", "AU", "NSW", "Australia/Sydney", False, (12, 31, "New Year's Eve")),
    ("New York desk", "US", "NY", "America/New_York", False, (11, 27, "Day after Thanksgiving")),
]


@transaction.atomic
def seed_demo(*, now: dt.datetime) -> str:
    """Create the demo calendars (closed days in the year of ``now`` and the next); returns a summary."""
    user = demo_configurer()
    if user is None:
        return "calendars: skipped (no manager or admin to configure them)"
    actor = Actor.staff(user)
    made = days = 0
    for name, country, subdivision, tz, is_default, (month, day, reason) in DEMO_CALENDARS:
        if BusinessCalendar.objects.filter(name=name).exists():
            continue
        row = calendar_create(
            actor=actor,
            name=name,
            country=country,
            subdivision=subdivision,
            timezone=tz,
            is_default=is_default,
        )
        made += 1
        for year in (now.year, now.year + 1):
            closed_day_add(
                actor=actor, calendar_id=row.pk, date=dt.date(year, month, day), reason=reason
            )
            days += 1
    return f"calendars: {made} business calendars, {days} closed days"
