"""The API for the dispute policy, legal referrals and the neutral's assignment: a policy started,
changed and published by a manager; a referral recorded and reviewed by a second manager; a
neutral assigned and taken off; refusals per role and for complaints the caller may not read;
an Idempotency-Key replayed."""

from __future__ import annotations

import json

import pytest

from plaint.accounts.models import Team
from plaint.complaints import services as complaint_services
from plaint.core.actors import Actor
from plaint.core.models import AuditEvent
from plaint.disputes.models import DisputePolicy, LegalReferral
from plaint.organisation.services import organisation_update
from tests.api_client import ApiClient, assert_problem
from tests.disputes.cases import decided_complaint, provider_with_all_methods, refer
from tests.factories import UserFactory, make_complaint

pytestmark = pytest.mark.django_db


def _patch(api: ApiClient, path: str, body: dict):
    return api.client.generic(
        "PATCH", f"/api/v1{path}", json.dumps(body), "application/json", headers=api.headers()
    )


def test_a_manager_starts_changes_and_publishes_the_policy(manager, handler):
    api = ApiClient(manager)
    assert_problem(api.get("/dispute-policy/draft"), 404, "not_found")
    started = api.post("/dispute-policy/drafts", **{"Idempotency-Key": "p-1"})
    again = api.post("/dispute-policy/drafts", **{"Idempotency-Key": "p-1"})
    assert (started.status_code, again.status_code) == (201, 200), started.content
    assert started.json()["version"] == again.json()["version"] == 1
    assert_problem(api.post("/dispute-policy/drafts"), 409, "conflict")
    assert_problem(api.post("/dispute-policy/drafts/1/publish"), 422, "validation_failed")
    changed = _patch(api, "/dispute-policy/drafts/1", {
        "title": {"en": "Disputes policy", "et": "Vaidluste kord"},
        "scope": {"en": "Consumer disputes up to 5000 euros."}, "binding": "if_accepted",
        "max_value": "5000.00", "currency": "EUR",
    })  # fmt: skip
    assert changed.status_code == 200, changed.content
    assert changed.json()["languages"] == ["en"] and changed.json()["state"] == "draft"
    assert api.get("/dispute-policy/versions").json() == []
    assert_problem(api.get("/dispute-policy/versions/1"), 404, "not_found")
    published = api.post("/dispute-policy/drafts/1/publish")
    assert published.status_code == 200, published.content
    reader = ApiClient(handler)  # staff read the published versions, with every language's text
    [listed] = reader.get("/dispute-policy/versions").json()
    assert listed["state"] == "published" and listed["title"]["et"] == "Vaidluste kord"
    assert reader.get("/dispute-policy/versions/1").json()["max_value"] == "5000.00"
    assert_problem(_patch(api, "/dispute-policy/drafts/1", {"body": {}}), 409, "invalid_transition")
    assert_problem(reader.post("/dispute-policy/drafts"), 403, "not_allowed")
    actions = AuditEvent.objects.filter(case_type="dispute_policy").values_list("action", flat=True)
    assert list(actions) == ["policy_draft_started", "policy_draft_changed", "policy_published"]
    assert DisputePolicy.objects.get().published_by == manager


def test_a_referral_recorded_then_reviewed_by_another_manager(manager, handler):
    complaint, _token = make_complaint()
    api = ApiClient(handler)
    body = {"complaint": complaint.reference, "authority": "Data Protection Inspectorate",
            "reason": "A possible breach of the data protection rules."}  # fmt: skip
    made = api.post("/legal-referrals", body, **{"Idempotency-Key": "l-1"})
    again = api.post("/legal-referrals", body, **{"Idempotency-Key": "l-1"})
    assert (made.status_code, again.status_code) == (201, 200), made.content
    assert again.json()["id"] == made.json()["id"] and LegalReferral.objects.count() == 1
    rid = made.json()["id"]
    assert_problem(api.post("/legal-referrals", body), 409, "conflict")
    review = {"decision": "approve"}
    assert_problem(api.post(f"/legal-referrals/{rid}/review", review), 403, "not_allowed")
    assert_problem(
        ApiClient(manager).post(f"/legal-referrals/{rid}/review", {"decision": "return"}),
        422,
        "validation_failed",
    )
    second = ApiClient(UserFactory(username="mirjam", role="manager"))
    approved = second.post(f"/legal-referrals/{rid}/review", review)
    assert approved.status_code == 200, approved.content
    assert (approved.json()["state"], approved.json()["reviewed_by"]) == ("approved", "mirjam")
    listed = api.get("/legal-referrals", {"state": "approved", "complaint": complaint.reference})
    assert [r["id"] for r in listed.json()["items"]] == [rid]
    assert api.get("/legal-referrals", {"state": "proposed"}).json()["items"] == []


def test_referrals_of_complaints_the_caller_may_not_read_are_not_found(manager):
    team_a, team_b = Team.objects.create(name="A"), Team.objects.create(name="B")
    complaint, _token = make_complaint()
    complaint_services.complaint_assign(
        complaint_id=complaint.pk, actor=Actor.staff(manager), assignee_id=None, team_id=team_a.pk
    )
    organisation_update(actor=Actor.staff(manager), team_visibility=True)
    made = ApiClient(manager).post("/legal-referrals", {
        "complaint": complaint.reference, "authority": "Consumer Protection Board",
        "reason": "Unfair terms.",
    })  # fmt: skip
    assert made.status_code == 201, made.content
    outsider = ApiClient(UserFactory(username="otto", role="handler", team=team_b))
    assert outsider.get("/legal-referrals").json()["items"] == []
    assert_problem(outsider.get(f"/legal-referrals/{made.json()['id']}"), 404, "not_found")
    again = {"complaint": complaint.reference, "authority": "Another", "reason": "x"}
    assert_problem(outsider.post("/legal-referrals", again), 404, "not_found")


def test_staff_assign_a_neutral_and_the_dispute_shows_the_declaration(manager, handler, auditor):
    dispute = refer(handler, decided_complaint(handler), provider_with_all_methods(manager))
    neutral = UserFactory(username="kadri", role="neutral", first_name="Kadri", last_name="Tamm")
    api = ApiClient(handler)
    before = api.get(f"/disputes/{dispute.pk}").json()
    assert (before["neutral_user"], before["neutral_declaration"]) == (None, None)
    assigned = api.post(f"/disputes/{dispute.pk}/neutral", {"neutral_id": neutral.pk})
    assert assigned.status_code == 200, assigned.content
    got = assigned.json()
    assert (got["neutral_user"], got["neutral"]) == ("kadri", "Kadri Tamm")
    assert got["neutral_declaration"] == "awaiting"
    assert_problem(
        api.post(f"/disputes/{dispute.pk}/neutral", {"neutral_id": neutral.pk}), 409, "conflict"
    )
    assert_problem(
        api.post(f"/disputes/{dispute.pk}/neutral", {"neutral_id": auditor.pk}),
        422,
        "validation_failed",
    )
    assert_problem(
        ApiClient(auditor).post(f"/disputes/{dispute.pk}/neutral", {"neutral_id": None}),
        403,
        "not_allowed",
    )
    off = api.post(f"/disputes/{dispute.pk}/neutral", {"neutral_id": None})
    assert off.status_code == 200 and off.json()["neutral_user"] is None
    # the neutral's own token opens none of it: they act on their portal
    assert ApiClient(neutral).get("/dispute-policy/versions").status_code == 401
