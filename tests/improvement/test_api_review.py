"""The management-review API: a review through its lifecycle, idempotent creates, the pack's
figures, problem+json refusals per role and for bad input."""

from __future__ import annotations

import pytest
import time_machine

from plaint.improvement.models import ManagementReview, ReviewAction
from tests.api_client import ApiClient, assert_problem
from tests.improvement.helpers import at
from tests.improvement.review_helpers import seed_quarter

pytestmark = pytest.mark.django_db
BODY = {"title": "Q1 2026", "period_start": "2026-01-01", "period_end": "2026-03-31"}


def test_a_review_through_the_api(manager, auditor, handler):
    seed_quarter(manager, handler)
    api = ApiClient(manager)
    with time_machine.travel(at(2026, 4, 8), tick=False):
        created = api.post("/management-reviews", BODY, **{"Idempotency-Key": "mr-1"})
        again = api.post("/management-reviews", BODY, **{"Idempotency-Key": "mr-1"})
    assert (created.status_code, again.status_code) == (201, 200)
    review = created.json()
    assert again.json()["id"] == review["id"] and ManagementReview.objects.count() == 1
    assert review["state"] == "draft" and review["next_steps"] == ["record_changes", "build_pack"]
    url = f"/management-reviews/{review['id']}"
    changes = {"regulation": "New rules", "products": "", "organisation": ""}
    assert api.post(f"{url}/changes", changes).json()["changes_regulation"] == "New rules"
    with time_machine.travel(at(2026, 4, 9), tick=False):
        built = api.post(f"{url}/pack").json()
    assert built["state"] == "pack_built" and built["pack"]["period"] == ["2026-01", "2026-03"]
    assert built["pack"]["sections"][0]["key"] == "complaints"
    with time_machine.travel(at(2026, 4, 15), tick=False):
        meeting = {"meeting_on": "2026-04-14", "attendees": "Maria", "decisions": "Do it"}
        assert api.post(f"{url}/meeting", meeting).json()["state"] == "held"
        action = {"description": "Train", "owner_id": manager.pk, "due_on": "2026-05-01"}
        first = api.post(f"{url}/actions", action, **{"Idempotency-Key": "act-1"})
        second = api.post(f"{url}/actions", action, **{"Idempotency-Key": "act-1"})
        assert (first.status_code, second.status_code) == (201, 200)
        assert ReviewAction.objects.count() == 1
        action_id = first.json()["actions"][0]["id"]
        assert_problem(api.post(f"{url}/close"), 409, "conflict")
        done = api.post(f"{url}/actions/{action_id}/done", {"evidence": "Sheet"}).json()
        assert done["actions"][0]["evidence"] == "Sheet"
        assert api.post(f"{url}/close").json()["state"] == "closed"
    listed = ApiClient(auditor).get("/management-reviews")
    assert listed.status_code == 200 and listed.json()[0]["pack"] == {}
    assert ApiClient(auditor).get(url).json()["state"] == "closed"


def test_roles_and_bad_input_are_problems(manager, auditor, handler):
    assert_problem(ApiClient(handler).get("/management-reviews"), 403, "not_allowed")
    assert_problem(ApiClient(auditor).post("/management-reviews", BODY), 403, "not_allowed")
    api = ApiClient(manager)
    bad = {**BODY, "period_end": "2025-12-31"}
    body = assert_problem(api.post("/management-reviews", bad), 422, "validation_failed")
    assert "period_end" in body["errors"]
    assert api.post("/management-reviews", {**BODY, "language": "de"}).status_code == 422
    assert_problem(api.get("/management-reviews/999"), 404, "not_found")
    review = api.post("/management-reviews", BODY).json()
    url = f"/management-reviews/{review['id']}"
    assert_problem(api.post(f"{url}/close"), 409, "invalid_transition")
    assert_problem(api.post(f"{url}/actions/5/done", {}), 404, "not_found")
