"""Issue 16, item 2: every mail to the complainant carries a tracking link of its own. Each link
opens the case (page, attachments, reply, withdraw), earlier links keep working, and the clear token
lives only in the outbox row until the mail is sent."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plaint.complaints import services as s
from plaint.complaints.models import Complaint, Message, TrackingLink
from plaint.complaints.selectors import complaint_get_by_token
from plaint.complaints.states import State
from plaint.core.actors import Actor
from plaint.core.errors import NotFound
from plaint.core.models import OutboundEmail
from plaint.core.services import REDACTED, _render_email
from tests.factories import advance, make_complaint

pytestmark = pytest.mark.django_db

LINK = re.compile(re.escape(settings.BASE_URL) + r"/track/([A-Za-z0-9_-]+)/")


def _tokens(text: str) -> list[str]:
    return LINK.findall(text)


def _mailed_token(kind: str) -> str:
    """The token in the one mail of ``kind`` the worker sent (Django's test outbox)."""
    [sent] = [m for m in mail.outbox if m.extra_headers and _kind_of(m) == kind]
    [token] = _tokens(sent.body)
    return token


def _kind_of(message) -> str:
    row = OutboundEmail.objects.get(message_id=message.extra_headers["Message-ID"])
    return row.kind


def _staff_message(complaint: Complaint, staff: Actor) -> None:
    s.message_post(complaint_id=complaint.pk, actor=staff, body="We found your parcel.")


def _request_information(complaint: Complaint, staff: Actor) -> None:
    s.complaint_request_information(
        complaint_id=complaint.pk, actor=staff, reason="Please send the receipt."
    )


def _out_of_scope(complaint: Complaint, staff: Actor) -> None:
    s.complaint_reject_out_of_scope(
        complaint_id=complaint.pk, actor=staff, reason="This concerns another company."
    )


def _refer(complaint: Complaint, staff: Actor) -> None:
    advance(complaint, "decision_communicated", by=staff.user)
    s.complaint_decline_decision(complaint_id=complaint.pk, actor=Actor.complainant(), reason="No.")
    s.complaint_refer_external(complaint_id=complaint.pk, actor=staff, note="Consumer board.")


def _decision(complaint: Complaint, staff: Actor) -> None:
    advance(complaint, "decision_communicated", by=staff.user)


def _closed(complaint: Complaint, staff: Actor) -> None:
    advance(complaint, "closed", by=staff.user)


STEPS: dict[str, tuple[str, Callable[[Complaint, Actor], None]]] = {
    "decision": ("decision", _decision),
    "request for information": ("message", _request_information),
    "staff message": ("message", _staff_message),
    "out of scope": ("out_of_scope", _out_of_scope),
    "referral": ("referred_external", _refer),
    "closing": ("closed", _closed),
}


@pytest.mark.parametrize("step", STEPS)
def test_each_mail_carries_a_link_of_its_own_that_opens_the_case(step, client, handler, run_jobs):
    kind, take = STEPS[step]
    complaint, first = make_complaint(name="Mari Maasikas")
    take(complaint, Actor.staff(handler))
    [row] = OutboundEmail.objects.filter(complaint=complaint, kind=kind)
    [token] = _tokens(row.body)  # until it is sent, the row holds the clear token (only there)
    assert TrackingLink.objects.filter(
        complaint=complaint, digest=s.tracking_digest(token)
    ).exists()
    assert token not in str(list(TrackingLink.objects.values_list("digest", flat=True)))

    run_jobs()
    assert _mailed_token(kind) == token != first
    page = client.get(f"/track/{token}/")
    assert page.status_code == 200
    assert complaint.reference in page.content.decode()
    # What the outbox keeps of the sent mail has no link left; the mail says where to follow it.
    row.refresh_from_db()
    assert row.status == OutboundEmail.Status.SENT and complaint.reference in row.subject
    assert token not in row.body and token not in row.subject and REDACTED in row.body
    assert "first e-mail" not in row.body and f"Follow your case: {REDACTED}" in row.body
    # The first link, from the acknowledgement, still opens the case.
    assert client.get(f"/track/{first}/").status_code == 200


FOLLOW = {
    "en": "Follow your case:",
    "et": "Jälgige oma kaebust:",
    "uk": "Стежте за розглядом скарги:",
    "sv": "Följ ditt ärende:",
    "fa": "پیگیری پروندهٔ شما:",
}
# What the mails said before they carried a link: "the tracking link in our first e-mail".
FIRST_MAIL = {
    "en": "first e-mail",
    "et": "esimese",
    "uk": "першого листа",
    "sv": "första mejl",
    "fa": "نخستین ایمیل",
}


@pytest.mark.parametrize("language", FOLLOW)
def test_every_kind_in_every_language_gives_the_link_not_the_first_mail(language):
    complaint, _ = make_complaint(language=language)
    url = f"{settings.BASE_URL}/track/some-token/"
    context = {
        "complaint": complaint,
        "organisation": type("Org", (), {"name": "Polaris"})(),
        "tracking_url": url,
        "decision": "We refund the fee.",
        "remedies": [],
        "body": "Please send the receipt.",
        "reason": "Bought elsewhere.",
        "note": "",
    }
    for _label, (kind, _take) in STEPS.items():
        _subject, body, used = _render_email(kind, language, context)
        assert used == language
        assert f"{FOLLOW[language]} {url}\n" in body, (language, kind)
        assert FIRST_MAIL[language] not in body, (language, kind)


@pytest.mark.parametrize("language", FOLLOW)
def test_every_language_says_follow_your_case_with_the_link(language, handler, run_jobs):
    complaint, _ = make_complaint(language=language)
    _decision(complaint, Actor.staff(handler))
    _staff_message(complaint, Actor.staff(handler))
    run_jobs()
    follow = FOLLOW[language]
    for kind in ("decision", "message"):
        [sent] = [m for m in mail.outbox if _kind_of(m) == kind]
        [token] = _tokens(sent.body)
        assert f"{follow} {settings.BASE_URL}/track/{token}/" in sent.body, (language, kind)
        assert complaint_get_by_token(token=token) == complaint


def test_a_staff_acknowledgement_carries_a_new_link_and_the_given_one_keeps_working(
    client, handler, run_jobs
):
    complaint, given = make_complaint(channel="phone", actor=Actor.staff(handler))
    s.complaint_acknowledge(complaint_id=complaint.pk, actor=Actor.staff(handler))
    run_jobs()
    mailed = _mailed_token("acknowledgement")
    assert mailed != given
    for token in (given, mailed):
        assert client.get(f"/track/{token}/").status_code == 200


def test_old_links_keep_working_after_new_mails(client, handler, run_jobs):
    complaint, first = make_complaint()
    staff = Actor.staff(handler)
    _staff_message(complaint, staff)
    run_jobs()
    second = _mailed_token("message")
    _decision(complaint, staff)
    run_jobs()
    third = _mailed_token("decision")
    assert len({first, second, third}) == 3
    for token in (first, second, third):
        page = client.get(f"/track/{token}/")
        assert page.status_code == 200 and complaint.reference in page.content.decode()


def test_a_later_link_downloads_attachments_replies_and_withdraws(client, handler, run_jobs):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from plaint.core.uploads import check_uploads

    receipt = SimpleUploadedFile("receipt.pdf", b"%PDF-1.4 r", content_type="application/pdf")
    complaint, _ = make_complaint(attachments=check_uploads([receipt]))
    _staff_message(complaint, Actor.staff(handler))
    run_jobs()
    token = _mailed_token("message")
    attachment = complaint.attachments.get()
    download = client.get(f"/track/{token}/attachments/{attachment.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 r"

    reply = client.post(f"/track/{token}/message/", {"body": "Thank you, the receipt is above."})
    assert reply.status_code == 302
    assert complaint.messages.filter(direction=Message.Direction.INBOUND).count() == 1

    withdrawn = client.post(f"/track/{token}/withdraw/", {"comment": "", "confirm": "yes"})
    assert withdrawn.status_code == 302
    complaint.refresh_from_db()
    assert complaint.state == State.CLOSED and complaint.closure_reason == "withdrawn"


def test_a_link_of_another_case_or_a_made_up_one_opens_nothing(client, handler, run_jobs):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from plaint.core.uploads import check_uploads

    receipt = SimpleUploadedFile("receipt.pdf", b"%PDF-1.4 r", content_type="application/pdf")
    complaint, _ = make_complaint(attachments=check_uploads([receipt]))
    other, _ = make_complaint(email="other@example.org")
    _staff_message(other, Actor.staff(handler))
    run_jobs()
    token = _mailed_token("message")
    assert complaint_get_by_token(token=token) == other
    # the other case's link does not reach this case's file
    attachment = complaint.attachments.get()
    assert client.get(f"/track/{token}/attachments/{attachment.pk}/").status_code == 404
    for made_up in ("nope", token[:-1], token + "x"):
        with pytest.raises(NotFound):
            complaint_get_by_token(token=made_up)
        assert client.get(f"/track/{made_up}/").status_code == 404


def test_without_an_address_no_mail_and_no_link(handler):
    complaint, _ = make_complaint(
        channel="phone",
        actor=Actor.staff(handler),
        email="",
        phone="+372 5555 1234",
        preferred_channel="phone",
    )
    staff = Actor.staff(handler)
    s.complaint_acknowledge(complaint_id=complaint.pk, actor=staff)
    _staff_message(complaint, staff)
    assert not OutboundEmail.objects.filter(complaint=complaint).exists()
    assert not TrackingLink.objects.filter(complaint=complaint).exists()


def test_each_lookup_is_one_statement(handler, run_jobs):
    complaint, first = make_complaint()
    _staff_message(complaint, Actor.staff(handler))
    run_jobs()
    later = _mailed_token("message")
    with CaptureQueriesContext(connection) as by_first:
        assert complaint_get_by_token(token=first) == complaint
    with CaptureQueriesContext(connection) as by_later:
        assert complaint_get_by_token(token=later) == complaint
    assert len(by_first) == 1  # the first link: the complaint's own digest, nothing else
    assert len(by_later) == 2  # then the link table, joined to the case by its unique digest
    assert " OR " not in by_later.captured_queries[1]["sql"].upper()


def test_a_mail_given_up_on_keeps_no_link(settings, smtp_server, handler, run_jobs):
    settings.EMAIL_MAX_ATTEMPTS = 1
    complaint, _ = make_complaint()
    run_jobs()  # the acknowledgement goes out
    smtp_server.stop()
    _staff_message(complaint, Actor.staff(handler))
    run_jobs()
    row = OutboundEmail.objects.get(complaint=complaint, kind="message")
    assert row.status == OutboundEmail.Status.FAILED
    assert not _tokens(row.body) and REDACTED in row.body
