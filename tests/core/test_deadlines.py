"""A complaint's two due dates come from the organisation's default business calendar."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from plaint.core.actors import Actor
from plaint.core.deadlines import complaint_due_dates
from plaint.core.models import Organisation
from plaint.organisation.services import calendar_create, closed_day_add

TALLINN = ZoneInfo("Europe/Tallinn")


def org(**kwargs) -> Organisation:
    values = {
        "country": "EE",
        "timezone": "Europe/Tallinn",
        "acknowledgement_business_days": 2,
        "response_business_days": 20,
    }
    return Organisation(**(values | kwargs))


@pytest.mark.django_db
def test_without_a_saved_calendar_the_organisations_country_and_zone_count():
    # Fri 20 Nov 2026 10:00 (in hours): ack = Tue 24 Nov 17:00; 20 business days = Fri 18 Dec 17:00
    # (Nov 23-27, Nov 30-Dec 4, Dec 7-11, Dec 14-18 are 20 working days, no holidays among them).
    ack, response = complaint_due_dates(dt.datetime(2026, 11, 20, 10, tzinfo=TALLINN), org())
    assert ack == dt.datetime(2026, 11, 24, 15, tzinfo=dt.UTC)
    assert response == dt.datetime(2026, 12, 18, 15, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_receipt_after_hours_counts_from_the_next_opening():
    # Fri 20 Nov 19:00 -> received Mon 23 Nov 09:00 -> ack Wed 25 Nov 17:00
    ack, _ = complaint_due_dates(dt.datetime(2026, 11, 20, 19, tzinfo=TALLINN), org())
    assert ack == dt.datetime(2026, 11, 25, 15, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_other_country_from_the_organisation_settings():
    # Sweden, Wed 13 May 2026 10:00 CEST; Ascension Day Thu 14 May; 2 business days = Mon 18 May
    stockholm = ZoneInfo("Europe/Stockholm")
    ack, _ = complaint_due_dates(
        dt.datetime(2026, 5, 13, 10, tzinfo=stockholm),
        org(country="SE", timezone="Europe/Stockholm"),
    )
    assert ack == dt.datetime(2026, 5, 18, 15, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_the_saved_default_calendar_with_its_closed_days_wins(manager):
    actor = Actor.staff(manager)
    calendar = calendar_create(
        actor=actor, name="Head office", country="EE", timezone="Europe/Tallinn", is_default=True
    )
    closed_day_add(actor=actor, calendar_id=calendar.pk, date=dt.date(2026, 11, 23), reason="Move")
    # Fri 20 Nov 10:00; Mon 23 closed -> Tue 24 (1), Wed 25 (2)
    ack, _ = complaint_due_dates(
        dt.datetime(2026, 11, 20, 10, tzinfo=TALLINN),
        org(country="SE", timezone="Europe/Stockholm"),
    )
    assert ack == dt.datetime(2026, 11, 25, 15, tzinfo=dt.UTC)
