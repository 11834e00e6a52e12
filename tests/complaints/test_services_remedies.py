"""Remedies belong to a proposal: a new proposal supersedes the remedies offered before, which
stay stored (and in the audit trail) for the case's history."""

from __future__ import annotations

from decimal import Decimal

import pytest

from plaint.complaints import services as s
from plaint.complaints.models import Remedy
from plaint.complaints.selectors import (
    complaint_earlier_proposals,
    complaint_remedies,
    complaint_remedy_rounds,
)
from plaint.core.actors import Actor
from plaint.core.audit import audit_verify
from plaint.core.models import AuditEvent, OutboundEmail
from tests.complaints.proposals import SECOND, propose_again
from tests.factories import advance, make_complaint

pytestmark = pytest.mark.django_db


def _offered(remedies) -> list[tuple[str, str | None, str]]:
    return [(r.kind, str(r.amount) if r.amount is not None else None, r.currency) for r in remedies]


def _propose_events(complaint) -> list[dict]:
    return [
        e.data
        for e in AuditEvent.objects.filter(
            case_type="complaint", case_id=complaint.pk, action="propose_response"
        ).order_by("seq")
    ]


def test_the_second_proposal_replaces_the_remedies_and_the_first_stays_on_record(
    handler, other_handler
):
    complaint = propose_again(make_complaint()[0], decider=handler, reviewer=other_handler)

    current = complaint_remedies(complaint=complaint)
    assert _offered(current) == [("refund", "39.90", "EUR"), ("apology", None, "")]
    assert {r.proposal for r in current} == {2}
    assert all(r.superseded_at is None for r in current)

    [earlier] = complaint_earlier_proposals(complaint=complaint)
    assert earlier.number == 1
    assert _offered(earlier.remedies) == [("refund", "4.90", "EUR")]
    assert earlier.proposed_at < earlier.superseded_at == current[0].proposed_at
    assert Remedy.objects.filter(complaint=complaint).count() == 3  # nothing deleted

    # The case page reads both from one query, and gets the same.
    one_query_current, one_query_earlier = complaint_remedy_rounds(complaint=complaint)
    assert one_query_current == current
    assert [(p.number, p.proposed_at, p.superseded_at, p.remedies) for p in one_query_earlier] == [
        (earlier.number, earlier.proposed_at, earlier.superseded_at, earlier.remedies)
    ]

    # The audit trail says the same, each propose event with its own round and remedies.
    events = _propose_events(complaint)
    assert [(e["proposal"], e["review"]) for e in events] == [(1, False), (2, True)]
    assert [r["amount"] for r in events[0]["remedies"]] == ["4.90"]
    assert [r["amount"] for r in events[1]["remedies"]] == ["39.90", None]
    assert audit_verify().breaks == []


def test_the_decision_mail_of_the_second_proposal_lists_only_its_remedies(
    handler, other_handler, run_jobs
):
    complaint = propose_again(make_complaint()[0], decider=handler, reviewer=other_handler)
    run_jobs()  # the worker renders both now: the first mail still lists its own remedies
    first, second = OutboundEmail.objects.filter(complaint=complaint, kind="decision").order_by(
        "id"
    )
    assert "€4.90" in first.body and "39.90" not in first.body
    assert SECOND in second.body
    assert "€39.90" in second.body and "A letter from the manager" in second.body
    assert "€4.90" not in second.body.replace("€39.90", "")
    assert second.body.count("Refund") == 1


def test_a_revision_before_the_decision_is_sent_supersedes_too(handler, run_jobs):
    complaint = advance(make_complaint()[0], "response_proposed", by=handler)
    s.complaint_propose_response(
        complaint_id=complaint.pk,
        actor=Actor.staff(handler),
        decision="We replace the parcel.",
        remedies=[s.RemedyInput("replacement")],
    )
    assert _offered(complaint_remedies(complaint=complaint)) == [("replacement", None, "")]
    assert [p.number for p in complaint_earlier_proposals(complaint=complaint)] == [1]
    s.complaint_communicate_decision(complaint_id=complaint.pk, actor=Actor.staff(handler))
    run_jobs()
    mail = OutboundEmail.objects.get(complaint=complaint, kind="decision")
    assert "Replacement" in mail.body and "4.90" not in mail.body


def test_a_proposal_without_remedies_leaves_none_offered_and_keeps_its_number(
    handler, other_handler
):
    complaint = advance(make_complaint()[0], "decision_communicated", by=handler)
    s.complaint_decline_decision(complaint_id=complaint.pk, actor=Actor.complainant(), reason="No.")
    s.complaint_propose_response(
        complaint_id=complaint.pk,
        actor=Actor.staff(other_handler),
        decision="On review the decision stands, without a refund.",
        remedies=[],
    )
    assert complaint_remedies(complaint=complaint) == []
    assert [p.number for p in complaint_earlier_proposals(complaint=complaint)] == [1]
    complaint = s.complaint_propose_response(
        complaint_id=complaint.pk,
        actor=Actor.staff(other_handler),
        decision="We refund after all.",
        remedies=[s.RemedyInput("refund", amount=Decimal("1.00"), currency="EUR")],
    )
    assert [r.proposal for r in complaint_remedies(complaint=complaint)] == [3]
    assert [e["proposal"] for e in _propose_events(complaint)] == [1, 2, 3]
