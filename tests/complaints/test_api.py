"""The complaints API through HTTP: resulting state, audit events and enqueued jobs, permissions,
idempotency, optimistic locking, query counts and the error shape for bad input."""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plaint.accounts.models import Team
from plaint.accounts.services import api_token_create, api_token_revoke
from plaint.complaints.models import Complaint, Message
from plaint.complaints.selectors import complaint_get_by_token
from plaint.complaints.states import Step
from plaint.core.actors import Actor
from plaint.core.models import AuditEvent, IdempotencyRecord, OutboundEmail
from tests.api_client import ApiClient, assert_problem
from tests.complaints.proposals import propose_again
from tests.factories import CategoryFactory, advance, make_complaint, office_today

NEW = {
    "name": "Mari Maasikas",
    "email": "mari@example.org",
    "description": "The parcel arrived two weeks late and the box was crushed.",
    "subject": "Late and damaged parcel",
    "consent": True,
}


def actions(complaint) -> list[str]:
    return list(
        AuditEvent.objects.filter(case_type="complaint", case_id=complaint.pk)
        .order_by("seq")
        .values_list("action", flat=True)
    )


def mails() -> int:
    """Mails written to the outbox (each is delivered by the workers' outbox drain)."""
    return OutboundEmail.objects.count()


@pytest.fixture
def as_handler(handler):
    return ApiClient(handler)


@pytest.fixture
def as_auditor(auditor):
    return ApiClient(auditor)


# --- POST /complaints ---------------------------------------------------------------------


def test_create_files_the_complaint_and_acknowledges_it(as_handler, handler):
    category = CategoryFactory(code="delivery")
    response = as_handler.post("/complaints", {**NEW, "category": "delivery"})

    assert response.status_code == 201, response.content
    body = response.json()
    complaint = Complaint.objects.get(pk=body["id"])
    assert body["reference"] == complaint.reference
    assert complaint.channel == "api" and body["channel"] == "api"
    assert complaint.state == "acknowledged" == body["state"]
    assert complaint.category == category
    assert complaint.complainant.email == "mari@example.org"
    assert body["version"] == complaint.version
    assert body["response_due_at"] and body["acknowledgement_due_at"]
    token = body["tracking_url"].rstrip("/").rsplit("/", 1)[1]
    assert complaint_get_by_token(token=token) == complaint
    assert actions(complaint) == ["received", "acknowledge"]
    received = AuditEvent.objects.get(case_id=complaint.pk, action="received")
    assert received.actor_id == handler.pk and received.data["channel"] == "api"
    assert mails() == 1  # the acknowledgement mail


def test_staff_may_log_a_phone_complaint_without_consent_which_waits_for_acknowledgement(
    as_handler,
):
    body = {**NEW, "channel": "phone", "consent": False, "received_at": "2026-11-20T09:30:00+02:00"}
    response = as_handler.post("/complaints", body)

    assert response.status_code == 201, response.content
    complaint = Complaint.objects.get(pk=response.json()["id"])
    assert complaint.channel == "phone"
    assert complaint.state == "received"
    assert complaint.received_at.isoformat() == "2026-11-20T07:30:00+00:00"
    assert actions(complaint) == ["received"]
    assert mails() == 0


def test_create_reports_the_services_field_errors(as_handler):
    response = as_handler.post(
        "/complaints", {**NEW, "email": "not-an-address", "category": "no-such-category"}
    )
    body = assert_problem(response, 422, "validation_failed")
    assert set(body["errors"]) >= {"email", "category"}
    assert Complaint.objects.count() == 0


def test_create_needs_consent_for_the_api_channel(as_handler):
    body = assert_problem(
        as_handler.post("/complaints", {**NEW, "consent": False}), 422, "validation_failed"
    )
    assert "consent" in body["errors"]


def test_create_refuses_unknown_and_missing_fields(as_handler):
    body = assert_problem(
        as_handler.post("/complaints", {"name": "A", "colour": "blue"}), 422, "validation_failed"
    )
    assert body["errors"]["description"]
    assert body["errors"]["colour"]


def test_create_refuses_web_channel_and_a_naive_receipt_time(as_handler):
    body = assert_problem(
        as_handler.post(
            "/complaints", {**NEW, "channel": "web", "received_at": "2026-11-20T09:30"}
        ),
        422,
        "validation_failed",
    )
    assert set(body["errors"]) == {"channel", "received_at"}


def test_create_refuses_a_future_receipt_time(as_handler):
    body = assert_problem(
        as_handler.post("/complaints", {**NEW, "received_at": "2030-01-01T00:00:00Z"}),
        422,
        "validation_failed",
    )
    assert "received_at" in body["errors"]


# --- Idempotency-Key ------------------------------------------------------------------------


