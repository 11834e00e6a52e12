"""Calendar services (audited, managers only, field-level validation) and selectors."""

from __future__ import annotations

import datetime as dt

import pytest

from plaint.core.actors import Actor
from plaint.core.calendars import Calendar
from plaint.core.errors import NotAllowed, NotFound, ValidationFailed
from plaint.core.models import AuditEvent, BusinessCalendar, ClosedDay
from plaint.core.selectors import calendar_default, calendar_get, calendar_list
from plaint.organisation.services import (
    calendar_create,
    calendar_update,
    closed_day_add,
    closed_day_remove,
)

pytestmark = pytest.mark.django_db

NINE_FIVE = (dt.time(9), dt.time(17))


def make(actor, **kwargs) -> BusinessCalendar:
    values = {"name": "Tallinn office", "country": "EE", "timezone": "Europe/Tallinn"}
    return calendar_create(actor=actor, **(values | kwargs))


def test_create_fills_opening_hours_from_the_countrys_weekend_and_audits(manager):
    row = make(Actor.staff(manager), name="Tehran office", country="ir", timezone="Asia/Tehran")
    assert row.country == "IR"
    assert row.opening_hours == [["09:00", "17:00"]] * 4 + [None] + [["09:00", "17:00"]] * 2
    event = AuditEvent.objects.get(case_type="calendar", case_id=row.pk)
    assert event.action == "calendar_created" and event.actor_id == manager.pk
    assert event.data["country"] == "IR"
    assert calendar_get(calendar_id=row.pk) == Calendar("Asia/Tehran", "IR")


@pytest.mark.parametrize("role", ["handler", "auditor"])
def test_only_managers_and_admins_configure(personas, role):
    actor = Actor.staff(personas[role])
    with pytest.raises(NotAllowed):
        make(actor)
    row = make(Actor.staff(personas["admin"]))
    with pytest.raises(NotAllowed):
        calendar_update(actor=actor, calendar_id=row.pk, name="x")
    with pytest.raises(NotAllowed):
        closed_day_add(actor=actor, calendar_id=row.pk, date=dt.date(2026, 12, 31))
    with pytest.raises(NotAllowed):
        closed_day_remove(actor=actor, calendar_id=row.pk, date=dt.date(2026, 12, 31))
    assert AuditEvent.objects.filter(case_type="calendar").count() == 1


def test_validation_errors_are_per_field(manager):
    actor = Actor.staff(manager)
    make(actor)
    with pytest.raises(ValidationFailed) as caught:
        calendar_create(
            actor=actor,
            name="Tallinn office",
            country="XX",
            subdivision="ZZ",
            timezone="Mars/Olympus",
            opening_hours=[(dt.time(17), dt.time(9)), (dt.time(9), None)] + [None] * 5,
        )
    assert set(caught.value.fields) == {"name", "country", "timezone", "opening_0", "opening_1"}
    with pytest.raises(ValidationFailed) as caught:
        make(actor, name="Scotland", country="GB", subdivision="XYZ", timezone="Europe/London")
    assert set(caught.value.fields) == {"subdivision"}
    with pytest.raises(ValidationFailed) as caught:
        make(actor, name="Never", opening_hours=[None] * 7)
    assert set(caught.value.fields) == {"opening_hours"}
    assert BusinessCalendar.objects.count() == 1


def test_one_default_at_a_time_and_the_default_cannot_be_unset(manager):
    actor = Actor.staff(manager)
    first = make(actor, is_default=True)
    second = make(actor, name="London", country="GB", subdivision="ENG", timezone="Europe/London")
    calendar_update(actor=actor, calendar_id=second.pk, is_default=True)
    assert list(BusinessCalendar.objects.filter(is_default=True)) == [second]
    assert calendar_default() == Calendar("Europe/London", "GB", "ENG")
    with pytest.raises(ValidationFailed) as caught:
        calendar_update(actor=actor, calendar_id=second.pk, is_default=False)
    assert "is_default" in caught.value.fields
    first.refresh_from_db()
    assert not first.is_default


