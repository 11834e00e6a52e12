"""The complainant chooses a provider on their tracking page and consents: recorded with channel
"tracking_page", the server's time (never one posted), the exact text shown and the page's
language; then follows the dispute and adds evidence there. Another token sees none of it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from plaint.core.models import AuditEvent
from plaint.disputes.consent import consent_text
from plaint.disputes.models import Consent, Dispute
from plaint.disputes.selectors import eligible_providers
from tests.disputes.cases import provider_with_all_methods
from tests.factories import advance, make_complaint

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 10, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def decided(handler):
    complaint, token = make_complaint(language="et")
    return advance(complaint, "decision_communicated", by=handler), token


@pytest.fixture
def provider(manager):
    return provider_with_all_methods(manager)


def _choose(client, token, provider, **extra):
    data = {"provider": provider.pk, "method": "facilitative", "agree": "on", **extra}
    return client.post(f"/disputes/track/{token}/choose/", data)


def test_the_tracking_page_names_the_providers_and_links_to_the_choice(client, decided, provider):
    _complaint, token = decided
    page = client.get(f"/track/{token}/").content.decode()
    assert provider.name in page and f"/disputes/track/{token}/" in page
    assert "Tasuta" in page or "tasuta" in page  # the cost, in the complainant's language (et)
    assert "Viimane päev pöördumiseks" in page  # the last day to refer
    choice = client.get(f"/disputes/track/{token}/").content.decode()
    assert "Last day to refer" in choice or "refer-by" in choice
    assert "consent-text" in choice


def test_consent_is_recorded_with_server_time_text_and_language(client, decided, provider):
    complaint, token = decided
    with time_machine.travel(NOW, tick=False):
        response = _choose(client, token, provider, given_at="2020-01-01T00:00:00Z",
                           language="sv", text_shown="something else")  # fmt: skip
    assert response.status_code == 302
    consent = Consent.objects.select_related("dispute").get()
    assert consent.given_at == NOW and consent.recorded_at == NOW  # the posted time is ignored
    assert consent.channel == "tracking_page"
    assert consent.language == "et"  # the page's language (the complainant's), not the form's
    method = provider.methods.get(method="facilitative")
    with time_machine.travel(NOW, tick=False):
        complaint.refresh_from_db()
        refer_by = next(a for a in eligible_providers(complaint) if a.provider == provider).refer_by
    assert consent.text_shown == consent_text(complaint, provider, method, refer_by, "et")
    assert consent.dispute.opened_via == "referral"
    assert complaint.state == "referred_external"
    assert AuditEvent.objects.filter(case_type="dispute", action="referred").count() == 1


def test_a_second_choice_does_not_double(client, decided, provider):
    _complaint, token = decided
    assert _choose(client, token, provider).status_code == 302
    again = _choose(client, token, provider)
    assert again.status_code in (409, 422)
    assert Dispute.objects.count() == 1 and Consent.objects.count() == 1


def test_not_eligible_gets_a_clear_error(client, handler, provider):
    _complaint, token = make_complaint()  # still open: no final response
    refused = _choose(client, token, provider)
    assert refused.status_code == 409
    assert "cannot go to an independent dispute-resolution provider now" in refused.content.decode()
    unticked = client.post(f"/disputes/track/{token}/choose/", {"provider": provider.pk,
                                                                "method": "advisory"})  # fmt: skip
    assert unticked.status_code == 422 and "Tick the box" in unticked.content.decode()
    assert not Dispute.objects.exists()


def test_follow_and_add_evidence_and_another_token_sees_nothing(client, decided, provider):
    _complaint, token = decided
    _choose(client, token, provider)
    dispute = Dispute.objects.get()
    upload = SimpleUploadedFile("receipt.txt", b"Paid 129.00 EUR twice", content_type="text/plain")
    added = client.post(f"/disputes/track/{token}/{dispute.pk}/evidence/",
                        {"body": "My bank statement shows both payments.", "attachment": upload})  # fmt: skip
    assert added.status_code == 302
    submission = dispute.submissions.get()
    assert submission.side == "complainant" and submission.attachment.original_name == "receipt.txt"
    bad = SimpleUploadedFile("virus.exe", b"MZ\x90\x00\x03", content_type="application/x-msdos")
    refused = client.post(f"/disputes/track/{token}/{dispute.pk}/evidence/",
                          {"body": "Another file", "attachment": bad})  # fmt: skip
    assert refused.status_code == 422 and dispute.submissions.count() == 1
    refusal = re.search(
        r'<ul class="errorlist" id="id_attachment_error"><li>(.*?)</li>', refused.content.decode()
    )
    assert refusal is not None and "virus.exe" in refusal.group(1)  # at the file's own field
    page = client.get(f"/disputes/track/{token}/").content.decode()
    assert provider.name in page and "My bank statement" in page
    _other, other_token = make_complaint(subject="Another case")
    theirs = client.get(f"/disputes/track/{other_token}/").content.decode()
    assert "My bank statement" not in theirs and provider.name not in theirs
    stolen = client.post(f"/disputes/track/{other_token}/{dispute.pk}/evidence/",
                         {"body": "Not mine"})  # fmt: skip
    assert stolen.status_code == 404 and dispute.submissions.count() == 1
    assert client.get("/disputes/track/not-a-token/").status_code == 404


def test_a_missed_response_deadline_opens_the_way_to_a_provider(client, provider):
    """No decision by the deadline for the response: the complainant may go to a provider, the
    time to refer counted from the day the deadline passed."""
    complaint, token = make_complaint(language="et")
    assert _choose(client, token, provider).status_code == 409  # in time: not yet
    later = complaint.response_due_at + dt.timedelta(days=2)
    with time_machine.travel(later, tick=False):
        [answer] = [a for a in eligible_providers(complaint) if a.provider == provider]
        assert answer.eligible and answer.refer_by is not None
        assert answer.refer_by > complaint.response_due_at.date()
        assert f"/disputes/track/{token}/" in client.get(f"/track/{token}/").content.decode()
        assert _choose(client, token, provider).status_code in (200, 302)
    dispute = Dispute.objects.get(complaint=complaint)
    assert dispute.provider == provider and dispute.consent.channel == "tracking_page"


def test_the_neutrals_request_to_the_complainant_shows_on_their_page(client, decided, provider,
                                                                      handler):  # fmt: skip
    from plaint.core.actors import Actor
    from plaint.disputes import services
    from tests.factories import UserFactory

    _complaint, token = decided
    _choose(client, token, provider)
    dispute = Dispute.objects.get()
    neutral = UserFactory(username="neutral-x", role="neutral")
    services.dispute_neutral_assign(actor=Actor.staff(handler), dispute_id=dispute.pk,
                                    neutral_id=neutral.pk)  # fmt: skip
    as_neutral = services.neutral_actor(neutral)
    services.dispute_neutral_declare(actor=as_neutral, dispute_id=dispute.pk, conflict=False)
    for side, body in (("complainant", "Please send the bank statement."),
                       ("organisation", "Internal question for the organisation.")):  # fmt: skip
        services.dispute_neutral_request(
            actor=as_neutral, dispute_id=dispute.pk, addressed_to=side, body=body
        )
    page = client.get(f"/disputes/track/{token}/").content.decode()
    assert f'id="asked-{dispute.pk}"' in page and "Please send the bank statement." in page
    assert "Internal question for the organisation." not in page  # asked of the other side
