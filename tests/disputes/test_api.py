"""The disputes API: the register through its operations, idempotent creates, refusals per role,
and the eligibility of a complaint without revealing one the reader may not see."""

from __future__ import annotations

import pytest

from plaint.disputes.models import Provider
from tests.api_client import ApiClient, assert_problem
from tests.factories import advance, make_complaint

pytestmark = pytest.mark.django_db

BODY = {
    "name": "Tarbijavaidluste komisjon",
    "kind": "adr_body",
    "jurisdictions": ["ee"],
    "languages": ["et", "ru", "en"],
    "refer_within": 12,
    "refer_within_unit": "weeks",
}


def test_a_provider_through_the_api(manager, handler):
    api = ApiClient(manager)
    created = api.post("/disputes/providers", BODY, **{"Idempotency-Key": "p-1"})
    again = api.post("/disputes/providers", BODY, **{"Idempotency-Key": "p-1"})
    assert (created.status_code, again.status_code) == (201, 200)
    provider = created.json()
    assert provider["jurisdictions"] == ["EE"] and Provider.objects.count() == 1
    pid = provider["id"]
    methods = api.client.put(
        f"/api/v1/disputes/providers/{pid}/methods",
        data='[{"method": "facilitative"}, {"method": "determinative", "fee": "25.00",'
        ' "currency": "EUR", "fee_payer": "organisation", "binding_on_organisation": true}]',
        content_type="application/json",
        headers=api.headers(),
    )
    assert methods.status_code == 200, methods.content
    assert [m["method"] for m in methods.json()["methods"]] == ["determinative", "facilitative"]
    ruled = api.post(f"/disputes/providers/{pid}/rules", {"max_days_since_final_response": 365})
    assert ruled.status_code == 200 and len(ruled.json()["rules"]) == 1
    reviewed = api.post(
        f"/disputes/providers/{pid}/reviews",
        {"reviewed_on": "2026-01-15", "conclusion": "keep", "findings": "All decisions on time."},
    )
    assert reviewed.json()["next_review_due"] == "2027-01-15"
    complaint, _token = make_complaint()
    complaint = advance(complaint, "decision_communicated", by=handler)
    [answer] = (
        ApiClient(handler).get("/disputes/eligibility", {"complaint": complaint.reference}).json()
    )
    assert answer["eligible"] is True and answer["refer_by"]


def test_handlers_and_auditors_read_but_do_not_write(manager, personas):
    ApiClient(manager).post("/disputes/providers", BODY)
    for role in ("handler", "auditor"):
        api = ApiClient(personas[role])
        assert len(api.get("/disputes/providers").json()) == 1
        assert_problem(
            api.post("/disputes/providers", {**BODY, "name": "Other"}), 403, "not_allowed"
        )


def test_bad_codes_and_amounts_are_problems_not_errors(manager):
    api = ApiClient(manager)
    assert_problem(
        api.post("/disputes/providers", {**BODY, "jurisdictions": ["Estonia"]}),
        422,
        "validation_failed",
    )
    pid = api.post("/disputes/providers", BODY).json()["id"]
    bad_band = {"min_value": "10", "max_value": "5", "currency": "EUR"}
    assert_problem(api.post(f"/disputes/providers/{pid}/rules", bad_band), 422, "validation_failed")
    no_currency = {"min_value": "10"}
    assert_problem(
        api.post(f"/disputes/providers/{pid}/rules", no_currency), 422, "validation_failed"
    )
    assert_problem(api.get("/disputes/providers/999999"), 404, "not_found")


def test_eligibility_of_an_unknown_complaint_is_not_found(handler):
    assert_problem(
        ApiClient(handler).get("/disputes/eligibility", {"complaint": "C-2026-999"}),
        404,
        "not_found",
    )
