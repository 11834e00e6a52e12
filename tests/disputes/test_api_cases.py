"""The dispute case API: a referral with consent taken to its end through the operations, notices
that merge or are held, settlement authority, keyset pages with their filters, refusals per role
and for disputes of complaints the caller may not read."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plaint.accounts.models import Team
from plaint.complaints import services as complaint_services
from plaint.core.actors import Actor
from plaint.core.models import AuditEvent
from plaint.disputes import services
from plaint.disputes.models import Consent, Dispute, HeldNotice
from plaint.disputes.selectors_api import DisputeFilters, dispute_page
from plaint.organisation.services import organisation_update
from tests.api_client import ApiClient, assert_problem
from tests.disputes.cases import decided_complaint, provider_with_all_methods, refer
from tests.factories import UserFactory, advance, make_complaint

pytestmark = pytest.mark.django_db


def _referral(complaint, provider, **extra):
    body = {
        "complaint": complaint.reference,
        "provider_id": provider.pk,
        "method": "determinative",
        "consent": {
            "channel": "phone",
            "text_shown": "I agree that my complaint goes to the committee.",
            "language": "et",
        },
    }
    body.update(extra)
    return body


def test_a_referral_taken_to_its_end_through_the_api(manager, handler):
    provider = provider_with_all_methods(manager)
    complaint = decided_complaint(handler)
    api = ApiClient(handler)
    created = api.post("/disputes", _referral(complaint, provider), **{"Idempotency-Key": "r-1"})
    again = api.post("/disputes", _referral(complaint, provider), **{"Idempotency-Key": "r-1"})
    assert (created.status_code, again.status_code) == (201, 200), created.content
    dispute = created.json()
    assert again.json()["id"] == dispute["id"] and Dispute.objects.count() == 1
    assert dispute["state"] == "notice" and dispute["next_steps"][0] == "send_position"
    consent = Consent.objects.get()
    assert dispute["consent"]["channel"] == "phone" and consent.recorded_by == handler
    did = dispute["id"]
    steps = [
        ("position", {"position": "We refunded the first payment.", "expected_version": 1}),
        ("file-complete", {}),
        (
            "outcome",
            {
                "outcome": "upheld",
                "reasons": "The second payment was taken twice.",
                "obligations": [
                    {
                        "kind": "refund",
                        "description": "Refund 129.00 euros.",
                        "due_on": (dt.date.today() + dt.timedelta(days=10)).isoformat(),
                        "owner_id": handler.pk,
                        "amount": "129.00",
                        "currency": "EUR",
                    }
                ],
            },
        ),
    ]
    for step, body in steps:
        answer = api.post(f"/disputes/{did}/{step}", body)
        assert answer.status_code == 200, (step, answer.content)
    assert answer.json()["state"] == "implementation"
    [owed] = answer.json()["obligations"]
    closing = api.post(f"/disputes/{did}/close", {"lessons": "Check double payments."})
    assert_problem(closing, 409, "invalid_transition")
    done = api.post(f"/disputes/obligations/{owed['id']}/done", {"evidence": "Payment 55-1."})
    assert done.json()["obligations"][0]["done_at"] is not None
    closed = api.post(f"/disputes/{did}/close", {"lessons": "Check double payments."})
    assert closed.json()["state"] == "closed" and closed.json()["lessons"]
    actions = list(
        AuditEvent.objects.filter(case_type="dispute", case_id=did)
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "referred", "send_position", "file_complete", "record_outcome", "obligation_done", "close",
    ]  # fmt: skip


def test_consent_time_is_the_servers_and_cannot_be_given(manager, handler):
    provider = provider_with_all_methods(manager)
    complaint = decided_complaint(handler)
    body = _referral(complaint, provider)
    body["consent"]["given_at"] = "2020-01-01T10:00:00+00:00"
    refused = ApiClient(handler).post("/disputes", body)
    assert refused.status_code == 422 and Dispute.objects.count() == 0


def test_a_stale_version_is_a_conflict_and_a_wrong_step_a_409(manager, handler):
    provider = provider_with_all_methods(manager)
    dispute = refer(handler, decided_complaint(handler), provider)
    api = ApiClient(handler)
    stale = api.post(f"/disputes/{dispute.pk}/position", {"position": "x", "expected_version": 9})
    assert_problem(stale, 409, "conflict")
    early = api.post(f"/disputes/{dispute.pk}/file-complete", {})
    assert_problem(early, 409, "invalid_transition")
    exit_ = api.post(f"/disputes/{dispute.pk}/exit", {"step": "withdraw", "reason": "Settled."})
    assert exit_.json()["state"] == "withdrawn"


def test_an_advisory_recommendation_answered_and_a_submission_added(manager, handler):
    provider = provider_with_all_methods(manager)
    dispute = refer(handler, decided_complaint(handler), provider, method="advisory")
    api = ApiClient(handler)
    api.post(f"/disputes/{dispute.pk}/position", {"position": "Our view."})
    api.post(f"/disputes/{dispute.pk}/file-complete", {})
    body = {"side": "complainant", "kind": "submission", "body": "My receipts."}
    added = api.post(f"/disputes/{dispute.pk}/submissions", body, **{"Idempotency-Key": "s-1"})
    again = api.post(f"/disputes/{dispute.pk}/submissions", body, **{"Idempotency-Key": "s-1"})
    assert (added.status_code, again.status_code) == (201, 200)
    assert added.json()["id"] == again.json()["id"] and added.json()["side"] == "complainant"
    recommended = api.post(
        f"/disputes/{dispute.pk}/outcome",
        {"outcome": "recommendation", "reasons": "A goodwill refund is fair."},
    )
    assert recommended.json()["state"] == "recommended"
    answered = api.post(f"/disputes/{dispute.pk}/recommendation-answer", {"accepted": False})
    assert answered.json()["state"] == "closed"
    assert len(answered.json()["submissions"]) == 2


def test_notices_merge_on_the_providers_reference_and_unknown_ones_are_held(manager, handler):
    provider = provider_with_all_methods(manager)
    complaint = decided_complaint(handler)
    api = ApiClient(handler)
    notice = {
        "provider_id": provider.pk,
        "provider_reference": "TVK-2026/118",
        "complaint": complaint.reference,
        "method": "facilitative",
    }
    opened = api.post("/disputes/notices", notice)
    merged = api.post("/disputes/notices", notice)
    assert (opened.status_code, opened.json()["result"]) == (201, "opened")
    assert (merged.status_code, merged.json()["result"]) == (200, "merged")
    assert merged.json()["dispute_id"] == opened.json()["dispute_id"]
    unknown = {**notice, "provider_reference": "TVK-2026/119", "complaint": "C-1999-000001"}
    held = api.post("/disputes/notices", unknown, **{"Idempotency-Key": "n-1"})
    replay = api.post("/disputes/notices", unknown, **{"Idempotency-Key": "n-1"})
    assert held.status_code == 201 and held.json()["result"] == "held"
    assert replay.json() == held.json() and replay.status_code == 200
    assert HeldNotice.objects.get().pk == held.json()["held_notice_id"]
    assert Dispute.objects.count() == 1


def test_an_offer_above_the_limit_waits_for_another_manager(manager, handler, admin_user):
    provider = provider_with_all_methods(manager)
    dispute = refer(handler, decided_complaint(handler), provider)
    body = {"amount": "900.00", "currency": "EUR", "terms": "Full refund and 100 euros."}
    offered = ApiClient(manager).post(f"/disputes/{dispute.pk}/offers", body)
    assert offered.status_code == 201 and offered.json()["needs_approval"] is True
    oid = offered.json()["id"]
    assert_problem(ApiClient(handler).post(f"/disputes/offers/{oid}/approve"), 403, "not_allowed")
    assert_problem(ApiClient(manager).post(f"/disputes/offers/{oid}/approve"), 403, "not_allowed")
    approved = ApiClient(admin_user).post(f"/disputes/offers/{oid}/approve")
    assert approved.json()["approved_by"] == admin_user.username
    assert approved.json()["made_at"] is not None


def test_an_auditor_reads_but_does_not_work(manager, handler, auditor):
    provider = provider_with_all_methods(manager)
    dispute = refer(handler, decided_complaint(handler), provider)
    api = ApiClient(auditor)
    assert api.get(f"/disputes/{dispute.pk}").status_code == 200
    refused = api.post(f"/disputes/{dispute.pk}/position", {"position": "x"})
    assert_problem(refused, 403, "not_allowed")


def test_the_list_pages_filters_and_hides_foreign_disputes(manager, handler):
    provider = provider_with_all_methods(manager)
    other = provider_with_all_methods(manager, name="Payments Ombudsman")
    team_a, team_b = Team.objects.create(name="A"), Team.objects.create(name="B")
    teams_case, _token = make_complaint()
    complaint_services.complaint_assign(
        complaint_id=teams_case.pk, actor=Actor.staff(manager), assignee_id=None, team_id=team_a.pk
    )
    made = [refer(handler, advance(teams_case, "decision_communicated", by=handler), provider)]
    made += [refer(handler, decided_complaint(handler), provider) for _ in range(3)]
    refer(handler, decided_complaint(handler), other, method="facilitative")
    api = ApiClient(handler)
    first = api.get("/disputes", {"limit": 3})
    assert [d["id"] for d in first.json()["items"]][:1] != [made[0].pk]
    rest = api.get("/disputes", {"limit": 3, "cursor": first.json()["next_cursor"]})
    ids = [d["id"] for d in first.json()["items"] + rest.json()["items"]]
    assert len(ids) == len(set(ids)) == 5 and rest.json()["next_cursor"] is None
    by_provider = api.get("/disputes", {"provider": other.pk}).json()["items"]
    assert [d["provider"] for d in by_provider] == ["Payments Ombudsman"]
    assert len(api.get("/disputes", {"method": "determinative"}).json()["items"]) == 4
    assert api.get("/disputes", {"state": "closed"}).json()["items"] == []
    for bad in ({"state": "lost"}, {"method": "duel"}, {"provider": "x"}, {"cursor": "%%"}):
        assert_problem(api.get("/disputes", bad), 422, "validation_failed")
    # a team's dispute is foreign to another team's handler once visibility is on
    organisation_update(actor=Actor.staff(UserFactory(role="admin")), team_visibility=True)
    outsider = ApiClient(UserFactory(role="handler", team=team_b))
    listed = {d["id"] for d in outsider.get("/disputes", {"limit": 200}).json()["items"]}
    assert made[0].pk not in listed and len(listed) == 4
    assert_problem(outsider.get(f"/disputes/{made[0].pk}"), 404, "not_found")
    step = outsider.post(f"/disputes/{made[0].pk}/position", {"position": "x"})
    assert_problem(step, 404, "not_found")


def test_the_list_costs_the_same_statements_for_one_dispute_as_for_twenty(manager, handler):
    """Measured at the selector the operation calls (the token check around it caches)."""
    provider = provider_with_all_methods(manager)
    refer(handler, decided_complaint(handler), provider)

    def statements() -> int:
        with CaptureQueriesContext(connection) as queries:
            page = dispute_page(actor=handler, filters=DisputeFilters(), limit=50)
            [(d.complaint.reference, d.provider.name, d.open_obligations) for d in page.items]
        return len(queries)

    one = statements()
    for _ in range(19):
        refer(handler, decided_complaint(handler), provider)
    assert statements() == one == 1
    assert ApiClient(handler).get("/disputes").json()["items"][19]["open_obligations"] == 0


def test_the_schemas_keep_their_own_names_in_the_openapi_document():
    """Ninja keeps one component per class name: a second ``DisputeOutcomeIn`` (the complaint
    step's) would silently replace the first in the document."""
    from plaint.api import api

    components = api.get_openapi_schema()["components"]["schemas"]
    assert "closed_on" in components["DisputeOutcomeIn"]["properties"]  # the complaint's step
    assert "obligations" in components["DisputeOutcomeRecordIn"]["properties"]  # the dispute's
    assert {"DisputeDetailOut", "DisputeNoticeOut", "DisputeImportOut"} <= set(components)


def test_a_submission_names_its_file_and_a_text_one_has_none(manager, handler):
    from django.core.files.uploadedfile import SimpleUploadedFile

    dispute = refer(handler, decided_complaint(handler), provider_with_all_methods(manager))
    api = ApiClient(handler)
    api.post(f"/disputes/{dispute.pk}/position", {"position": "Our view."})
    services.dispute_submission_add(
        actor=Actor.staff(handler), dispute_id=dispute.pk, side="organisation", kind="submission",
        body="The terminal's log.", upload=SimpleUploadedFile("log.txt", b"SALE 129.00", "text/plain"),
    )  # fmt: skip
    text = {"side": "provider", "kind": "request", "body": "Send the contract."}
    added = api.post(f"/disputes/{dispute.pk}/submissions", text, **{"Idempotency-Key": "f-1"})
    assert added.status_code == 201 and added.json()["file"] is None
    detail = api.get(f"/disputes/{dispute.pk}").json()
    position, with_file, request = detail["submissions"]  # the position has no file either
    assert position["kind"] == "position" and position["file"] is None
    assert request["file"] is None
    attachment = dispute.submissions.get(kind="submission").attachment
    assert with_file["file"] == {
        "id": attachment.pk, "name": "log.txt", "content_type": "text/plain", "size": 11,
        "sha256": attachment.sha256, "erased": False,
    }  # fmt: skip


def test_the_complaint_s_detail_names_the_dispute_that_keeps_a_file(manager, handler):
    """A file of a dispute's file is one of the complaint's non-public files: the complaint's
    detail names its dispute (``kept_in``), as the case page does; a note's file names none."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from plaint.core.uploads import check_uploads

    complaint = decided_complaint(handler)
    dispute = refer(handler, complaint, provider_with_all_methods(manager))
    complaint_services.message_post(
        complaint_id=complaint.pk, actor=Actor.staff(handler), body="Call notes.", internal=True,
        attachments=check_uploads([SimpleUploadedFile("notes.txt", b"called", "text/plain")]),
    )  # fmt: skip
    services.dispute_submission_add(
        actor=Actor.staff(handler), dispute_id=dispute.pk, side="organisation", kind="submission",
        body="The terminal's log.", upload=SimpleUploadedFile("log.txt", b"SALE 129.00", "text/plain"),
    )  # fmt: skip
    api = ApiClient(handler)
    files = api.get(f"/complaints/{complaint.reference}").json()["attachments"]
    kept = {f["name"]: (f["public"], f["kept_in"]) for f in files}
    assert kept == {
        "notes.txt": (False, None),
        "log.txt": (False, {"text": f"in the file of dispute D-{dispute.pk}",
                            "url": f"/staff/disputes/{dispute.pk}/",
                            "api": f"/api/v1/disputes/{dispute.pk}"}),
    }  # fmt: skip
    assert api.get(kept["log.txt"][1]["api"].removeprefix("/api/v1")).json()["id"] == dispute.pk
    # the file a dispute's submission names is downloaded as one of the complaint's files
    submissions = api.get(f"/disputes/{dispute.pk}").json()["submissions"]
    [file_id] = [s["file"]["id"] for s in submissions if s["file"]]
    download = api.get(f"/complaints/{complaint.reference}/attachments/{file_id}")
    assert b"".join(download.streaming_content) == b"SALE 129.00"
