"""Every promises API operation answers what the OpenAPI document says, successes and problems
(each actual response validated against the generated document with jsonschema)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine

from tests.api_client import ApiClient
from tests.core.test_openapi import _operation, assert_matches_schema
from tests.factories import CategoryFactory, make_complaint
from tests.promises.factories import make_code

T0 = dt.datetime(2026, 3, 2, 7, 0, tzinfo=dt.UTC)


@pytest.fixture
def openapi(client):
    return client.get("/api/v1/openapi.json").json()


def test_promises_operations_match_the_document(openapi, manager, handler, auditor):
    api = ApiClient(manager)
    seen: set[tuple[str, str]] = set()

    def check(response) -> dict | list:
        seen.add(assert_matches_schema(openapi, response))
        return json.loads(response.content) if response.content else {}

    with time_machine.travel(T0, tick=False):
        published = make_code(manager)
        complaint, _ = make_complaint()
    CategoryFactory(code="mortgages")
    ref = complaint.reference

    # codes and promises
    check(api.get("/promise-codes"))
    check(ApiClient(None).get("/promise-codes"))  # 401
    code = check(api.post("/promise-codes", {"title": {"en": "Delivery"}, "owner": "Logistics"}))
    check(api.post("/promise-codes", {"title": "plain"}))  # 422
    check(ApiClient(handler).post("/promise-codes", {"title": {"en": "No"}}))  # 403
    check(api.get(f"/promise-codes/{code['id']}"))
    check(api.get("/promise-codes/999999"))  # 404
    promise = {
        "key": "respond", "texts": {"en": "Within 5 business days."},
        "clock": "received_to_decision", "limit_amount": 5, "limit_unit": "business_days",
    }  # fmt: skip
    check(api.post(f"/promise-codes/{code['id']}/promises", promise))
    check(api.post(f"/promise-codes/{code['id']}/promises", {**promise, "clock": "sundial"}))
    check(api.post(f"/promise-codes/{code['id']}/steps", {"step": "publish"}))
    check(api.post(f"/promise-codes/{code['id']}/steps", {"step": "publish"}))  # 409
    check(api.post(f"/promise-codes/{code['id']}/new-version"))

    # checks, claims, scorecard
    check(api.get(f"/complaints/{ref}/promise-checks"))
    check(api.get("/complaints/C-0000-999999/promise-checks"))  # 404
    claim = {"promise_id": published.promises.first().pk, "note": "Too slow"}
    check(ApiClient(handler).post(f"/complaints/{ref}/broken-promise-claims", claim))
    check(ApiClient(handler).post(f"/complaints/{ref}/broken-promise-claims", claim))  # 409
    check(ApiClient(auditor).post(f"/complaints/{ref}/broken-promise-claims", claim))  # 403
    check(api.get("/promise-scorecard", {"months": 3}))

    # regulatory pauses
    pause = {
        "category": "mortgages", "starts_at": "2026-03-02T00:00:00+02:00",
        "ends_at": "2026-03-09T00:00:00+02:00", "reason": "Regulator's direction",
    }  # fmt: skip
    made = check(api.post("/regulatory-pauses", pause))
    check(api.post("/regulatory-pauses", {**pause, "ends_at": "2026-03-01T00:00:00+02:00"}))
    check(ApiClient(auditor).post("/regulatory-pauses", pause))  # 403
    check(api.get("/regulatory-pauses"))
    check(ApiClient(None).get("/regulatory-pauses"))  # 401
    removed = api.request("DELETE", f"/regulatory-pauses/{made['id']}")
    method, path, operation = _operation(openapi, removed)  # 204: documented, no body
    assert removed.status_code == 204 and "204" in operation["responses"] and not removed.content
    seen.add((method, path))
    check(api.request("DELETE", f"/regulatory-pauses/{made['id']}"))  # 404

    # regulatory profiles
    check(api.get("/regulatory-profiles"))
    selection = check(api.post("/regulatory-profile-selections", {"profile": "au-asic-rg271"}))
    check(api.post("/regulatory-profile-selections", {"profile": "nowhere"}))  # 422
    check(ApiClient(handler).post("/regulatory-profile-selections", {"profile": "us-cfpb"}))
    check(api.get("/regulatory-profile-selections"))
    check(api.request("DELETE", f"/regulatory-profile-selections/{selection['id']}"))
    check(api.request("DELETE", f"/regulatory-profile-selections/{selection['id']}"))  # 404

    operations = {
        (m, p)
        for p, ops in openapi["paths"].items()
        for m, op in ops.items()
        if "promises" in op.get("tags", [])
    }
    assert len(operations) == 16
    assert operations <= seen, operations - seen
