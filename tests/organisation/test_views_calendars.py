"""The business calendar pages: managers edit, other staff read, errors land on their fields."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from plaint.core.actors import Actor
from plaint.core.models import AuditEvent, BusinessCalendar, ClosedDay
from plaint.organisation.services import calendar_create, closed_day_add

pytestmark = pytest.mark.django_db


def form_data(**overrides) -> dict[str, str]:
    data = {
        "cal-name": "Helsinki office",
        "cal-country": "fi",
        "cal-subdivision": "",
        "cal-timezone": "Europe/Helsinki",
        "create_calendar": "1",
    }
    for day in range(5):
        data[f"cal-opening_{day}"] = "08:30"
        data[f"cal-closing_{day}"] = "16:30"
    for day in (5, 6):
        data[f"cal-opening_{day}"] = ""
        data[f"cal-closing_{day}"] = ""
    return data | overrides


@pytest.fixture
def office(manager):
    row = calendar_create(
        actor=Actor.staff(manager),
        name="Tallinn office",
        country="EE",
        timezone="Europe/Tallinn",
        is_default=True,
    )
    closed_day_add(
        actor=Actor.staff(manager), calendar_id=row.pk, date=dt.date(2026, 12, 31), reason="Stock"
    )
    return row


@pytest.mark.parametrize("role", ["admin", "manager"])
def test_managers_create_a_calendar(client, personas, role):
    client.force_login(personas[role])
    page = client.get("/staff/settings/calendars/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="derived-default"' in body and 'name="create_calendar"' in body
    response = client.post("/staff/settings/calendars/", form_data())
    row = BusinessCalendar.objects.get()
    assert response.status_code == 302 and response.url == f"/staff/settings/calendars/{row.pk}/"
    assert row.country == "FI" and row.opening_hours[0] == ["08:30", "16:30"]
    assert row.opening_hours[5] is None
    assert AuditEvent.objects.get(case_type="calendar").actor_id == personas[role].pk


def test_manager_edits_hours_and_closed_days(client, manager, office):
    client.force_login(manager)
    url = f"/staff/settings/calendars/{office.pk}/"
    with time_machine.travel(dt.datetime(2026, 12, 1, 10, tzinfo=dt.UTC), tick=False):
        page = client.get(url)
    body = page.content.decode()
    assert page.status_code == 200
    assert "Stock" in body and 'name="save_calendar"' in body
    # the next year's closed working days: Christmas Eve (public holiday), 31 Dec (the organisation's)
    assert "Thu 24 December 2026 — Public holiday: Christmas Eve" in body
    assert "Thu 31 December 2026 — Organisation closed" in body
    assert "Sat 26 December 2026" not in body  # a weekend day is closed anyway
    data = form_data(**{"cal-name": "Tallinn HQ", "cal-country": "EE"})
    data["cal-timezone"] = "Europe/Tallinn"
    data["cal-is_default"] = "on"
    data.pop("create_calendar")
    data["save_calendar"] = "1"
    assert client.post(url, data).status_code == 302
    office.refresh_from_db()
    assert office.name == "Tallinn HQ" and office.opening_hours[4] == ["08:30", "16:30"]
    response = client.post(
        url, {"day-date": "2027-01-02", "day-reason": "Stocktake", "add_closed_day": "1"}
    )
    assert response.status_code == 302
    assert ClosedDay.objects.filter(calendar=office, date=dt.date(2027, 1, 2)).exists()
    assert client.post(url, {"remove_closed_day": "2026-12-31"}).status_code == 302
    assert not ClosedDay.objects.filter(date=dt.date(2026, 12, 31)).exists()
    actions = set(AuditEvent.objects.filter(case_type="calendar").values_list("action", flat=True))
    assert actions == {
        "calendar_created",
        "calendar_changed",
        "closed_day_added",
        "closed_day_removed",
    }


def test_validation_errors_are_field_level(client, manager, office):
    client.force_login(manager)
    response = client.post(
        "/staff/settings/calendars/",
        form_data(
            **{
                "cal-name": "Tallinn office",  # taken
                "cal-country": "XX",
                "cal-timezone": "Mars/Olympus",
                "cal-opening_0": "18:00",  # closes before it opens
                "cal-closing_1": "",  # opening without closing
            }
        ),
    )
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert {"name", "country", "timezone", "opening_0", "opening_1"} <= set(errors)
    assert BusinessCalendar.objects.count() == 1
    url = f"/staff/settings/calendars/{office.pk}/"
    response = client.post(url, {"day-date": "2026-12-31", "add_closed_day": "1"})
    assert response.status_code == 422
    assert "date" in response.context["day_form"].errors
    response = client.post(url, {"day-date": "not a date", "add_closed_day": "1"})
    assert response.status_code == 422 and "date" in response.context["day_form"].errors
    assert client.post(url, {"remove_closed_day": "nonsense"}).status_code == 422
    assert client.post(url, {"remove_closed_day": "2027-05-05"}).status_code == 404


@pytest.mark.parametrize("role", ["handler", "auditor"])
def test_other_staff_read_only(client, personas, role, office):
    client.force_login(personas[role])
    listing = client.get("/staff/settings/calendars/")
    assert listing.status_code == 200
    assert "Tallinn office" in listing.content.decode()
    assert 'name="create_calendar"' not in listing.content.decode()
    detail = client.get(f"/staff/settings/calendars/{office.pk}/")
    assert detail.status_code == 200
    assert 'name="save_calendar"' not in detail.content.decode()
    assert 'name="remove_closed_day"' not in detail.content.decode()
    assert client.post("/staff/settings/calendars/", form_data()).status_code == 403
    response = client.post(
        f"/staff/settings/calendars/{office.pk}/", {"remove_closed_day": "2026-12-31"}
    )
    assert response.status_code == 403
    assert ClosedDay.objects.count() == 1 and BusinessCalendar.objects.count() == 1


def test_anonymous_is_sent_to_login_and_unknown_calendar_is_404(client, manager):
    response = client.get("/staff/settings/calendars/")
    assert response.status_code == 302 and "login" in response.url
    client.force_login(manager)
    assert client.get("/staff/settings/calendars/999/").status_code == 404


def test_list_page_queries_are_constant(client, manager):
    actor = Actor.staff(manager)
    for n in range(6):
        row = calendar_create(
            actor=actor, name=f"Office {n}", country="EE", timezone="Europe/Tallinn"
        )
        closed_day_add(actor=actor, calendar_id=row.pk, date=dt.date(2026, 12, 31))
    client.force_login(manager)
    client.get("/staff/settings/calendars/")  # warm caches (session, content types)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as six:
        assert client.get("/staff/settings/calendars/").status_code == 200
    for n in range(6, 12):
        calendar_create(actor=actor, name=f"Office {n}", country="EE", timezone="Europe/Tallinn")
    with CaptureQueriesContext(connection) as twelve:
        assert client.get("/staff/settings/calendars/").status_code == 200
    assert len(twelve) == len(six)