def test_same_idempotency_key_and_body_returns_the_same_complaint(as_handler):
    key = str(uuid.uuid4())
    first = as_handler.post("/complaints", NEW, **{"Idempotency-Key": key})
    # The same body with its keys in another order and other spacing is the same request.
    reordered = json.dumps(dict(reversed(list(NEW.items()))), indent=3)
    second = as_handler.post("/complaints", raw=reordered, **{"Idempotency-Key": key})

    assert first.status_code == 201
    assert second.status_code == 200, second.content
    assert second.json()["id"] == first.json()["id"]
    assert second.json()["reference"] == first.json()["reference"]
    assert first.json()["tracking_url"] and second.json()["tracking_url"] is None
    assert Complaint.objects.count() == 1
    assert IdempotencyRecord.objects.count() == 1
    assert actions(Complaint.objects.get()) == ["received", "acknowledge"]
    assert mails() == 1


def test_same_idempotency_key_with_another_body_is_refused(as_handler):
    key = "retry-1"
    assert as_handler.post("/complaints", NEW, **{"Idempotency-Key": key}).status_code == 201
    response = as_handler.post(
        "/complaints", {**NEW, "subject": "Something else"}, **{"Idempotency-Key": key}
    )
    body = assert_problem(response, 422, "idempotency_mismatch")
    assert "Idempotency-Key" in body["errors"]
    assert Complaint.objects.count() == 1


def test_an_idempotency_error_is_in_the_callers_language(as_handler):
    as_handler.post("/complaints", NEW, **{"Idempotency-Key": "k"})
    other = as_handler.post(
        "/complaints",
        {**NEW, "subject": "Muu"},
        **{"Idempotency-Key": "k", "Accept-Language": "uk"},
    )
    body = assert_problem(other, 422, "idempotency_mismatch")
    assert body["detail"] == "Цей Idempotency-Key уже використано з іншим тілом запиту."
    assert body["errors"]["Idempotency-Key"] == ["Уже використано з іншим запитом."]
    unusable = as_handler.post(
        "/complaints", NEW, **{"Idempotency-Key": " ", "Accept-Language": "et"}
    )
    assert assert_problem(unusable, 422, "validation_failed")["errors"]["Idempotency-Key"] == [
        "Kasuta 1 kuni 200 prinditavat märki, näiteks UUID-d."
    ]


def test_idempotency_keys_belong_to_their_principal(as_handler, manager):
    key = "shared-key"
    one = as_handler.post("/complaints", NEW, **{"Idempotency-Key": key})
    two = ApiClient(manager).post("/complaints", NEW, **{"Idempotency-Key": key})
    assert one.status_code == two.status_code == 201
    assert one.json()["id"] != two.json()["id"]


def test_a_failed_request_does_not_use_up_its_key(as_handler):
    key = "first-try-invalid"
    bad = as_handler.post("/complaints", {**NEW, "email": "nope"}, **{"Idempotency-Key": key})
    assert_problem(bad, 422, "validation_failed")
    assert IdempotencyRecord.objects.count() == 0
    good = as_handler.post("/complaints", NEW, **{"Idempotency-Key": key})
    assert good.status_code == 201


@pytest.mark.parametrize("key", ["", " ", "x" * 201, "tab\there"])
def test_an_unusable_idempotency_key_is_a_validation_error(as_handler, key):
    body = assert_problem(
        as_handler.post("/complaints", NEW, **{"Idempotency-Key": key}), 422, "validation_failed"
    )
    assert "Idempotency-Key" in body["errors"]
    assert Complaint.objects.count() == 0


@pytest.mark.postgres_only  # SQLite's shared in-memory test database answers "table is locked"
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_requests_with_one_key_make_one_complaint(handler):
    clients = [ApiClient(handler), ApiClient(handler)]
    key = str(uuid.uuid4())
    barrier = threading.Barrier(len(clients), timeout=10)
    results: list = [None] * len(clients)

    def send(i: int) -> None:
        try:
            barrier.wait()
            results[i] = clients[i].post("/complaints", NEW, **{"Idempotency-Key": key})
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(clients))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)

    statuses = sorted(r.status_code for r in results)
    assert statuses == [200, 201], [r.content for r in results]
    assert len({r.json()["id"] for r in results}) == 1
    assert Complaint.objects.count() == 1
    assert IdempotencyRecord.objects.count() == 1
    assert mails() == 1


# --- GET /complaints ------------------------------------------------------------------------


def test_list_pages_through_the_queue_with_cursors(as_handler):
    made = {make_complaint(subject=f"Complaint {i}")[0].pk for i in range(7)}
    seen: list[int] = []
    cursor = None
    for _ in range(10):  # bounded: 7 items in pages of 3 take 3 pages
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        response = as_handler.get("/complaints", params)
        assert response.status_code == 200, response.content
        page = response.json()
        assert page["total"] == 7
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 7 and set(seen) == made
    assert seen == sorted(seen, reverse=True)  # newest first


