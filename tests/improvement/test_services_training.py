"""Courses and training records: the validity a completion gets, the status on a day at its
boundaries, the summary the management review reads, and the input refused."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from plaint.core.actors import Actor
from plaint.core.errors import NotAllowed, ValidationFailed
from plaint.core.models import AuditEvent
from plaint.improvement import services as s
from plaint.improvement.selectors_training import Status, competence_due, competence_status
from plaint.improvement.services.training import valid_until_default
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 6, 15)


def course(manager, name="Complaints handling", months=12, roles=("handler",)):
    return s.course_create(
        actor=Actor.staff(manager), name=name, validity_months=months, required_for=list(roles)
    )


@pytest.mark.parametrize(
    ("valid_until", "expected"),
    [
        (ON - dt.timedelta(days=1), Status.EXPIRED),  # yesterday was its last day
        (ON, Status.DUE),  # counts today, still
        (ON + dt.timedelta(days=60), Status.DUE),  # the last day of the window
        (ON + dt.timedelta(days=61), Status.VALID),
        (None, Status.VALID),  # does not expire
    ],
)
def test_status_at_the_boundaries(valid_until, expected):
    assert competence_status(valid_until, recorded=True, on=ON, within_days=60) == expected


def test_never_completed_is_its_own_status():
    assert competence_status(None, recorded=False, on=ON, within_days=60) == Status.NEVER


@pytest.mark.parametrize(
    ("completed", "months", "until"),
    [
        (dt.date(2026, 3, 10), 12, dt.date(2027, 3, 9)),
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 27)),  # no 31 February: the 28th is the day
        (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 27)),
        (dt.date(2026, 3, 10), None, None),
    ],
)
def test_a_completion_counts_for_the_courses_months(manager, completed, months, until):
    c = course(manager, months=months)
    assert valid_until_default(c, completed) == until


def test_recording_a_training_is_audited_and_takes_the_courses_validity(manager, handler):
    c = course(manager)
    with time_machine.travel(dt.datetime(2026, 6, 15, 9, tzinfo=dt.UTC), tick=False):
        record = s.training_record(
            actor=Actor.staff(manager),
            person_id=handler.pk,
            course_id=c.pk,
            completed_on=dt.date(2026, 3, 10),
            evidence="Certificate CH-1",
        )
    assert record.valid_until == dt.date(2027, 3, 9) and record.recorded_by == manager
    event = AuditEvent.objects.get(case_type="training_record", case_id=record.pk)
    assert event.data["valid_until"] == "2027-03-09"


def test_the_summary_lists_who_is_due_expired_or_never_trained(manager):
    gdpr = course(manager, "Data protection", 12, ("handler", "manager"))
    course(manager, "Optional", 12, ())
    fresh, due, late, never = (UserFactory(role="handler") for _ in range(4))
    with time_machine.travel(dt.datetime(2026, 6, 15, 9, tzinfo=dt.UTC), tick=False):
        for person, until in (
            (fresh, ON + dt.timedelta(days=200)),
            (due, ON + dt.timedelta(days=10)),
            (late, ON - dt.timedelta(days=1)),
        ):
            s.training_record(
                actor=Actor.staff(manager),
                person_id=person.pk,
                course_id=gdpr.pk,
                completed_on=dt.date(2026, 1, 5),
                valid_until=until,
            )
    summary = competence_due(ON)
    assert summary.counts == {"valid": 1, "due": 1, "expired": 1, "never": 2}  # never: + manager
    assert summary.people == 5 and summary.required == 5 and not summary.all_valid
    assert [(r.person, r.status) for r in summary.attention] == [
        (late, Status.EXPIRED),
        *sorted([(manager, Status.NEVER), (never, Status.NEVER)], key=lambda p: p[0].username),
        (due, Status.DUE),
    ]


def test_the_longest_lasting_completion_counts(manager, handler):
    c = course(manager)
    long_valid = ON + dt.timedelta(days=365)
    for completed, until in ((dt.date(2025, 1, 1), long_valid), (dt.date(2026, 1, 1), ON)):
        s.training_record(
            actor=Actor.staff(manager),
            person_id=handler.pk,
            course_id=c.pk,
            completed_on=completed,
            valid_until=until,
        )
    assert competence_due(ON).all_valid  # the earlier completion, valid longer


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"completed_on": dt.date(1999, 12, 31)}, "completed_on"),
        ({"completed_on": dt.date(2099, 1, 1)}, "completed_on"),  # in the future
        ({"valid_until": dt.date(2026, 1, 1)}, "valid_until"),  # before completion
        ({"valid_until": dt.date(9999, 12, 31)}, "valid_until"),
        ({"person_id": 999999}, "person_id"),
        ({"course_id": 999999}, "course_id"),
        ({"evidence": "x" * 501}, "evidence"),
    ],
)
def test_bad_training_input_is_refused_on_its_field(manager, handler, changes, field):
    c = course(manager)
    given = {
        "person_id": handler.pk,
        "course_id": c.pk,
        "completed_on": dt.date(2026, 2, 1),
        **changes,
    }
    with pytest.raises(ValidationFailed) as refused:
        s.training_record(actor=Actor.staff(manager), **given)
    assert field in refused.value.fields


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": " "}, "name"),
        ({"validity_months": 0}, "validity_months"),
        ({"validity_months": 121}, "validity_months"),
        ({"required_for": ["janitor"]}, "required_for"),
    ],
)
def test_bad_course_input_is_refused_on_its_field(manager, changes, field):
    given = {"name": "Course", "validity_months": 12, "required_for": [], **changes}
    with pytest.raises(ValidationFailed) as refused:
        s.course_create(actor=Actor.staff(manager), **given)
    assert field in refused.value.fields


def test_a_course_name_is_used_once(manager):
    c = course(manager, "GDPR")
    with pytest.raises(ValidationFailed):
        course(manager, "gdpr")
    s.course_update(actor=Actor.staff(manager), course_id=c.pk, name="GDPR", active=False)
    assert s.course_update(actor=Actor.staff(manager), course_id=c.pk, active=True).active


def test_only_managers_and_admins_keep_records(personas):
    c = course(personas["manager"])
    for role in ("handler", "auditor"):
        with pytest.raises(NotAllowed):
            s.training_record(
                actor=Actor.staff(personas[role]),
                person_id=personas["handler"].pk,
                course_id=c.pk,
                completed_on=dt.date(2026, 1, 1),
            )
        with pytest.raises(NotAllowed):
            course(personas[role], "Another")
