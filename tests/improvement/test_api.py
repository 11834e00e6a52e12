"""The improvement API: objectives and corrective actions through their whole lifecycle, the
idempotent creates, problem+json refusals per role."""

from __future__ import annotations

import pytest
import time_machine

from plaint.core.models import AuditEvent
from plaint.improvement.models import CorrectiveAction
from tests.api_client import ApiClient, assert_problem
from tests.factories import CategoryFactory
from tests.improvement.helpers import at, file_complaint

pytestmark = pytest.mark.django_db


@pytest.fixture
def category(db):
    return CategoryFactory(code="delivery", name="Delivery")


def _body(owner, category):
    return {
        "title": "Crushed parcels",
        "problem": "More crushed parcels",
        "source": "cluster",
        "source_ref": "Pareto: Delivery",
        "owner_id": owner.pk,
        "indicator": {"kind": "received", "category": category.pk},
        "comparison": "le",
        "target": 1,
        "window_months": 1,
    }


def test_a_corrective_action_through_the_api_to_its_effective_check(manager, handler, category):
    api, owner_api = ApiClient(manager), ApiClient(handler)
    file_complaint(at(2026, 3, 9), handler, category="delivery")
    with time_machine.travel(at(2026, 4, 2), tick=False):
        created = api.post(
            "/corrective-actions", _body(manager, category), **{"Idempotency-Key": "ca-1"}
        )
        again = api.post(
            "/corrective-actions", _body(manager, category), **{"Idempotency-Key": "ca-1"}
        )
        assert (created.status_code, again.status_code) == (201, 200)
        ca = created.json()
        assert again.json()["id"] == ca["id"] and CorrectiveAction.objects.count() == 1
        assert ca["baseline"]["value"] == 1 and ca["baseline_start"] == "2026-03-01"
        url = f"/corrective-actions/{ca['id']}"
        assert api.post(f"{url}/cause", {"whys": ["a", "b"], "root_cause": "c"}).status_code == 200
        added = api.post(
            f"{url}/actions", {"description": "d", "owner_id": handler.pk, "due_on": "2026-04-20"}
        )
        assert added.status_code == 201
        action_id = added.json()["actions"][0]["id"]
        assert api.post(f"{url}/steps", {"step": "start_actions"}).json()["state"] == "acting"
        done = owner_api.post(f"{url}/actions/{action_id}/done", {"evidence": "memo"})
        assert (
            done.json()["state"] == "awaiting_check" and done.json()["check_due_on"] == "2026-06-01"
        )
    with time_machine.travel(at(2026, 6, 1), tick=False):
        checked = api.post(f"{url}/steps", {"step": "run_check"}).json()
    assert checked["state"] == "closed_effective" and checked["check_result"]["value"] == 0
    trail = AuditEvent.objects.filter(case_type="corrective_action", case_id=ca["id"])
    assert list(trail.values_list("action", flat=True)) == [
        "opened",
        "record_cause",
        "action_added",
        "start_actions",
        "action_done",
        "complete_actions",
        "run_check",
    ]


def test_refusals_are_problems(manager, handler, auditor, category):
    assert_problem(
        ApiClient(handler).post("/corrective-actions", _body(manager, category)), 403, "not_allowed"
    )
    assert_problem(ApiClient(auditor).post("/objectives", {}), 403, "not_allowed")
    api = ApiClient(manager)
    bad = {**_body(manager, category), "indicator": {"kind": "closed_within_days"}}
    body = assert_problem(api.post("/corrective-actions", bad), 422, "validation_failed")
    assert "indicator.days" in body["errors"]
    ca = api.post("/corrective-actions", _body(manager, category)).json()
    assert_problem(
        api.post(f"/corrective-actions/{ca['id']}/steps", {"step": "run_check"}),
        409,
        "invalid_transition",
    )
    assert_problem(api.get("/corrective-actions/999999"), 404, "not_found")
    assert ApiClient(auditor).get(f"/corrective-actions/{ca['id']}").status_code == 200


def test_objectives_are_written_and_read_with_their_actual(manager, handler, auditor):
    file_complaint(at(2026, 3, 9), handler)
    body = {
        "name": "Fewer than ten complaints a month",
        "owner_id": manager.pk,
        "indicator": {"kind": "received"},
        "comparison": "le",
        "target": 10,
        "period_start": "2026-03-01",
        "period_end": "2026-03-31",
    }
    first = ApiClient(manager).post("/objectives", body, **{"Idempotency-Key": "o-1"})
    second = ApiClient(manager).post("/objectives", body, **{"Idempotency-Key": "o-1"})
    assert (first.status_code, second.status_code) == (201, 200)
    [row] = ApiClient(auditor).get("/objectives").json()
    assert row["actual"]["value"] == 1 and row["met"] is True and row["period_end"] == "2026-03-01"


def test_an_objective_is_changed_and_retired(manager, handler):
    api = ApiClient(manager)
    made = api.post(
        "/objectives",
        {
            "name": "Few complaints",
            "owner_id": manager.pk,
            "indicator": {"kind": "received"},
            "comparison": "le",
            "target": 10,
            "period_start": "2026-03-01",
            "period_end": "2026-03-01",
        },
    ).json()
    changed = api.client.patch(
        f"/api/v1/objectives/{made['id']}",
        data='{"target": 5, "active": false}',
        content_type="application/json",
        headers=api.headers(),
    )
    assert changed.status_code == 200
    assert (changed.json()["target"], changed.json()["active"]) == (5.0, False)
    refused = ApiClient(handler).client.patch(
        f"/api/v1/objectives/{made['id']}",
        data="{}",
        content_type="application/json",
        headers=ApiClient(handler).headers(),
    )
    assert_problem(refused, 403, "not_allowed")
