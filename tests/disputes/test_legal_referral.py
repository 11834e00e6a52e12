"""Referral to a legal or regulatory authority: staff record it with the reason, a manager other
than the recorder approves it or returns it with a note; audited; shown on the case page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plaint.core.actors import Actor
from plaint.core.errors import Conflict, InvalidTransition, NotAllowed, ValidationFailed
from plaint.core.models import AuditEvent
from plaint.disputes import services
from plaint.disputes.models import LegalReferral
from tests.factories import UserFactory, make_complaint

pytestmark = pytest.mark.django_db

REASON = "The customer reports a possible breach of the consumer credit rules."


def test_record_then_a_manager_approves_or_returns_with_a_note(handler, manager):
    complaint, _token = make_complaint()
    record = services.legal_referral_record
    referral = record(actor=Actor.staff(handler), complaint_id=complaint.pk,
                      authority="Financial Supervision Authority", reason=REASON)  # fmt: skip
    assert referral.state == "proposed"
    with pytest.raises(Conflict):
        record(actor=Actor.staff(handler), complaint_id=complaint.pk,
               authority="financial supervision authority", reason=REASON)  # fmt: skip
    with pytest.raises(NotAllowed):
        services.legal_referral_review(
            actor=Actor.staff(handler), referral_id=referral.pk, decision="approve"
        )
    with pytest.raises(ValidationFailed) as no_note:
        services.legal_referral_review(
            actor=Actor.staff(manager), referral_id=referral.pk, decision="return"
        )
    assert "note" in no_note.value.fields
    returned = services.legal_referral_review(actor=Actor.staff(manager), referral_id=referral.pk,
                                              decision="return", note="Say which rule.")  # fmt: skip
    assert (returned.state, returned.reviewed_by) == ("returned", manager)
    with pytest.raises(InvalidTransition):
        services.legal_referral_review(
            actor=Actor.staff(manager), referral_id=referral.pk, decision="approve"
        )
    actions = AuditEvent.objects.filter(case_type="legal_referral", case_id=referral.pk)
    assert list(actions.values_list("action", flat=True)) == [
        "legal_referral_recorded",
        "legal_referral_returned",
    ]


def test_the_recorder_does_not_review_their_own(manager):
    complaint, _token = make_complaint()
    referral = services.legal_referral_record(actor=Actor.staff(manager), complaint_id=complaint.pk,
                                              authority="Data Protection Inspectorate",
                                              reason=REASON)  # fmt: skip
    with pytest.raises(ValidationFailed):
        services.legal_referral_review(
            actor=Actor.staff(manager), referral_id=referral.pk, decision="approve"
        )


def test_pages_record_review_and_show_it_on_the_case_page(client, handler, manager, auditor):
    complaint, _token = make_complaint()
    client.force_login(handler)
    page = f"/staff/disputes/legal/case/{complaint.reference}/"
    assert client.post(page, {"authority": "", "reason": ""}).status_code == 422
    assert client.post(page, {"authority": "Consumer Protection Board",
                              "reason": REASON}).status_code == 302  # fmt: skip
    referral = LegalReferral.objects.get()
    case_page = client.get(f"/staff/complaints/{complaint.reference}/").content.decode()
    assert "Consumer Protection Board" in case_page
    client.force_login(auditor)
    assert "legal-form" not in client.get(page).content.decode()  # auditors read only
    other_manager = UserFactory(username="second-manager", role="manager")
    client.force_login(other_manager)
    assert "Consumer Protection Board" in client.get("/staff/disputes/legal/").content.decode()
    approved = client.post(f"/staff/disputes/legal/{referral.pk}/review/", {"decision": "approve"})
    assert approved.status_code == 302
    referral.refresh_from_db()
    assert referral.state == "approved" and referral.reviewed_by == other_manager


def _case_page_statements(client, complaint) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(f"/staff/complaints/{complaint.reference}/").content.decode()
    return len(ctx.captured_queries), page


def test_the_case_page_reads_whether_there_is_a_referral_with_the_complaint(client, handler):
    complaint, _token = make_complaint()
    client.force_login(handler)
    _case_page_statements(client, complaint)  # the caches warm
    without, page = _case_page_statements(client, complaint)
    assert "Record that this complaint needs referral" in page
    services.legal_referral_record(
        actor=Actor.staff(handler),
        complaint_id=complaint.pk,
        authority="Consumer Protection Board",
        reason=REASON,
    )
    _case_page_statements(client, complaint)
    with_one, page = _case_page_statements(client, complaint)
    assert "Consumer Protection Board" in page and "See the referrals" in page
    # the panel asks for the referrals only when the complaint's statement said there are some
    assert with_one == without + 1
