"""A calendar edit (closed day added or removed, opening hours, a new default) tells every process
to reload the promises and recomputes, in a background job, the open complaints whose promises count
on that calendar."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django_tasks_db.models import DBTaskResult

from plaint.complaints.models import Complaint
from plaint.core.actors import Actor
from plaint.core.models import ConfigurationToken
from plaint.organisation import services as core
from plaint.promises.tasks import recompute_promise_checks
from tests.factories import make_complaint
from tests.promises.factories import ACK_2_BD, RESPOND_10_BD, make_code

UTC = dt.UTC
T0 = dt.datetime(2026, 3, 2, 7, 0, tzinfo=UTC)  # Monday 2 March 2026, 09:00 Tallinn


def at(day: int, hour: int = 15) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, 0, tzinfo=UTC)


@pytest.fixture
def default_calendar(manager):
    return core.calendar_create(
        actor=Actor.staff(manager), name="Tallinn office", timezone="Europe/Tallinn",
        country="EE", is_default=True,
    )  # fmt: skip


@pytest.fixture
def other_calendar(manager):
    return core.calendar_create(
        actor=Actor.staff(manager), name="Stockholm office", timezone="Europe/Stockholm",
        country="SE",
    )  # fmt: skip


def file(**fields) -> Complaint:
    with time_machine.travel(T0, tick=False):
        return make_complaint(**fields)[0]


def run_in_march(run_jobs) -> int:
    with time_machine.travel(at(3, 7), tick=False):
        return run_jobs()


def due(complaint) -> dt.datetime:
    return Complaint.objects.get(pk=complaint.pk).response_due_at


def recompute_jobs() -> list:
    return [
        j.args_kwargs["args"]
        for j in DBTaskResult.objects.filter(
            task_path=recompute_promise_checks.module_path, status="READY"
        )
    ]


def test_a_closed_day_moves_the_due_dates_of_complaints_on_that_calendar(
    manager, default_calendar, other_calendar, run_jobs
):
    with time_machine.travel(T0 - dt.timedelta(days=30), tick=False):
        make_code(manager, promises=[ACK_2_BD, RESPOND_10_BD])  # on "the default calendar"
        make_code(
            manager,
            slug="stockholm",
            promises=[{**RESPOND_10_BD, "calendar_id": other_calendar.pk, "products": ["sweden"]}],
        )
    tallinn = file()
    stockholm = file(product="sweden")
    run_in_march(run_jobs)  # acknowledgement mails, the new default calendar
    assert due(tallinn) == at(16)
    stockholm_due = due(stockholm)
    token = ConfigurationToken.objects.get().token

    core.closed_day_add(
        actor=Actor.staff(manager), calendar_id=default_calendar.pk, date=dt.date(2026, 3, 10)
    )
    assert ConfigurationToken.objects.get().token != token  # every process reloads its promises
    assert recompute_jobs() == [["calendar", default_calendar.pk, 0]]
    assert run_in_march(run_jobs) == 1
    assert due(tallinn) == at(17)  # one business day later
    assert due(stockholm) == stockholm_due  # counts on another calendar

    core.closed_day_remove(
        actor=Actor.staff(manager), calendar_id=default_calendar.pk, date=dt.date(2026, 3, 10)
    )
    run_in_march(run_jobs)
    assert due(tallinn) == at(16)


def test_opening_hours_of_a_named_calendar_recompute_its_complaints_only(
    manager, default_calendar, other_calendar, run_jobs
):
    with time_machine.travel(T0 - dt.timedelta(days=30), tick=False):
        make_code(
            manager,
            promises=[{**RESPOND_10_BD, "calendar_id": other_calendar.pk, "limit_amount": 2}],
        )
    complaint = file()
    run_in_march(run_jobs)
    before = due(complaint)
    core.calendar_update(
        actor=Actor.staff(manager),
        calendar_id=other_calendar.pk,
        opening_hours=[(dt.time(9), dt.time(15))] * 5 + [None, None],
    )
    assert recompute_jobs() == [["calendar", other_calendar.pk, 0]]
    run_in_march(run_jobs)
    assert due(complaint) == before - dt.timedelta(hours=2)  # closes at 15:00, not 17:00


def test_a_new_default_calendar_recomputes_and_an_unchanged_one_does_not(manager, default_calendar):
    assert recompute_jobs() == [["calendar", default_calendar.pk, 0]]  # made the default
    core.calendar_update(
        actor=Actor.staff(manager), calendar_id=default_calendar.pk, name="Tallinn office"
    )
    assert len(recompute_jobs()) == 1  # nothing changed: nothing more to do
