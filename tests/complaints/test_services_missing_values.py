"""Values the types allow to be missing (found by mypy): the services answer with a Plaint error
instead of failing with a TypeError."""

from __future__ import annotations

import pytest

from plaint.complaints import services as s
from plaint.complaints.models import Complaint
from plaint.core.actors import Actor
from plaint.core.errors import InvalidTransition, NotFound
from plaint.core.models import OutboundEmail
from tests.factories import advance, make_complaint


def test_close_for_no_answer_refuses_a_decision_without_a_recorded_time(handler):
    complaint, _ = make_complaint()
    complaint = advance(complaint, "decision_communicated", by=handler)
    Complaint.objects.filter(pk=complaint.pk).update(decision_at=None)  # e.g. an imported row
    with pytest.raises(InvalidTransition, match="no recorded time"):
        s.complaint_close(complaint_id=complaint.pk, actor=Actor.staff(handler), reason="no_answer")
    complaint.refresh_from_db()
    assert complaint.state == "decision_communicated"


def test_acknowledgement_context_refuses_an_email_without_its_complaint(db):
    email = OutboundEmail(to="kaja@example.org", kind="acknowledgement", complaint=None)
    with pytest.raises(NotFound):
        s.acknowledgement_email_context(email=email, tracking_url="https://example.org/t/x")
