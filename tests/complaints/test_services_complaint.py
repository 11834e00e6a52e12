"""The complaint lifecycle through its services: every step, every refusal, and the evidence left behind."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from plaint.complaints import services as s
from plaint.complaints.models import Complaint, Message
from plaint.complaints.states import TRANSITIONS, State, Step, allowed_steps
from plaint.core.actors import Actor
from plaint.core.errors import Conflict, InvalidTransition, NotAllowed, ValidationFailed
from plaint.core.models import AuditEvent, OutboundEmail
from tests.factories import CategoryFactory, advance, make_complaint


def actions(complaint) -> list[str]:
    return list(
        AuditEvent.objects.filter(case_type="complaint", case_id=complaint.pk)
        .order_by("seq")
        .values_list("action", flat=True)
    )


def jobs_for(kind: str) -> int:
    return OutboundEmail.objects.filter(kind=kind).count()


# --- receipt and acknowledgement -----------------------------------------------------------------


def test_web_complaint_gets_reference_token_due_dates_and_an_acknowledgement(db):
    complaint, token = make_complaint(language="et")
    assert re.fullmatch(rf"C-{complaint.received_at.year}-\d{{6,}}", complaint.reference)
    assert complaint.state == State.ACKNOWLEDGED
    assert len(token) >= 40 and complaint.tracking_digest == s.tracking_digest(token)
    assert token not in complaint.tracking_digest
    assert complaint.received_at < complaint.acknowledgement_due_at < complaint.response_due_at
    assert actions(complaint) == ["received", "acknowledge"]
    mail = OutboundEmail.objects.get(complaint=complaint)
    assert mail.kind == "acknowledgement" and mail.to == "mari@example.org"
    assert mail.subject == "" and s.tracking_url(token) in mail.body  # the worker renders it
    assert mail.status == OutboundEmail.Status.PENDING and mail.next_attempt_at <= timezone.now()
    assert not DBTaskResult.objects.exists(), "the outbox row is the job: no second queue"


def test_phone_complaint_waits_for_a_staff_acknowledgement(handler):
    complaint, _ = make_complaint(channel="phone", actor=Actor.staff(handler))
    assert complaint.state == State.RECEIVED
    assert OutboundEmail.objects.count() == 0
    complaint = s.complaint_acknowledge(complaint_id=complaint.pk, actor=Actor.staff(handler))
    assert complaint.state == State.ACKNOWLEDGED and complaint.acknowledged_at is not None
    assert jobs_for("acknowledgement") == 1
    assert actions(complaint) == ["received", "acknowledge"]


def test_a_staff_acknowledgement_keeps_its_tracking_link_only_until_it_is_sent(handler, run_jobs):
    from django.core import mail as sent_mail

    from plaint.complaints.selectors import complaint_get_by_token

    complaint, given = make_complaint(channel="phone", actor=Actor.staff(handler))
    s.complaint_acknowledge(complaint_id=complaint.pk, actor=Actor.staff(handler))
    outbox = OutboundEmail.objects.get(complaint=complaint, kind="acknowledgement")
    assert "/track/" in outbox.body and outbox.subject == ""  # rendered by the worker
    assert run_jobs() == 1
    [message] = sent_mail.outbox
    link = next(w for w in message.body.split() if "/track/" in w)
    mailed = link.rstrip("/").rsplit("/", 1)[1]
    # The mail carries a link of its own; the one staff gave when logging the case still works.
    assert mailed != given
    assert complaint_get_by_token(token=mailed) == complaint_get_by_token(token=given) == complaint
    outbox.refresh_from_db()
    assert complaint.reference in outbox.subject and "/track/" not in outbox.body


def test_public_cannot_file_a_phone_complaint(db):
    with pytest.raises(NotAllowed):
        make_complaint(channel="phone")


def test_auditor_cannot_log_a_complaint(auditor):
    with pytest.raises(NotAllowed):
        make_complaint(channel="letter", actor=Actor.staff(auditor))


@pytest.mark.parametrize(
    ("fields", "bad"),
    [
        ({"name": ""}, "name"),
        ({"description": "   "}, "description"),
        ({"email": "not-an-address"}, "email"),
        ({"email": "", "phone": ""}, "email"),
        ({"phone": "call me maybe"}, "phone"),
        ({"language": "xx"}, "language"),
        ({"consent": False}, "consent"),
        ({"category": "no-such-category"}, "category"),
        ({"preferred_channel": "phone", "phone": ""}, "phone"),
        ({"subject": "x" * 201}, "subject"),
    ],
)
def test_bad_input_is_refused_field_by_field_and_nothing_is_saved(db, fields, bad):
    with pytest.raises(ValidationFailed) as err:
        make_complaint(**fields)
    assert bad in err.value.fields
    assert Complaint.objects.count() == 0 and OutboundEmail.objects.count() == 0


def test_without_email_there_is_no_mail_and_the_case_waits_for_acknowledgement(db):
    complaint, _ = make_complaint(email="", phone="+372 5555 1234", preferred_channel="phone")
    assert complaint.state == State.RECEIVED
    assert OutboundEmail.objects.count() == 0


# --- the whole lifecycle ------------------------------------------------------------------------


def test_full_lifecycle_to_closed_records_every_step(handler, run_jobs):
    complaint, _ = make_complaint()
    staff = Actor.staff(handler)
    cat = CategoryFactory(code="delivery")
    complaint = s.complaint_assess(
        complaint_id=complaint.pk,
        actor=staff,
        severity="high",
        priority="urgent",
        category=cat.code,
        safety_issue=True,
        assignee_id=handler.pk,
    )
    assert (complaint.severity, complaint.priority, complaint.category, complaint.safety_issue) == (
        "high",
        "urgent",
        cat,
        True,
    )
    s.complaint_start_investigation(complaint_id=complaint.pk, actor=staff)
    s.complaint_record_findings(
        complaint_id=complaint.pk,
        actor=staff,
        findings="Courier lost the parcel.",
        root_cause="No tracking.",
    )
    s.complaint_propose_response(
        complaint_id=complaint.pk,
        actor=staff,
        decision="We refund the parcel and apologise.",
        remedies=[
            s.RemedyInput("apology"),
            s.RemedyInput("refund", amount=Decimal("39.90"), currency="eur"),
        ],
    )
    complaint = s.complaint_communicate_decision(complaint_id=complaint.pk, actor=staff)
    assert complaint.decided_by == handler and complaint.decision_at is not None
    assert jobs_for("decision") == 1
    run_jobs()  # the worker renders the mail
    assert "€39.90" in OutboundEmail.objects.get(kind="decision").body
    s.complaint_accept_decision(
        complaint_id=complaint.pk, actor=Actor.complainant(), comment="Thanks"
    )
    complaint = s.complaint_close(complaint_id=complaint.pk, actor=staff, reason="accepted")
    assert complaint.state == State.CLOSED and complaint.closure_reason == "accepted"
    assert actions(complaint) == [
        "received",
        "acknowledge",
        "assess",
        "start_investigation",
        "record_findings",
        "propose_response",
        "communicate_decision",
        "message_out",
        "accept_decision",
        "message_in",
        "close",
    ]
    assert complaint.remedies.count() == 2


def test_out_of_scope_ends_the_case_and_tells_the_complainant_why(handler):
    complaint, _ = make_complaint()
    complaint = s.complaint_reject_out_of_scope(
        complaint_id=complaint.pk,
        actor=Actor.staff(handler),
        reason="This concerns another company.",
    )
    assert complaint.state == State.OUT_OF_SCOPE and complaint.closed_at is not None
    mail = OutboundEmail.objects.get(kind="out_of_scope")
    assert "another company" in mail.body
    assert Message.objects.get(complaint=complaint).direction == Message.Direction.OUTBOUND


def test_out_of_scope_needs_a_reason(handler):
    complaint, _ = make_complaint()
    with pytest.raises(ValidationFailed) as err:
        s.complaint_reject_out_of_scope(
            complaint_id=complaint.pk, actor=Actor.staff(handler), reason=" "
        )
    assert "reason" in err.value.fields


def test_not_satisfied_goes_to_internal_review_by_someone_else(handler, other_handler):
    complaint, _ = make_complaint()
    complaint = advance(complaint, "decision_communicated", by=handler)
    complaint = s.complaint_decline_decision(
        complaint_id=complaint.pk, actor=Actor.complainant(), reason="The refund is too small."
    )
    assert complaint.state == State.INTERNAL_REVIEW
    assert complaint.assignee is None  # the decider no longer owns it
    with pytest.raises(NotAllowed):
        s.complaint_propose_response(
            complaint_id=complaint.pk,
            actor=Actor.staff(handler),
            decision="Same again",
            remedies=[],
        )
    with pytest.raises(NotAllowed):
        s.complaint_assign(
            complaint_id=complaint.pk, actor=Actor.staff(handler), assignee_id=handler.pk
        )
    s.complaint_assign(
        complaint_id=complaint.pk, actor=Actor.staff(handler), assignee_id=other_handler.pk
    )
    complaint = s.complaint_propose_response(
        complaint_id=complaint.pk,
        actor=Actor.staff(other_handler),
        decision="On review we double the refund.",
        remedies=[s.RemedyInput("refund", amount=Decimal("9.80"), currency="EUR")],
    )
    assert complaint.state == State.RESPONSE_PROPOSED
    # the review's proposal is the one offered; the first stays on record, superseded
    assert [r.amount for r in complaint.remedies.current()] == [Decimal("9.80")]
    assert [r.amount for r in complaint.remedies.superseded()] == [Decimal("4.90")]


def test_internal_review_can_end_in_external_dispute_resolution(handler):
    complaint, _ = make_complaint()
    complaint = advance(complaint, "decision_communicated", by=handler)
    s.complaint_decline_decision(complaint_id=complaint.pk, actor=Actor.complainant(), reason="No.")
    complaint = s.complaint_refer_external(
        complaint_id=complaint.pk, actor=Actor.staff(handler), note="ADR"
    )
    assert complaint.state == State.REFERRED_EXTERNAL
    assert jobs_for("referred_external") == 1


def test_close_for_no_answer_only_after_the_configured_days(handler):
    complaint, _ = make_complaint()
    complaint = advance(complaint, "decision_communicated", by=handler)
    with pytest.raises(InvalidTransition, match="14 days"):
        s.complaint_close(complaint_id=complaint.pk, actor=Actor.staff(handler), reason="no_answer")
    with time_machine.travel(complaint.decision_at + dt.timedelta(days=14, minutes=1)):
        complaint = s.complaint_close(
            complaint_id=complaint.pk, actor=Actor.staff(handler), reason="no_answer"
        )
    assert complaint.state == State.CLOSED and complaint.closure_reason == "no_answer"


def test_complainant_may_withdraw_an_open_case(db):
    complaint, _ = make_complaint()
    complaint = s.complaint_withdraw(
        complaint_id=complaint.pk, actor=Actor.complainant(), comment="Sorted."
    )
    assert complaint.state == State.CLOSED and complaint.closure_reason == "withdrawn"
    with pytest.raises(InvalidTransition):
        s.complaint_withdraw(complaint_id=complaint.pk, actor=Actor.complainant())


# --- refusals -----------------------------------------------------------------------------------


ALL_STATES_REACHABLE = [
    "acknowledged",
    "assessed",
    "investigating",
    "response_proposed",
    "decision_communicated",
    "accepted",
    "closed",
]


@pytest.mark.parametrize("state", ALL_STATES_REACHABLE)
def test_every_step_not_in_the_table_is_refused_with_a_reason(handler, state):
    complaint, _ = make_complaint()
    complaint = advance(complaint, state, by=handler)
    staff = Actor.staff(handler)
    allowed = set(allowed_steps(state, "staff"))
    calls = {
        Step.ACKNOWLEDGE: dict(),
        Step.ASSESS: dict(severity="low"),
        Step.REJECT_OUT_OF_SCOPE: dict(reason="x"),
        Step.START_INVESTIGATION: dict(),
        Step.RECORD_FINDINGS: dict(findings="x"),
        Step.PROPOSE_RESPONSE: dict(decision="x", remedies=[]),
        Step.COMMUNICATE_DECISION: dict(),
        Step.ACCEPT_DECISION: dict(),
        Step.DECLINE_DECISION: dict(reason="x"),
        Step.CLOSE: dict(reason="accepted"),
        Step.WITHDRAW: dict(),
        Step.REFER_EXTERNAL: dict(),
    }
    for step, kwargs in calls.items():
        if step in allowed:
            continue
        before = actions(complaint)
        with pytest.raises(InvalidTransition) as err:
            s.STEP_SERVICES[step](complaint_id=complaint.pk, actor=staff, **kwargs)
        assert "not possible" in err.value.message or err.value.message
        assert actions(complaint) == before  # a refused step leaves no trace


def test_close_before_a_decision_is_refused(handler):
    complaint, _ = make_complaint()
    with pytest.raises(InvalidTransition, match="not possible"):
        s.complaint_close(complaint_id=complaint.pk, actor=Actor.staff(handler), reason="accepted")


def test_auditor_may_not_take_any_step(auditor):
    complaint, _ = make_complaint()
    with pytest.raises(NotAllowed):
        s.complaint_assess(complaint_id=complaint.pk, actor=Actor.staff(auditor), severity="low")
    with pytest.raises(NotAllowed):
        s.message_post(complaint_id=complaint.pk, actor=Actor.staff(auditor), body="hello")


def test_complainant_may_not_take_staff_steps(db):
    complaint, _ = make_complaint()
    with pytest.raises(NotAllowed):
        s.complaint_assess(complaint_id=complaint.pk, actor=Actor.complainant(), severity="low")
    with pytest.raises(NotAllowed):
        s.message_post(
            complaint_id=complaint.pk, actor=Actor.complainant(), body="x", internal=True
        )


def test_stale_version_is_refused_instead_of_overwriting(handler, other_handler):
    complaint, _ = make_complaint()
    seen = complaint.version
    s.complaint_assess(
        complaint_id=complaint.pk,
        actor=Actor.staff(other_handler),
        severity="low",
        expected_version=seen,
    )
    with pytest.raises(Conflict):
        s.complaint_assess(
            complaint_id=complaint.pk,
            actor=Actor.staff(handler),
            severity="high",
            expected_version=seen,
        )
    complaint.refresh_from_db()
    assert complaint.severity == "low"


def test_money_remedy_needs_amount_and_currency(handler):
    complaint, _ = make_complaint()
    complaint = advance(complaint, "investigating", by=handler)
    with pytest.raises(ValidationFailed) as err:
        s.complaint_propose_response(
            complaint_id=complaint.pk,
            actor=Actor.staff(handler),
            decision="Refund",
            remedies=[s.RemedyInput("refund")],
        )
    assert "remedies" in err.value.fields


# --- messages -----------------------------------------------------------------------------------


def test_messages_and_internal_notes(handler):
    complaint, _ = make_complaint()
    staff = Actor.staff(handler)
    s.message_post(
        complaint_id=complaint.pk, actor=Actor.complainant(), body="Here is my order number 123."
    )
    s.message_post(complaint_id=complaint.pk, actor=staff, body="Courier says lost.", internal=True)
    s.message_post(complaint_id=complaint.pk, actor=staff, body="We are looking into it.")
    directions = list(
        Message.objects.filter(complaint=complaint).values_list("direction", flat=True)
    )
    assert directions == ["in", "note", "out"]
    assert jobs_for("message") == 1  # only the outbound message is mailed
    assert actions(complaint)[-3:] == ["message_in", "message_note", "message_out"]


def test_messages_to_a_finished_case_are_refused_but_notes_are_kept(handler):
    complaint, _ = make_complaint()
    s.complaint_withdraw(complaint_id=complaint.pk, actor=Actor.complainant())
    with pytest.raises(InvalidTransition):
        s.message_post(complaint_id=complaint.pk, actor=Actor.complainant(), body="one more thing")
    s.message_post(
        complaint_id=complaint.pk, actor=Actor.staff(handler), body="note", internal=True
    )


def test_transition_table_covers_every_step_and_reaches_every_state():
    assert set(TRANSITIONS) == set(Step)
    targets = {t.target for t in TRANSITIONS.values() if t.target}
    assert targets | {State.RECEIVED} == set(State)
