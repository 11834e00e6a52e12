"""Reopening a closed case: staff (or e-mail intake) handle it again, with the reason noted."""

from __future__ import annotations

import pytest

from plaint.complaints import services as s
from plaint.complaints.models import Message
from plaint.core.actors import Actor
from plaint.core.audit import audit_verify
from plaint.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from tests.api_client import ApiClient
from tests.factories import advance, make_complaint

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(handler):
    complaint, _ = make_complaint()
    return advance(complaint, "closed", by=handler)


def test_staff_reopen_a_closed_case_with_a_reason(closed, handler):
    reopened = s.complaint_reopen(
        complaint_id=closed.pk, actor=Actor.staff(handler), reason="The fault came back."
    )
    assert reopened.state == "investigating"
    assert reopened.closed_at is None and reopened.closure_reason == ""
    note = reopened.messages.get(direction=Message.Direction.INTERNAL)
    assert note.body == "The fault came back."
    # handled again, it closes again the usual way
    advance(reopened, "closed", by=handler)
    assert audit_verify().breaks == []


def test_a_reason_is_required(closed, handler):
    with pytest.raises(ValidationFailed):
        s.complaint_reopen(complaint_id=closed.pk, actor=Actor.staff(handler), reason=" ")


def test_only_a_closed_case_reopens(handler):
    complaint, _ = make_complaint()
    with pytest.raises(InvalidTransition):
        s.complaint_reopen(complaint_id=complaint.pk, actor=Actor.staff(handler), reason="x")


def test_the_complainant_and_the_auditor_may_not_reopen(closed, auditor):
    for actor in (Actor.complainant(), Actor.staff(auditor)):
        with pytest.raises(NotAllowed):
            s.complaint_reopen(complaint_id=closed.pk, actor=actor, reason="x")


def test_the_api_reopens(closed, handler):
    response = ApiClient(handler).post(
        f"/complaints/{closed.reference}/steps/reopen", {"reason": "Asked again by phone."}
    )
    assert response.status_code == 200 and response.json()["state"] == "investigating"


def test_the_case_page_offers_reopen_on_a_closed_case(client, closed, handler):
    client.force_login(handler)
    body = client.get(f"/staff/complaints/{closed.reference}/").content.decode()
    assert "Reopen the case" in body