def test_update_records_before_and_after_and_ignores_no_changes(manager):
    actor = Actor.staff(manager)
    row = make(actor)
    friday_short = [NINE_FIVE] * 4 + [(dt.time(9), dt.time(13)), None, None]
    calendar_update(actor=actor, calendar_id=row.pk, opening_hours=friday_short, name="HQ")
    row.refresh_from_db()
    assert row.name == "HQ" and row.opening_hours[4] == ["09:00", "13:00"]
    event = AuditEvent.objects.filter(case_type="calendar", action="calendar_changed").get()
    assert event.data["before"]["name"] == "Tallinn office" and event.data["after"]["name"] == "HQ"
    calendar_update(actor=actor, calendar_id=row.pk, name="HQ")
    assert AuditEvent.objects.filter(case_type="calendar").count() == 2
    with pytest.raises(ValidationFailed):
        calendar_update(actor=actor, calendar_id=row.pk, colour="red")
    with pytest.raises(NotFound):
        calendar_update(actor=actor, calendar_id=row.pk + 100, name="x")


def test_closed_days_add_and_remove(manager):
    actor = Actor.staff(manager)
    row = make(actor)
    closed_day_add(actor=actor, calendar_id=row.pk, date=dt.date(2026, 12, 31), reason="Inventory")
    with pytest.raises(ValidationFailed) as caught:
        closed_day_add(actor=actor, calendar_id=row.pk, date=dt.date(2026, 12, 31))
    assert "date" in caught.value.fields
    assert calendar_get(calendar_id=row.pk).closed_days == frozenset({dt.date(2026, 12, 31)})
    assert not calendar_get(calendar_id=row.pk).is_business_day(dt.date(2026, 12, 31))
    closed_day_remove(actor=actor, calendar_id=row.pk, date=dt.date(2026, 12, 31))
    assert not ClosedDay.objects.exists()
    with pytest.raises(NotFound):
        closed_day_remove(actor=actor, calendar_id=row.pk, date=dt.date(2026, 12, 31))
    actions = list(
        AuditEvent.objects.filter(case_type="calendar", case_id=row.pk).values_list(
            "action", flat=True
        )
    )
    assert actions == ["calendar_created", "closed_day_added", "closed_day_removed"]


def test_default_without_a_saved_calendar_follows_the_organisation(manager):
    from plaint.organisation.services import organisation_update

    assert calendar_default() == Calendar("Europe/Tallinn", "EE")
    assert calendar_get(calendar_id=None) == calendar_default()
    organisation_update(actor=Actor.staff(manager), country="SE", timezone="Europe/Stockholm")
    assert calendar_default() == Calendar("Europe/Stockholm", "SE")


def test_calendar_get_unknown_is_not_found():
    with pytest.raises(NotFound):
        calendar_get(calendar_id=12345)


def test_calendar_list_queries_do_not_grow_with_calendars(manager, django_assert_num_queries):
    actor = Actor.staff(manager)
    for n in range(5):
        row = make(actor, name=f"Office {n}")
        closed_day_add(actor=actor, calendar_id=row.pk, date=dt.date(2026, 12, 31))
    with django_assert_num_queries(2):
        rows = calendar_list()
        assert sum(len(r.closed_days.all()) for r in rows) == 5


def test_default_calendar_migration_builds_one_from_an_existing_organisation(manager):
    import importlib

    from django.apps import apps

    from plaint.core.models import Organisation
    from plaint.organisation.services import organisation_update

    organisation_update(actor=Actor.staff(manager), country="IR", timezone="Asia/Tehran")
    assert Organisation.objects.exists()
    migration = importlib.import_module("plaint.core.migrations.0003_default_business_calendar")
    migration.create_default_calendar(apps, None)
    row = BusinessCalendar.objects.get(is_default=True)
    assert (row.country, row.timezone, row.opening_hours[4]) == ("IR", "Asia/Tehran", None)
    migration.create_default_calendar(apps, None)  # idempotent
    assert BusinessCalendar.objects.count() == 1
