"""The policy and training API: the policy in force as the public page shows it, versions are staff data written
by managers with an Idempotency-Key; training records, courses and competence by role; errors
are problem+json."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from plaint.core.actors import Actor
from plaint.improvement.models import PolicyVersion, TrainingRecord
from plaint.improvement.services import course_create
from tests.api_client import PROBLEM, ApiClient, assert_problem

pytestmark = pytest.mark.django_db

TEXTS = {
    "title": {"en": "Complaints-handling policy", "et": "Kaebuste käsitlemise põhimõtted"},
    "body": {"en": "We welcome complaints.", "et": "Ootame kaebusi."},
    "responsibilities": {"handler": {"en": ["Answers on time."], "et": ["Vastab õigel ajal."]}},
}


def _publish(api: ApiClient) -> dict:
    created = api.post("/policy/versions", TEXTS, **{"Idempotency-Key": "policy-1"})
    assert created.status_code == 201, created.content
    published = api.post(f"/policy/versions/{created.json()['version']}/publish")
    assert published.status_code == 200
    return published.json()


def test_the_policy_in_force_as_the_public_reads_it(manager, handler):
    reader = ApiClient(handler)
    assert_problem(reader.get("/policy"), 404, "not_found")
    _publish(ApiClient(manager))
    body = reader.get("/policy", {"lang": "et"}).json()
    assert (body["version"], body["language"], body["fell_back"]) == (1, "et", False)
    assert body["html"] == "<p>Ootame kaebusi.</p>"
    assert body["responsibilities"][0]["duties"] == ["Vastab õigel ajal."]
    fallback = reader.get("/policy", {"lang": "fa"}).json()
    assert (fallback["language"], fallback["asked_language"], fallback["fell_back"]) == (
        "en",
        "fa",
        True,
    )
    assert reader.get("/policy", {"lang": "xx"}).status_code == 422
    assert Client().get("/api/v1/policy").status_code == 401


def test_a_create_with_the_same_key_is_answered_once(manager):
    api = ApiClient(manager)
    first = api.post("/policy/versions", TEXTS, **{"Idempotency-Key": "k-1"})
    again = api.post("/policy/versions", TEXTS, **{"Idempotency-Key": "k-1"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json() and PolicyVersion.objects.count() == 1
    assert_problem(api.post("/policy/versions", {}), 409, "conflict")  # a second draft


def test_a_published_version_cannot_change(manager):
    api = ApiClient(manager)
    _publish(api)
    response = api.request("PATCH", "/policy/versions/1")
    assert response.status_code in (400, 409, 415, 422)
    changed = api.client.patch(
        "/api/v1/policy/versions/1",
        data='{"body": {"en": "Changed."}}',
        content_type="application/json",
        headers=api.headers(),
    )
    assert_problem(changed, 409, "invalid_transition")


def test_bad_policy_input_is_a_problem(manager):
    api = ApiClient(manager)
    assert api.post("/policy/versions", {"body": {"xx": "text"}}).status_code == 422
    body = assert_problem(
        api.post("/policy/versions", {"responsibilities": {"handler": {"en": ["x" * 501]}}}),
        422,
        "validation_failed",
    )
    assert "responsibilities" in body["errors"]
    assert not PolicyVersion.objects.exists()


def test_staff_read_versions_and_only_managers_write(personas):
    ApiClient(personas["manager"]).post("/policy/versions", TEXTS)
    for role in ("handler", "auditor"):
        api = ApiClient(personas[role])
        assert [v["state"] for v in api.get("/policy/versions").json()] == ["draft"]
        assert api.get("/policy/versions/1").status_code == 200
        assert_problem(api.post("/policy/versions/1/publish"), 403, "not_allowed")
        assert_problem(api.post("/training/courses", {"name": "X"}), 403, "not_allowed")
    assert Client().get("/api/v1/policy/versions").status_code == 401


def test_training_through_the_api(manager, handler, other_handler):
    api = ApiClient(manager)
    course = api.post(
        "/training/courses",
        {"name": "Data protection", "validity_months": 12, "required_for": ["handler"]},
        **{"Idempotency-Key": "course-1"},
    )
    assert course.status_code == 201
    course_id = course.json()["id"]
    payload = {
        "person_id": handler.pk,
        "course_id": course_id,
        "completed_on": (timezone.localdate() - dt.timedelta(days=340)).isoformat(),
        "evidence": "Certificate 1",
    }
    first = api.post("/training/records", payload, **{"Idempotency-Key": "rec-1"})
    again = api.post("/training/records", payload, **{"Idempotency-Key": "rec-1"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert TrainingRecord.objects.count() == 1
    statuses = {row["person"]: row["status"] for row in api.get("/training/competence").json()}
    assert statuses == {"hans": "due", "olga": "never"}
    own = ApiClient(handler)
    assert [r["person"] for r in own.get("/training/competence").json()] == ["hans"]
    assert own.get("/training/records", {"person_id": handler.pk}).json()[0]["evidence"]
    assert_problem(own.get("/training/records", {"person_id": other_handler.pk}), 404, "not_found")


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ({"completed_on": "1999-12-31"}, 422),
        ({"completed_on": 5}, 422),
        ({"valid_until": "2026-01-01", "completed_on": "2026-02-01"}, 422),
        ({"person_id": 999999}, 422),
    ],
)
def test_bad_training_input_is_a_problem(manager, handler, payload, status):
    course = course_create(actor=Actor.staff(manager), name="C")
    body = {"person_id": handler.pk, "course_id": course.pk, "completed_on": "2026-01-05"}
    response = ApiClient(manager).post("/training/records", {**body, **payload})
    assert response.status_code == status
    assert response["Content-Type"].startswith(PROBLEM)
    assert not TrainingRecord.objects.exists()


def test_competence_query_bounds(manager):
    api = ApiClient(manager)
    assert api.get("/training/competence", {"on": "9999-12-31"}).status_code == 422
    assert api.get("/training/competence", {"within_days": "-1"}).status_code == 422
    assert (
        api.get("/training/competence", {"on": "2026-06-15", "within_days": 0}).status_code == 200
    )
