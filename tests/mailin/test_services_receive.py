"""Receiving one mail: a reply finds its case (thread headers, plus address, subject reference)
only when it comes from the complainant; machines and senders over the limit are never answered;
outgoing mail carries what makes a reply findable."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail as django_mail
from django.utils import timezone

from plaint.complaints.models import Complaint, Message
from plaint.core.actors import Actor
from plaint.core.models import OutboundEmail
from plaint.core.services import email_enqueue
from plaint.mailin.models import InboundMail, Reason, Status
from plaint.mailin.services import mail_prune_raw, mail_receive, quarantine_discard
from tests.factories import advance, make_complaint

pytestmark = pytest.mark.django_db


def complaint_events(complaint):
    from plaint.core.models import AuditEvent

    return AuditEvent.objects.filter(case_type="complaint", case_id=complaint.pk).order_by("seq")


def raw(
    body: str = "More detail: the courier left it in the rain.",
    *,
    sender: str = "mari@example.org",
    subject: str = "Hello",
    mid: str = "m1@example.org",
    to: str = "complaints@example.com",
    extra: str = "",
) -> bytes:
    return (
        f"From: Mari <{sender}>\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: <{mid}>\r\n"
        f"{extra}Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    ).encode()


def acks() -> int:
    return OutboundEmail.objects.filter(kind="acknowledgement").count()


def test_a_new_mail_becomes_a_case_on_the_email_channel_and_is_acknowledged():
    row = mail_receive(raw=raw(subject="Broken kettle"), source="test")

    complaint = Complaint.objects.get(pk=row.complaint_id)
    assert (row.status, complaint.channel, complaint.subject) == ("case", "email", "Broken kettle")
    assert complaint.complainant.email == "mari@example.org"
    assert complaint.complainant.name == "Mari"
    assert complaint.state == "acknowledged"
    assert OutboundEmail.objects.get(kind="acknowledgement").to == "mari@example.org"


def test_a_reply_to_our_mail_by_in_reply_to_becomes_a_message_on_its_case():
    complaint, _ = make_complaint()
    ours = OutboundEmail.objects.get(complaint=complaint)
    before = acks()

    row = mail_receive(raw=raw(extra=f"In-Reply-To: {ours.message_id}\r\n"), source="test")

    assert row.status == Status.MESSAGE and row.complaint_id == complaint.pk
    message = Message.objects.get(pk=row.case_message_id)
    assert message.direction == "in"
    assert message.body == "More detail: the courier left it in the rain."
    assert acks() == before  # a reply is not acknowledged again
    assert Complaint.objects.count() == 1


def test_a_reply_naming_the_reference_in_its_subject_finds_the_case():
    complaint, _ = make_complaint()

    row = mail_receive(raw=raw(subject=f"Re: Your complaint {complaint.reference}"), source="t")

    assert (row.status, row.complaint_id) == (Status.MESSAGE, complaint.pk)


def test_a_reply_to_a_plus_address_finds_the_case(settings):
    settings.MAILIN_REPLY_ADDRESS = "intake@example.com"
    complaint, _ = make_complaint()

    row = mail_receive(raw=raw(to=f"intake+{complaint.reference}@example.com"), source="t")

    assert (row.status, row.complaint_id) == (Status.MESSAGE, complaint.pk)


def test_a_mail_naming_a_case_from_someone_else_is_quarantined_as_suspicious():
    complaint, _ = make_complaint()

    row = mail_receive(
        raw=raw(sender="mallory@example.net", subject=f"Re: {complaint.reference}"), source="t"
    )

    assert (row.status, row.reason) == (Status.QUARANTINED, Reason.SENDER_MISMATCH)
    assert complaint.reference in row.detail
    assert not Message.objects.exists()


def test_a_reply_to_a_closed_case_opens_a_new_case_linked_to_it(handler):
    complaint, _ = make_complaint()
    advance(complaint, "closed", by=handler)

    row = mail_receive(raw=raw(subject=f"Re: {complaint.reference}"), source="t")

    assert row.status == Status.CASE
    assert row.follows_id == complaint.pk and row.complaint_id != complaint.pk


def test_a_reply_to_a_closed_case_reopens_it_when_the_organisation_says_so(handler, settings):
    settings.MAILIN_CLOSED_CASE_REPLY = "reopen"
    complaint, _ = make_complaint()
    advance(complaint, "closed", by=handler)

    row = mail_receive(raw=raw(subject=f"Re: {complaint.reference}"), source="t")

    complaint.refresh_from_db()
    assert (row.status, row.complaint_id) == (Status.MESSAGE, complaint.pk)
    assert (complaint.state, complaint.closed_at, complaint.closure_reason) == (
        "investigating",
        None,
        "",
    )
    notes = complaint.messages.filter(direction=Message.Direction.INTERNAL)
    assert notes.get().body == "The complainant wrote again by e-mail after the case was closed."
    assert complaint.messages.filter(direction=Message.Direction.INBOUND).count() == 1
    event = complaint_events(complaint).filter(action="reopen").get()
    assert event.actor_label == "e-mail intake"
    assert event.data["was"]["closure_reason"] == "accepted"


def test_a_reply_to_a_closed_case_waits_in_quarantine_when_the_organisation_says_so(
    handler, settings
):
    settings.MAILIN_CLOSED_CASE_REPLY = "quarantine"
    complaint, _ = make_complaint()
    advance(complaint, "closed", by=handler)

    row = mail_receive(raw=raw(subject=f"Re: {complaint.reference}"), source="t")

    assert (row.status, row.reason) == (Status.QUARANTINED, Reason.CLOSED_CASE)


@pytest.mark.parametrize(
    "extra",
    [
        "Auto-Submitted: auto-replied\r\n",
        "Precedence: bulk\r\n",
        "X-Autoreply: yes\r\n",
    ],
)
def test_automatic_mail_is_never_acknowledged(extra):
    row = mail_receive(raw=raw(extra=extra), source="t")

    assert (row.status, row.reason) == (Status.QUARANTINED, Reason.AUTOMATIC)
    assert acks() == 0


def test_a_sender_over_the_hourly_limit_is_quarantined_not_answered(settings):
    settings.MAILIN_SENDER_LIMIT_PER_HOUR = 2
    rows = [mail_receive(raw=raw(mid=f"r{i}@x"), source="t") for i in range(3)]

    assert [r.status for r in rows] == [Status.CASE, Status.CASE, Status.QUARANTINED]
    assert rows[2].reason == Reason.RATE_LIMITED
    assert acks() == 2


def test_the_same_message_id_twice_is_one_mail():
    first = mail_receive(raw=raw(), source="imap:a")
    again = mail_receive(raw=raw(body="the same Message-ID, delivered to a second box"), source="b")

    assert again.pk == first.pk
    assert InboundMail.objects.count() == Complaint.objects.count() == 1


def test_outgoing_mail_is_marked_automatic_and_a_reply_to_it_finds_its_case(
    smtp_server, run_jobs, settings
):
    settings.MAILIN_REPLY_ADDRESS = "intake@example.com"
    complaint, _ = make_complaint()
    run_jobs()
    [sent] = smtp_server.messages
    ack = sent.message

    assert ack["Auto-Submitted"] == "auto-generated"
    assert ack["Message-ID"] == OutboundEmail.objects.get(complaint=complaint).message_id
    assert complaint.reference in ack["Subject"]
    assert ack["Reply-To"] == f"intake+{complaint.reference}@example.com"

    reply = raw(
        subject=f"Re: {ack['Subject']}",
        to=ack["Reply-To"],
        extra=f"In-Reply-To: {ack['Message-ID']}\r\n",
    )
    row = mail_receive(raw=reply, source="t")
    assert (row.status, row.complaint_id) == (Status.MESSAGE, complaint.pk)


def test_discarded_mails_lose_their_raw_message_after_the_retention_period(handler, settings):
    settings.MAILIN_RAW_RETENTION_DAYS = 30
    row = mail_receive(raw=raw(extra="Precedence: bulk\r\n"), source="t")
    quarantine_discard(actor=Actor.staff(handler), mail_id=row.pk)
    kept = mail_receive(raw=raw(mid="kept@x", extra="Precedence: bulk\r\n"), source="t")
    name = row.raw.name

    assert mail_prune_raw(now=timezone.now() + dt.timedelta(days=29)) == 0
    assert mail_prune_raw(now=timezone.now() + dt.timedelta(days=31)) == 1

    row.refresh_from_db()
    assert row.raw.name == "" and not row.raw.storage.exists(name)
    kept.refresh_from_db()
    assert kept.raw  # still in the quarantine: kept


def test_a_case_mail_whose_template_has_no_reference_gets_it_in_its_subject(run_jobs):
    complaint, _ = make_complaint()
    invitation = email_enqueue(
        to="mari@example.org",
        kind="survey_invitation",
        language="en",
        context={"survey_title": "Quick question"},
        complaint=complaint,
    )
    run_jobs()

    sent = next(m for m in django_mail.outbox if "Quick question" in m.subject)
    assert sent.subject.endswith(f"[{complaint.reference}]")
    invitation.refresh_from_db()
    assert invitation.subject == sent.subject  # what was sent is what is kept
