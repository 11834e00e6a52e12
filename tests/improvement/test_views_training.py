"""The training pages: handlers see their own records, managers record and see everyone's,
auditors read; the statuses shown; bad input answered on the form; the statements it costs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from plaint.core.actors import Actor
from plaint.improvement import services as s
from plaint.improvement.models import Course, TrainingRecord
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGE, COURSES = "/staff/improvement/training/", "/staff/improvement/training/courses/"


@pytest.fixture
def course(manager):
    return s.course_create(
        actor=Actor.staff(manager),
        name="Data protection",
        validity_months=12,
        required_for=["handler", "manager"],
    )


def record(manager, person, course, days_ago, until=None):
    return s.training_record(
        actor=Actor.staff(manager),
        person_id=person.pk,
        course_id=course.pk,
        completed_on=timezone.localdate() - dt.timedelta(days=days_ago),
        valid_until=until,
    )


def test_a_handler_sees_only_their_own_records(client, manager, handler, other_handler, course):
    record(manager, other_handler, course, 400)
    client.force_login(handler)
    page = client.get(PAGE).content.decode()
    assert "hans" in page and "olga" not in page and "maria" not in page
    assert "Never completed" in page and 'id="training-form"' not in page
    assert client.get(f"{PAGE}people/{other_handler.pk}/").status_code == 404
    assert client.get(f"{PAGE}people/{handler.pk}/").status_code == 200


def test_managers_and_auditors_see_everyone_with_their_status(
    client, manager, auditor, handler, other_handler, course
):
    record(manager, handler, course, 340)  # valid until in about three weeks
    record(manager, other_handler, course, 400)  # expired
    for user in (manager, auditor):
        client.force_login(user)
        page = client.get(PAGE).content.decode()
        assert "hans" in page and "olga" in page
        assert "Due soon" in page and "Expired" in page and "Never completed" in page  # maria
    assert 'id="training-form"' in page if user == manager else 'id="training-form"' not in page


def test_a_manager_records_a_training(client, manager, handler, course):
    client.force_login(manager)
    response = client.post(
        PAGE,
        {
            "person": handler.pk,
            "course": course.pk,
            "completed_on": timezone.localdate().isoformat(),
            "evidence": "Certificate 7",
        },
    )
    assert response.status_code == 302
    assert TrainingRecord.objects.get().evidence == "Certificate 7"
    person_page = client.get(f"{PAGE}people/{handler.pk}/").content.decode()
    assert "Certificate 7" in person_page


@pytest.mark.parametrize(
    ("field", "value"),
    [("completed_on", "1999-01-01"), ("completed_on", "2999-01-01"), ("person", "999999")],
)
def test_bad_training_input_is_answered_on_the_form(client, manager, handler, course, field, value):
    client.force_login(manager)
    data = {"person": handler.pk, "course": course.pk, "completed_on": "2026-01-05", field: value}
    response = client.post(PAGE, data)
    assert response.status_code == 422
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not TrainingRecord.objects.exists()


def test_only_managers_record_and_keep_courses(client, handler, auditor, course):
    for user in (handler, auditor):
        client.force_login(user)
        assert client.post(PAGE, {"person": user.pk}).status_code == 403
        assert client.post(COURSES, {"name": "Other"}).status_code == 403
        assert client.get(COURSES).status_code == 200
        assert client.get(f"{COURSES}{course.pk}/").status_code == 403
    assert Course.objects.count() == 1 and not TrainingRecord.objects.exists()


def test_a_manager_adds_and_changes_a_course(client, manager):
    client.force_login(manager)
    response = client.post(
        COURSES,
        {"name": "ISO 10002", "validity_months": "24", "required_for": ["handler"], "active": "on"},
    )
    assert response.status_code == 302
    course = Course.objects.get()
    assert (course.validity_months, course.required_for) == (24, ["handler"])
    response = client.post(f"{COURSES}{course.pk}/", {"name": "ISO 10002", "validity_months": ""})
    assert response.status_code == 302
    course.refresh_from_db()
    assert (course.validity_months, course.required_for, course.active) == (None, [], False)
    assert client.post(COURSES, {"name": "iso 10002"}).status_code == 422  # the name is taken


def test_the_page_costs_the_same_statements_for_few_or_many_people(client, manager, course):
    client.force_login(manager)
    client.get(PAGE)  # the first request of a session fills caches
    with CaptureQueriesContext(connection) as few:
        client.get(PAGE)
    for _ in range(5):
        record(manager, UserFactory(role="handler"), course, 10)
    with CaptureQueriesContext(connection) as many:
        client.get(PAGE)
    assert len(many) == len(few)


def test_the_page_shows_the_viewers_duties_under_the_policy_in_force(client, manager, handler):
    draft = s.policy_draft_create(
        actor=Actor.staff(manager),
        title={"en": "Policy"},
        body={"en": "We welcome complaints."},
        responsibilities={
            "handler": {"en": ["Answers on time."]},
            "manager": {"en": ["Keeps the process."]},
            "all_staff": {"en": ["Passes complaints on the same day."]},
        },
    )
    client.force_login(handler)
    assert 'id="my-duties"' not in client.get(PAGE).content.decode()  # a draft: not in force
    s.policy_publish(actor=Actor.staff(manager), version=draft.version)
    page = client.get(PAGE).content.decode()
    assert "Answers on time." in page and "Passes complaints on the same day." in page
    assert "Keeps the process." not in page
