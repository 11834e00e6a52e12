"""A case answered twice: the first decision is declined, another handler reviews it and proposes
again. Shared by the remedy tests of services, pages, mail and API."""

from __future__ import annotations

from decimal import Decimal

from plaint.complaints import services as s
from plaint.complaints.models import Complaint
from plaint.core.actors import Actor
from tests.factories import advance

FIRST = "We are sorry; we refund the delivery fee."  # the decision ``advance`` proposes (4.90 EUR)
SECOND = "On review we refund the whole order and apologise."


def propose_again(
    complaint: Complaint, *, decider, reviewer, communicate: bool = True
) -> Complaint:
    """Decide (refund 4.90 EUR), let the complainant decline, and have ``reviewer`` propose a
    refund of 39.90 EUR with an apology; communicated unless ``communicate`` is false."""
    complaint = advance(complaint, "decision_communicated", by=decider)
    s.complaint_decline_decision(
        complaint_id=complaint.pk, actor=Actor.complainant(), reason="The fee is not enough."
    )
    s.complaint_assign(
        complaint_id=complaint.pk, actor=Actor.staff(reviewer), assignee_id=reviewer.pk
    )
    complaint = s.complaint_propose_response(
        complaint_id=complaint.pk,
        actor=Actor.staff(reviewer),
        decision=SECOND,
        remedies=[
            s.RemedyInput("refund", amount=Decimal("39.90"), currency="EUR"),
            s.RemedyInput("apology", description="A letter from the manager"),
        ],
    )
    if communicate:
        complaint = s.complaint_communicate_decision(
            complaint_id=complaint.pk, actor=Actor.staff(reviewer)
        )
    complaint.refresh_from_db()
    return complaint