def test_list_filters_like_the_staff_queue(as_handler, handler, other_handler):
    cat = CategoryFactory(code="billing")
    mine = make_complaint(subject="Mine", category="billing")[0]
    advance(mine, "assessed", by=handler)
    theirs = make_complaint(subject="Theirs")[0]
    phone = make_complaint(channel="phone", actor=Actor.staff(other_handler))[0]

    def ids(**params):
        response = as_handler.get("/complaints", params)
        assert response.status_code == 200, response.content
        return {item["id"] for item in response.json()["items"]}

    assert ids(state=["assessed"]) == {mine.pk}
    assert ids(state=["acknowledged", "received"]) == {theirs.pk, phone.pk}
    assert ids(channel="phone") == {phone.pk}
    assert ids(category=cat.code) == {mine.pk}
    assert ids(severity="medium") == {mine.pk}
    assert ids(assignee="none") == {mine.pk, theirs.pk, phone.pk}
    assert ids(q=mine.reference) == {mine.pk}
    assert ids(q="Theirs") == {theirs.pk}
    assert ids(received_from="2000-01-01", received_to="2000-01-02") == set()
    assert ids(sort="due", overdue="false") == {mine.pk, theirs.pk, phone.pk}


def test_list_assignee_me(as_handler, handler):
    complaint = make_complaint()[0]
    advance(complaint, "investigating", by=handler)  # starting the investigation takes the case
    response = as_handler.get("/complaints", {"assignee": "me"})
    assert [item["id"] for item in response.json()["items"]] == [complaint.pk]


def test_list_uses_the_same_number_of_queries_for_any_page_size(as_handler, handler):
    team = Team.objects.create(name="Care")
    CategoryFactory(code="delivery")
    for i in range(55):
        make_complaint(subject=f"Complaint {i}", category="delivery")
    Complaint.objects.update(assignee=handler, team=team)  # every relation filled
    as_handler.get("/complaints", {"limit": 1})  # the token's last-use stamp is written once

    counts = {}
    for limit in (5, 50):
        with CaptureQueriesContext(connection) as ctx:
            response = as_handler.get("/complaints", {"limit": limit})
        assert response.status_code == 200
        assert len(response.json()["items"]) == limit
        counts[limit] = len(ctx.captured_queries)
    assert counts[5] == counts[50] <= 3, counts  # the token, the count, the page


@pytest.mark.parametrize(
    "params",
    [
        {"cursor": "!!!"},
        {"cursor": "bm90IGpzb24"},  # base64 of "not json"
        {"cursor": "WyJ4IiwgMV0"},  # base64 of ["x", 1]
        {"cursor": "x" * 600},
        {"limit": 0},
        {"limit": 201},
        {"limit": "ten"},
        {"state": "nonsense"},
        {"assignee": "someone"},
        {"team": "blue"},
        {"received_from": "yesterday"},
        {"sort": "random"},
        {"overdue": "perhaps"},
    ],
)
def test_list_refuses_bad_parameters_with_field_errors(as_handler, params):
    make_complaint()
    body = assert_problem(as_handler.get("/complaints", params), 422, "validation_failed")
    assert set(body["errors"]) <= set(params) | {f"{k}.0" for k in params}, body["errors"]
    assert body["errors"]


def test_a_bad_queue_parameter_is_explained_in_the_callers_language(as_handler):
    def errors(params: dict, language: str) -> dict:
        response = as_handler.get("/complaints", params, **{"Accept-Language": language})
        return assert_problem(response, 422, "validation_failed")["errors"]

    assert errors({"sort": "random"}, "sv")["sort"] == ["Välj ett av: newest, oldest, due."]
    assert errors({"assignee": "someone"}, "sv")["assignee"] == [
        "Använd ett användar-id, me eller none."
    ]
    assert errors({"cursor": "!!!"}, "et")["cursor"] == ["Vigane kursor."]


# --- GET /complaints/{reference} -------------------------------------------------------------


