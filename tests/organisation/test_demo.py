"""The demo calendars (plaint.organisation.demo) are real rows made through the services, once."""

from __future__ import annotations

import datetime as dt

import pytest

from plaint.core.models import AuditEvent, BusinessCalendar, ClosedDay
from plaint.core.selectors import calendar_default
from plaint.organisation.demo import DEMO_CALENDARS, seed_demo

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_every_calendar_once(manager):
    now = dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC)
    assert (
        seed_demo(now=now) == f"calendars: {len(DEMO_CALENDARS)} business calendars, 14 closed days"
    )
    assert BusinessCalendar.objects.count() == len(DEMO_CALENDARS)
    assert ClosedDay.objects.filter(date=dt.date(2027, 6, 19), reason="Midsommarafton").exists()
    assert (
        calendar_default().country == "EE" and dt.date(2027, 1, 2) in calendar_default().closed_days
    )
    assert AuditEvent.objects.filter(case_type="calendar").count() == len(DEMO_CALENDARS) + 14
    assert seed_demo(now=now) == "calendars: 0 business calendars, 0 closed days"


def test_seed_demo_needs_someone_to_configure():
    assert "skipped" in seed_demo(now=dt.datetime(2026, 11, 30, tzinfo=dt.UTC))
