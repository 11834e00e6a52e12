"""The promises API: codes, promises, checks and the scorecard; the permission matrix; query
counts on lists; problem+json for refusals."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from plaint.promises.models import BrokenPromiseClaim, Code
from tests.api_client import ApiClient, assert_problem
from tests.factories import advance, make_complaint
from tests.promises.factories import make_code

T0 = dt.datetime(2026, 3, 2, 7, 0, tzinfo=dt.UTC)

NEW_CODE = {"title": {"en": "Delivery promises", "sv": "Leveranslöften"}, "owner": "Logistics"}
NEW_PROMISE = {
    "key": "respond",
    "texts": {"en": "We decide within 5 business days."},
    "clock": "received_to_decision",
    "limit_amount": 5,
    "limit_unit": "business_days",
}


def test_manager_writes_a_code_with_a_promise_and_publishes_it(manager):
    api = ApiClient(manager)
    created = api.post("/promise-codes", NEW_CODE)
    assert created.status_code == 201, created.content
    code_id = created.json()["id"]
    assert created.json()["state"] == "draft" and created.json()["slug"] == "delivery-promises"
    promise = api.post(f"/promise-codes/{code_id}/promises", NEW_PROMISE)
    assert promise.status_code == 201, promise.content
    assert promise.json()["limit_unit"] == "business_days"
    published = api.post(f"/promise-codes/{code_id}/steps", {"step": "publish"})
    assert published.status_code == 200 and published.json()["state"] == "published"
    # immutable now: a second publish is a 409, adding a promise too
    assert_problem(
        api.post(f"/promise-codes/{code_id}/steps", {"step": "publish"}), 409, "invalid_transition"
    )
    assert_problem(
        api.post(f"/promise-codes/{code_id}/promises", {**NEW_PROMISE, "key": "other"}),
        409,
        "invalid_transition",
    )
    draft = api.post(f"/promise-codes/{code_id}/new-version")
    assert draft.status_code == 201 and draft.json()["version"] == 2
    detail = api.get(f"/promise-codes/{draft.json()['id']}")
    assert [p["key"] for p in detail.json()["promises"]] == ["respond"]


def test_bad_input_is_a_problem_not_a_500(manager):
    api = ApiClient(manager)
    assert_problem(api.post("/promise-codes", {"title": {"xx": "?"}}), 422, "validation_failed")
    assert_problem(api.post("/promise-codes", {"title": "plain"}), 422, "validation_failed")
    code = api.post("/promise-codes", NEW_CODE).json()
    assert_problem(
        api.post(f"/promise-codes/{code['id']}/promises", {**NEW_PROMISE, "clock": "sundial"}),
        422,
        "validation_failed",
    )
    assert_problem(api.get("/promise-codes/999999"), 404, "not_found")


PRINCIPALS = ["admin", "manager", "handler", "auditor", "no_token"]
# (method, path, body, status for managers/admins, for handlers, for auditors)
MATRIX = {
    "list": ("GET", "/promise-codes", None, 200, 200, 200),
    "detail": ("GET", "/promise-codes/{code}", None, 200, 200, 200),
    "create": ("POST", "/promise-codes", NEW_CODE, 201, 403, 403),
    "step": ("POST", "/promise-codes/{code}/steps", {"step": "start_review"}, 200, 403, 403),
    "new_version": ("POST", "/promise-codes/{code}/new-version", None, 201, 403, 403),
    "checks": ("GET", "/complaints/{ref}/promise-checks", None, 200, 200, 200),
    "claim": (
        "POST",
        "/complaints/{ref}/broken-promise-claims",
        {"promise_id": 0, "note": "Too slow"},
        201,
        201,
        403,
    ),
    "scorecard": ("GET", "/promise-scorecard", None, 200, 200, 200),
}


@pytest.mark.parametrize("endpoint", list(MATRIX))
@pytest.mark.parametrize("principal", PRINCIPALS)
def test_permission_matrix(personas, endpoint, principal):
    with time_machine.travel(T0, tick=False):
        code = make_code(personas["manager"])
        complaint, _ = make_complaint()
    method, path, body, boss, handler, auditor = MATRIX[endpoint]
    path = path.format(code=code.pk, ref=complaint.reference)
    if body and "promise_id" in body:
        body = {**body, "promise_id": code.promises.first().pk}
    api = ApiClient(personas[principal] if principal != "no_token" else None)
    before = (Code.objects.count(), BrokenPromiseClaim.objects.count())
    response = api.get(path) if method == "GET" else api.post(path, body)
    if principal == "no_token":
        assert_problem(response, 401, "unauthenticated")
        return
    expected = {"admin": boss, "manager": boss, "handler": handler, "auditor": auditor}[principal]
    if expected == 403:
        assert_problem(response, 403, "not_allowed")
    else:
        assert response.status_code == expected, response.content
    changed = before != (Code.objects.count(), BrokenPromiseClaim.objects.count())
    assert changed == (endpoint in {"create", "new_version", "claim"} and expected == 201)


def test_checks_of_a_complaint_with_their_clocks(manager, handler):
    with time_machine.travel(T0, tick=False):
        make_code(manager)
        complaint, _ = make_complaint()
    with time_machine.travel(T0 + dt.timedelta(days=1), tick=False):
        response = ApiClient(handler).get(f"/complaints/{complaint.reference}/promise-checks")
    assert response.status_code == 200
    rows = {r["promise_key"]: r for r in response.json()}
    assert rows["acknowledge"]["status"] == "met"
    respond = rows["respond"]
    assert respond["status"] == "pending" and respond["paused_seconds"] == 0
    # one day in: Monday 09:00-17:00 has elapsed (8 opening hours), 80 remain (10 days)
    assert respond["elapsed_seconds"] == 8 * 3600
    assert respond["remaining_seconds"] == 80 * 3600


def test_a_waiting_case_resumes_through_the_step_api(manager, handler):
    with time_machine.travel(T0, tick=False):
        make_code(manager)
        complaint, _ = make_complaint()
    api = ApiClient(handler)
    asked = api.post(
        f"/complaints/{complaint.reference}/steps/request_information", {"reason": "Receipt?"}
    )
    assert asked.status_code == 200 and asked.json()["state"] == "waiting_on_complainant"
    assert "resume" in asked.json()["allowed_steps"]
    resumed = api.post(f"/complaints/{complaint.reference}/steps/resume", {})
    assert resumed.status_code == 200 and resumed.json()["state"] == "acknowledged"


def test_list_endpoints_run_a_constant_number_of_queries(
    manager, handler, django_assert_num_queries
):
    api = ApiClient(handler)
    with time_machine.travel(T0, tick=False):
        make_code(manager)
        complaint, _ = make_complaint()
        advance(complaint, "investigating", by=handler)
    api.get("/promise-codes")  # warm the token cache paths
    with django_assert_num_queries(1):  # the codes with their promise counts (token cached)
        small = api.get("/promise-codes")
    for i in range(5):
        make_code(manager, slug=f"more-{i}", publish=False)
    with django_assert_num_queries(1):
        big = api.get("/promise-codes")
    assert len(big.json()) == len(small.json()) + 5