def test_detail_has_messages_with_internal_notes_remedies_attachments_and_next_steps(
    as_handler, handler
):
    complaint = make_complaint()[0]
    from plaint.complaints.services import message_post

    message_post(
        complaint_id=complaint.pk,
        actor=Actor.staff(handler),
        body="Check the courier.",
        internal=True,
    )
    advance(complaint, "decision_communicated", by=handler)

    response = as_handler.get(f"/complaints/{complaint.reference}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["reference"] == complaint.reference
    assert body["state"] == "decision_communicated"
    assert [(m["direction"], m["author"]) for m in body["messages"]] == [
        ("note", "hans"),
        ("out", "hans"),
    ]
    assert body["remedies"] == [
        {
            "id": body["remedies"][0]["id"],
            "kind": "refund",
            "description": "",
            "amount": "4.90",
            "currency": "EUR",
            "proposed_at": body["remedies"][0]["proposed_at"],
            "proposal": 1,
            "superseded_at": None,
        }
    ]
    assert body["earlier_remedies"] == []
    assert body["attachments"] == []
    assert body["complainant"]["email"] == "mari@example.org"
    assert set(body["allowed_steps"]) == {
        "accept_decision",
        "decline_decision",
        "close",
        "withdraw",
        "record_remedy_delivered",
        "refer_external",
    }


def test_detail_by_id_also_works_and_auditors_get_no_next_steps(as_auditor):
    complaint = make_complaint()[0]
    response = as_auditor.get(f"/complaints/{complaint.pk}")
    assert response.status_code == 200
    assert response.json()["allowed_steps"] == []


@pytest.mark.parametrize("reference", ["C-2026-999999", "999999", "x" * 300, "%00", "..%2F.."])
def test_detail_of_an_unknown_complaint_is_a_404_problem(as_handler, reference):
    make_complaint()
    assert_problem(as_handler.get(f"/complaints/{reference}"), 404, "not_found")


# --- lifecycle steps ---------------------------------------------------------------------------


def test_the_whole_lifecycle_through_the_api(as_handler, handler):
    created = as_handler.post("/complaints", {**NEW, "channel": "letter", "consent": False}).json()
    ref = created["reference"]
    complaint = Complaint.objects.get(pk=created["id"])
    team = Team.objects.create(name="Logistics")
    CategoryFactory(code="delivery")

    def step(name: str, body: dict | None = None, state: str | None = None) -> dict:
        response = as_handler.post(f"/complaints/{ref}/steps/{name}", body or {})
        assert response.status_code == 200, (name, response.content)
        data = response.json()
        complaint.refresh_from_db()
        assert complaint.state == data["state"]
        if state:
            assert complaint.state == state
        assert name in actions(complaint)[-2:]  # a step may be followed by its message
        return data

    step("acknowledge", state="acknowledged")
    assert mails() == 1  # the acknowledgement with the new tracking link
    data = step(
        "assess",
        {
            "severity": "high",
            "priority": "urgent",
            "category": "delivery",
            "safety_issue": True,
            "assignee_id": handler.pk,
            "team_id": team.pk,
        },
        state="assessed",
    )
    assert (data["severity"], data["priority"], data["category"]) == ("high", "urgent", "delivery")
    assert (data["assignee_id"], data["team_id"], data["safety_issue"]) == (
        handler.pk,
        team.pk,
        True,
    )
    step("start_investigation", state="investigating")
    data = step("record_findings", {"findings": "Courier dropped it.", "root_cause": "Packing"})
    assert data["findings"] == "Courier dropped it." and data["state"] == "investigating"
    data = step(
        "propose_response",
        {
            "decision": "We refund the delivery and apologise.",
            "remedies": [
                {"kind": "refund", "amount": "4.90", "currency": "eur"},
                {"kind": "apology", "description": "A letter"},
            ],
        },
        state="response_proposed",
    )
    assert [(r["kind"], r["amount"], r["currency"]) for r in data["remedies"]] == [
        ("refund", "4.90", "EUR"),
        ("apology", None, ""),
    ]
    assert complaint.remedies.get(kind="refund").amount == Decimal("4.90")
    step("communicate_decision", state="decision_communicated")
    assert mails() == 2  # the decision mail
    step("accept_decision", {"comment": "Thank you."}, state="accepted")
    data = step("close", {"reason": "accepted"}, state="closed")
    assert data["closure_reason"] == "accepted"
    assert data["allowed_steps"] == ["reopen"]  # only staff, only with a reason
    assert [m["direction"] for m in data["messages"]] == ["out", "in"]


@pytest.mark.parametrize(
    ("name", "start", "body", "state"),
    [
        ("reject_out_of_scope", "acknowledged", {"reason": "We do not sell this."}, "out_of_scope"),
        ("decline_decision", "decision_communicated", {"reason": "Too little."}, "internal_review"),
        ("withdraw", "acknowledged", {"comment": "Sorted out."}, "closed"),
        ("refer_external", "decision_communicated", {"note": "To the board."}, "referred_external"),
    ],
)
def test_steps_that_end_or_divert_the_case(as_handler, handler, name, start, body, state):
    complaint = advance(make_complaint()[0], start, by=handler)
    before_mails = mails()
    response = as_handler.post(f"/complaints/{complaint.reference}/steps/{name}", body)
    assert response.status_code == 200, response.content
    complaint.refresh_from_db()
    assert complaint.state == state == response.json()["state"]
    assert name in actions(complaint)[-2:]
    notifies = name in {"reject_out_of_scope", "refer_external"}
    assert mails() == before_mails + (1 if notifies else 0)


def test_an_illegal_step_is_a_409_with_the_reason_and_changes_nothing(as_handler):
    complaint = make_complaint()[0]  # acknowledged
    events = actions(complaint)
    response = as_handler.post(f"/complaints/{complaint.reference}/steps/communicate_decision", {})
    body = assert_problem(response, 409, "invalid_transition")
    assert "Acknowledged" in body["detail"]
    complaint.refresh_from_db()
    assert complaint.state == "acknowledged"
    assert actions(complaint) == events


def test_closing_for_no_answer_too_early_is_refused(as_handler, handler):
    complaint = advance(make_complaint()[0], "decision_communicated", by=handler)
    body = assert_problem(
        as_handler.post(f"/complaints/{complaint.reference}/steps/close", {"reason": "no_answer"}),
        409,
        "invalid_transition",
    )
    assert re.fullmatch(
        r"The complainant has (\d+) days to answer\. \1 days remain\.", body["detail"]
    )


def test_expected_version_guards_against_lost_updates(as_handler, handler):
    complaint = make_complaint()[0]
    version = as_handler.get(f"/complaints/{complaint.reference}").json()["version"]
    # Someone else assesses the case in the meantime.
    first = as_handler.post(
        f"/complaints/{complaint.reference}/steps/assess",
        {"severity": "low", "expected_version": version},
    )
    assert first.status_code == 200
    assert first.json()["version"] == version + 1
    stale = as_handler.post(
        f"/complaints/{complaint.reference}/steps/start_investigation",
        {"expected_version": version},
    )
    body = assert_problem(stale, 409, "conflict")
    assert "version" in body["errors"]
    complaint.refresh_from_db()
    assert complaint.state == "assessed" and complaint.version == version + 1
    fresh = as_handler.post(
        f"/complaints/{complaint.reference}/steps/start_investigation",
        {"expected_version": version + 1},
    )
    assert fresh.status_code == 200 and fresh.json()["state"] == "investigating"


@pytest.mark.parametrize(
    ("name", "body", "field"),
    [
        ("assess", {"severity": "apocalyptic"}, "severity"),
        ("assess", {"severity": "low", "assignee_id": "me"}, "assignee_id"),
        ("assess", {"severity": "low", "expected_version": 0}, "expected_version"),
        ("assess", {"severity": "low", "expected_version": 10**30}, "expected_version"),
        ("reject_out_of_scope", {}, "reason"),
        ("reject_out_of_scope", {"reason": 5}, "reason"),
        ("close", {"reason": "withdrawn"}, "reason"),
        ("withdraw", {"comment": "x" * 20001}, "comment"),
    ],
)
def test_step_input_is_checked_against_its_schema(as_handler, name, body, field):
    complaint = make_complaint()[0]
    response = as_handler.post(f"/complaints/{complaint.reference}/steps/{name}", body)
    problem = assert_problem(response, 422, "validation_failed")
    assert field in problem["errors"], problem["errors"]
    complaint.refresh_from_db()
    assert complaint.state == "acknowledged"


@pytest.mark.parametrize(
    ("remedy", "field"),
    [
        ({"kind": "refund", "amount": "-1", "currency": "EUR"}, "remedies.0.amount"),
        ({"kind": "refund", "amount": "1.234", "currency": "EUR"}, "remedies.0.amount"),
        ({"kind": "refund", "amount": "abc", "currency": "EUR"}, "remedies.0.amount"),
        ({"kind": "refund", "amount": "1e20", "currency": "EUR"}, "remedies.0.amount"),
        ({"kind": "refund", "amount": "5", "currency": "EURO"}, "remedies.0.currency"),
        ({"kind": "cake"}, "remedies.0.kind"),
        ({"kind": "refund"}, "remedies"),  # the service: a refund needs an amount and currency
    ],
)
def test_remedies_are_validated(as_handler, handler, remedy, field):
    complaint = advance(make_complaint()[0], "investigating", by=handler)
    response = as_handler.post(
        f"/complaints/{complaint.reference}/steps/propose_response",
        {"decision": "We refund.", "remedies": [remedy]},
    )
    problem = assert_problem(response, 422, "validation_failed")
    assert field in problem["errors"], problem["errors"]
    assert complaint.remedies.count() == 0


def test_an_unknown_step_is_a_404(as_handler):
    complaint = make_complaint()[0]
    assert_problem(
        as_handler.post(f"/complaints/{complaint.reference}/steps/escalate", {}), 404, "not_found"
    )


# --- assign and messages ---------------------------------------------------------------------


def test_assign_gives_the_case_to_a_person_and_team(as_handler, other_handler):
    complaint = make_complaint()[0]
    team = Team.objects.create(name="Care")
    response = as_handler.post(
        f"/complaints/{complaint.reference}/assign",
        {"assignee_id": other_handler.pk, "team_id": team.pk},
    )
    assert response.status_code == 200, response.content
    complaint.refresh_from_db()
    assert (complaint.assignee, complaint.team) == (other_handler, team)
    assert actions(complaint)[-1] == "assigned"


def test_assign_refuses_a_non_working_user_and_a_stale_version(as_handler, auditor):
    complaint = make_complaint()[0]
    body = assert_problem(
        as_handler.post(f"/complaints/{complaint.reference}/assign", {"assignee_id": auditor.pk}),
        422,
        "validation_failed",
    )
    assert "assignee" in body["errors"]
    assert_problem(
        as_handler.post(
            f"/complaints/{complaint.reference}/assign",
            {"assignee_id": None, "expected_version": complaint.version + 5},
        ),
        409,
        "conflict",
    )
    complaint.refresh_from_db()
    assert complaint.assignee is None
    assert "assigned" not in actions(complaint)


def test_a_message_to_the_complainant_is_mailed_and_a_note_is_not(as_handler, handler):
    complaint = make_complaint()[0]
    start = mails()
    out = as_handler.post(f"/complaints/{complaint.reference}/messages", {"body": "We are on it."})
    assert out.status_code == 201, out.content
    assert out.json()["direction"] == "out" and out.json()["author"] == "hans"
    assert mails() == start + 1
    note = as_handler.post(
        f"/complaints/{complaint.reference}/messages", {"body": "Call them.", "internal": True}
    )
    assert note.status_code == 201 and note.json()["direction"] == "note"
    assert mails() == start + 1
    assert list(complaint.messages.order_by("id").values_list("direction", flat=True)) == [
        "out",
        "note",
    ]
    assert actions(complaint)[-2:] == ["message_out", "message_note"]


def test_a_retried_message_under_its_key_is_written_and_mailed_once(as_handler):
    complaint = make_complaint()[0]
    start, key = mails(), str(uuid.uuid4())
    path = f"/complaints/{complaint.reference}/messages"
    first = as_handler.post(path, {"body": "We are on it."}, **{"Idempotency-Key": key})
    retry = as_handler.post(path, {"body": "We are on it."}, **{"Idempotency-Key": key})

    assert first.status_code == 201 and retry.status_code == 200, retry.content
    assert retry.json() == first.json()
    assert complaint.messages.count() == 1 and mails() == start + 1
    # the key belongs to this case's messages: another body under it is refused
    other = as_handler.post(path, {"body": "Something else"}, **{"Idempotency-Key": key})
    assert "Idempotency-Key" in assert_problem(other, 422, "idempotency_mismatch")["errors"]
    # and on another case the same key writes that case's message
    elsewhere = make_complaint()[0]
    start = mails()
    again = as_handler.post(
        f"/complaints/{elsewhere.reference}/messages",
        {"body": "We are on it."},
        **{"Idempotency-Key": key},
    )
    assert again.status_code == 201 and again.json()["id"] != first.json()["id"]
    assert mails() == start + 1


def test_a_message_on_a_finished_case_is_refused_but_a_note_is_not(as_handler, handler):
    complaint = advance(make_complaint()[0], "closed", by=handler)
    assert_problem(
        as_handler.post(f"/complaints/{complaint.reference}/messages", {"body": "Hello"}),
        409,
        "invalid_transition",
    )
    note = as_handler.post(
        f"/complaints/{complaint.reference}/messages", {"body": "For the file", "internal": True}
    )
    assert note.status_code == 201


# --- permissions: each role by each endpoint ---------------------------------------------------

# endpoint → (method, path with {ref}, body, state the complaint must be in, success status)
ENDPOINTS = {
    "create": ("POST", "/complaints", NEW, None, 201),
    "list": ("GET", "/complaints", None, None, 200),
    "detail": ("GET", "/complaints/{ref}", None, "acknowledged", 200),
    "assign": ("POST", "/complaints/{ref}/assign", {"assignee_id": None}, "acknowledged", 200),
    "message": ("POST", "/complaints/{ref}/messages", {"body": "Hi"}, "acknowledged", 201),
    "acknowledge": ("POST", "/complaints/{ref}/steps/acknowledge", {}, "received", 200),
    "assess": ("POST", "/complaints/{ref}/steps/assess", {"severity": "low"}, "acknowledged", 200),
    "reject_out_of_scope": (
        "POST",
        "/complaints/{ref}/steps/reject_out_of_scope",
        {"reason": "Not ours."},
        "acknowledged",
        200,
    ),
    "start_investigation": (
        "POST",
        "/complaints/{ref}/steps/start_investigation",
        {},
        "assessed",
        200,
    ),
    "record_findings": (
        "POST",
        "/complaints/{ref}/steps/record_findings",
        {"findings": "Found it."},
        "investigating",
        200,
    ),
    "propose_response": (
        "POST",
        "/complaints/{ref}/steps/propose_response",
        {"decision": "Sorry.", "remedies": [{"kind": "apology"}]},
        "investigating",
        200,
    ),
    "communicate_decision": (
        "POST",
        "/complaints/{ref}/steps/communicate_decision",
        {},
        "response_proposed",
        200,
    ),
    "accept_decision": (
        "POST",
        "/complaints/{ref}/steps/accept_decision",
        {},
        "decision_communicated",
        200,
    ),
    "decline_decision": (
        "POST",
        "/complaints/{ref}/steps/decline_decision",
        {"reason": "No."},
        "decision_communicated",
        200,
    ),
    "close": ("POST", "/complaints/{ref}/steps/close", {"reason": "accepted"}, "accepted", 200),
    "withdraw": ("POST", "/complaints/{ref}/steps/withdraw", {}, "acknowledged", 200),
    "refer_external": (
        "POST",
        "/complaints/{ref}/steps/refer_external",
        {},
        "decision_communicated",
        200,
    ),
    "request_information": (
        "POST",
        "/complaints/{ref}/steps/request_information",
        {"reason": "Your order number?"},
        "acknowledged",
        200,
    ),
    # only a case waiting on the complainant resumes (tests/promises covers that path)
    "resume": ("POST", "/complaints/{ref}/steps/resume", {}, "acknowledged", 409),
    "record_remedy_delivered": (
        "POST",
        "/complaints/{ref}/steps/record_remedy_delivered",
        {},
        "decision_communicated",
        200,
    ),
    # only a referred case records a dispute outcome (test_record_dispute_outcome_step covers it)
    "record_dispute_outcome": (
        "POST",
        "/complaints/{ref}/steps/record_dispute_outcome",
        {"provider": "ADR", "outcome": "settled", "closed_on": "2020-01-01", "binding": True},
        "decision_communicated",
        409,
    ),
    "reopen": ("POST", "/complaints/{ref}/steps/reopen", {"reason": "Asked again."}, "closed", 200),
}
assert {e for e in ENDPOINTS if e in Step.values} == set(Step.values)

PRINCIPALS = ["admin", "manager", "handler", "auditor", "no_token", "revoked_token"]


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
@pytest.mark.parametrize("principal", PRINCIPALS)
def test_permission_matrix(personas, other_handler, endpoint, principal):
    method, path, body, state, ok = ENDPOINTS[endpoint]
    complaint = None
    if state == "received":
        complaint = make_complaint(channel="phone", actor=Actor.staff(other_handler))[0]
    elif state:
        complaint = advance(make_complaint()[0], state, by=other_handler)
    path = path.format(ref=complaint.reference if complaint else "")

    if principal == "no_token":
        client = ApiClient(None)
    elif principal == "revoked_token":
        token, secret = api_token_create(user=personas["handler"], name="old")
        api_token_revoke(token_id=token.pk, actor=Actor.system())
        client = ApiClient(None, secret=secret)
    else:
        client = ApiClient(personas[principal])
    before = (Complaint.objects.count(), AuditEvent.objects.count(), Message.objects.count())
    response = client.get(path) if method == "GET" else client.post(path, body)

    if principal in {"no_token", "revoked_token"}:
        assert_problem(response, 401, "unauthenticated")
    elif principal == "auditor" and method == "POST":
        assert_problem(response, 403, "not_allowed")
    else:
        assert response.status_code == ok, response.content
    changed = before != (
        Complaint.objects.count(),
        AuditEvent.objects.count(),
        Message.objects.count(),
    )
    assert changed == (response.status_code in {200, 201} and method == "POST")


# --- bad input never yields a 500 ---------------------------------------------------------------

GARBAGE = [
    b"",
    b"null",
    b"[]",
    b"123",
    b'"a string"',
    b"{bad json",
    b"\xff\xfe\x00garbage",
    b'{"name": 5, "description": ["x"], "consent": "maybe"}',
    b'{"name": {"first": "A"}, "description": "x", "email": 7}',
    b'{"name": "A", "description": "x", "received_at": "yesterday"}',
    b'{"name": "A", "description": "' + b"x" * 30000 + b'"}',
    b'{"name": "' + b"n" * 5000 + b'", "description": "x"}',
    b'{"name": "A\\u0000B", "description": "x", "email": "a@example.org", "consent": true}',
    b'{"name": "A", "description": "x", "language": "klingon", "email": "a@example.org", "consent": true}',
    b'{"name": "A", "description": "x", "preferred_channel": "pigeon"}',
    b"[" * 5000 + b"]" * 5000,
]


@pytest.mark.parametrize("raw", GARBAGE, ids=range(len(GARBAGE)))
def test_garbage_bodies_get_a_problem_not_a_500(as_handler, raw):
    response = as_handler.post("/complaints", raw=raw)
    assert 400 <= response.status_code < 500, response.content[:300]
    body = assert_problem(response, response.status_code, json.loads(response.content)["code"])
    assert body["code"] in {"validation_failed"}
    assert Complaint.objects.count() == 0


def test_a_body_over_the_upload_limit_is_a_413_problem(as_handler):
    raw = json.dumps({**NEW, "description": "x" * (3 * 1024 * 1024)})
    assert_problem(as_handler.post("/complaints", raw=raw), 413, "validation_failed")


def test_a_body_that_is_not_json_is_refused(as_handler):
    response = as_handler.post("/complaints", raw="name=A", content_type="text/plain")
    assert 400 <= response.status_code < 500
    assert response["Content-Type"].startswith("application/problem+json")


def test_garbage_step_bodies_get_a_problem_not_a_500(as_handler):
    complaint = make_complaint()[0]
    for raw in GARBAGE[:10]:
        for step in Step.values:
            response = as_handler.post(f"/complaints/{complaint.reference}/steps/{step}", raw=raw)
            assert response.status_code < 500, (step, raw[:40], response.content[:300])
            assert response["Content-Type"].startswith("application/problem+json") or (
                response.status_code == 200
            )


def test_unknown_paths_and_methods_are_problems(as_handler):
    complaint = make_complaint()[0]
    assert_problem(as_handler.get("/no-such-thing"), 404, "not_found")
    assert_problem(as_handler.request("DELETE", "/complaints"), 405, "error")
    response = as_handler.request("PUT", f"/complaints/{complaint.reference}")
    assert_problem(response, 405, "error")
    assert response["Allow"] == "GET"
    assert_problem(
        as_handler.request("GET", f"/complaints/{complaint.reference}/steps/assess"), 405, "error"
    )


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=10,
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    body=st.fixed_dictionaries(
        {},
        optional={
            name: _json_values
            for name in (
                "name",
                "email",
                "phone",
                "description",
                "consent",
                "channel",
                "received_at",
                "category",
                "language",
                "preferred_channel",
            )
        },
    )
)
def test_any_json_object_gets_a_created_complaint_or_a_problem(as_handler, body):
    response = as_handler.post("/complaints", body)
    if response.status_code != 201:
        assert_problem(response, 422, "validation_failed")


