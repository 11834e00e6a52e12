"""Configuration changes are published (``plaint.organisation.events``) so deadlines counted on the
organisation's calendars follow them; the organisation app never calls the apps above it."""

from __future__ import annotations

import datetime as dt

import pytest

from plaint.core import events
from plaint.core.actors import Actor
from plaint.core.errors import ValidationFailed
from plaint.organisation.events import CalendarChanged, OrganisationChanged
from plaint.organisation.services import (
    calendar_create,
    calendar_update,
    closed_day_add,
    closed_day_remove,
    organisation_update,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(monkeypatch):
    """The configuration events published during the test (the apps' real handlers set aside)."""
    monkeypatch.setattr(events, "_handlers", {})
    seen: list[events.Event] = []
    events.subscribe(OrganisationChanged, seen.append)
    events.subscribe(CalendarChanged, seen.append)
    return seen


def test_a_settings_change_publishes_the_changed_fields(manager, published):
    organisation_update(actor=Actor.staff(manager), country="SE", timezone="Europe/Stockholm")
    assert published == [OrganisationChanged(fields=("country", "timezone"))]


def test_refused_settings_publish_nothing(manager, published):
    with pytest.raises(ValidationFailed):
        organisation_update(actor=Actor.staff(manager), timezone="Mars/Olympus")
    assert published == []


def test_every_calendar_change_is_published_with_its_calendar(manager, published):
    actor = Actor.staff(manager)
    other = calendar_create(actor=actor, name="Branch", timezone="Europe/Tallinn", country="EE")
    assert published == []  # a new calendar that is not the default changes no deadline
    default = calendar_create(
        actor=actor, name="HQ", timezone="Europe/Tallinn", country="EE", is_default=True
    )
    calendar_update(actor=actor, calendar_id=other.pk, name="Branch office")
    closed_day_add(actor=actor, calendar_id=other.pk, date=dt.date(2026, 12, 31))
    closed_day_remove(actor=actor, calendar_id=other.pk, date=dt.date(2026, 12, 31))
    assert published == [
        CalendarChanged(calendar_id=default.pk),
        CalendarChanged(calendar_id=other.pk),
        CalendarChanged(calendar_id=other.pk),
        CalendarChanged(calendar_id=other.pk),
    ]
