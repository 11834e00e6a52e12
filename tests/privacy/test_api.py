"""/api/v1/privacy: find, export, erase (dry run, then confirm), holds."""

from __future__ import annotations

import io
import zipfile

from plaint.privacy.selectors import subject_lookup
from tests.api_client import ApiClient, assert_problem
from tests.privacy.conftest import EMAIL


def test_find_export_then_erase(person, admin_user):
    api = ApiClient(admin_user)
    found = api.get("/privacy/subjects", {"query": EMAIL}).json()
    assert found["cases"] == [c.reference for c in person] and found["survey_responses"] == 1
    export = api.get("/privacy/export", {"query": EMAIL})
    assert export.status_code == 200
    assert (
        "subject.json" in zipfile.ZipFile(io.BytesIO(b"".join(export.streaming_content))).namelist()
    )

    dry = api.post("/privacy/erasures", {"query": EMAIL})
    assert dry.status_code == 200 and dry.json()["erased"] is False
    assert dry.json()["counts"]["complaints"] == 2
    done = api.post("/privacy/erasures", {"query": EMAIL, "confirm": True})
    assert done.status_code == 201 and done.json()["erasure_id"]
    assert not subject_lookup(query=EMAIL).found


def test_a_hold_refuses_the_erasure_with_409(person, admin_user):
    api = ApiClient(admin_user)
    hold = api.post("/privacy/holds", {"reference": person[0].reference, "reason": "Claim"})
    assert hold.status_code == 201
    dry = api.post("/privacy/erasures", {"query": EMAIL}).json()
    assert "Claim" in dry["blocked_by"]
    refused = api.post("/privacy/erasures", {"query": EMAIL, "confirm": True})
    assert_problem(refused, 409, "conflict")
    released = api.post(f"/privacy/holds/{hold.json()['id']}/release")
    assert released.status_code == 200 and released.json()["released_at"]


def test_handlers_and_managers_without_the_permission_are_refused(person, handler, manager):
    for user in (handler, manager):
        assert_problem(
            ApiClient(user).get("/privacy/subjects", {"query": EMAIL}), 403, "not_allowed"
        )