# --- external dispute outcome (ISO 10003) ---------------------------------------------------


def test_record_dispute_outcome_step(as_handler, handler):
    complaint = advance(make_complaint()[0], "decision_communicated", by=handler)
    as_handler.post(f"/complaints/{complaint.reference}/steps/refer_external", {})
    body = {
        "provider": "Consumer Disputes Committee",
        "outcome": "resolved_in_favour_of_organisation",
        "closed_on": office_today().isoformat(),
        "binding": False,
    }
    response = as_handler.post(
        f"/complaints/{complaint.reference}/steps/record_dispute_outcome", body
    )
    assert response.status_code == 200, response.content
    data = json.loads(response.content)
    assert data["state"] == "referred_external"
    assert data["dispute_outcome"] == "resolved_in_favour_of_organisation"
    assert data["dispute_binding"] is False
    assert "record_dispute_outcome" not in data["allowed_steps"]
    again = as_handler.post(f"/complaints/{complaint.reference}/steps/record_dispute_outcome", body)
    assert_problem(again, 409, "invalid_transition")


def test_record_dispute_outcome_validates_its_input(as_handler, handler):
    complaint = advance(make_complaint()[0], "decision_communicated", by=handler)
    as_handler.post(f"/complaints/{complaint.reference}/steps/refer_external", {})
    url = f"/complaints/{complaint.reference}/steps/record_dispute_outcome"
    good = {
        "provider": "ADR",
        "outcome": "settled",
        "closed_on": office_today().isoformat(),
        "binding": True,
    }
    assert_problem(as_handler.post(url, {**good, "outcome": "won"}), 422, "validation_failed")
    future = (office_today() + dt.timedelta(days=3)).isoformat()
    problem = assert_problem(
        as_handler.post(url, {**good, "closed_on": future}), 422, "validation_failed"
    )
    assert "closed_on" in json.dumps(problem)
    complaint.refresh_from_db()
    assert complaint.dispute_outcome == ""


def test_detail_lists_the_latest_proposal_as_the_remedies_and_earlier_ones_apart(
    as_handler, handler, other_handler
):
    complaint = propose_again(make_complaint()[0], decider=handler, reviewer=other_handler)
    body = as_handler.get(f"/complaints/{complaint.reference}").json()
    assert [
        (r["kind"], r["amount"], r["proposal"], r["superseded_at"]) for r in body["remedies"]
    ] == [
        ("refund", "39.90", 2, None),
        ("apology", None, 2, None),
    ]
    [earlier] = body["earlier_remedies"]
    assert (earlier["kind"], earlier["amount"], earlier["proposal"]) == ("refund", "4.90", 1)
    assert earlier["superseded_at"] == body["remedies"][0]["proposed_at"]
