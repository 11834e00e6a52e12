"""The e-mail quarantine pages (handlers and managers; the reason shown; attach, create a case,
discard) and the raw-MIME endpoint for providers that push inbound mail."""

from __future__ import annotations

import pytest

from plaint.complaints.models import Complaint, Message
from plaint.core.models import OutboundEmail
from plaint.mailin.models import InboundMail, Reason, Status
from plaint.mailin.services import mail_receive
from tests.factories import make_complaint

pytestmark = pytest.mark.django_db

LIST = "/staff/mail/"
PUSH = "/mail/inbound/"


def quarantined(sender: str = "mari@example.org", mid: str = "q1@x", **headers: str) -> InboundMail:
    """A mail in the quarantine: automatic (bulk) unless other headers are given."""
    headers = headers or {"Precedence": "bulk"}
    extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    raw = (
        f"From: Mari <{sender}>\r\nSubject: Away until Monday\r\nMessage-ID: <{mid}>\r\n{extra}"
        "Content-Type: text/plain; charset=utf-8\r\n\r\nThe shop was closed at 10:00.\r\n"
    ).encode()
    return mail_receive(raw=raw, source="test")


def test_handlers_see_the_quarantine_with_each_reason(client, handler):
    row = quarantined(**{"Auto-Submitted": "auto-replied"})
    client.force_login(handler)

    page = client.get(LIST).content.decode()

    assert "Away until Monday" in page
    assert "An automatic message (auto-reply, delivery report, bulk mail)" in page
    detail = client.get(f"{LIST}{row.pk}/").content.decode()
    assert "The shop was closed at 10:00." in detail
    assert "Auto-Submitted: auto-replied" in detail


def test_the_quarantine_list_reads_in_a_fixed_number_of_queries(
    client, handler, django_assert_max_num_queries
):
    for i in range(5):
        quarantined(mid=f"many{i}@x", **{"Precedence": "bulk"})
    client.force_login(handler)
    with django_assert_max_num_queries(12):
        assert client.get(LIST).status_code == 200


def test_other_roles_may_not_see_the_quarantine(client, auditor):
    row = quarantined()
    client.force_login(auditor)

    assert client.get(LIST).status_code == 403
    assert client.get(f"{LIST}{row.pk}/").status_code == 403
    assert client.post(f"{LIST}{row.pk}/discard/").status_code == 403
    assert InboundMail.objects.get(pk=row.pk).status == Status.QUARANTINED


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get(LIST).status_code == 302


def test_attach_adds_the_mail_to_the_case_as_the_complainants_message(client, handler):
    complaint, _ = make_complaint()
    row = quarantined(**{"Precedence": "bulk"})
    client.force_login(handler)

    response = client.post(f"{LIST}{row.pk}/attach/", {"reference": complaint.reference})

    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.status, row.complaint_id, row.handled_by_id) == (
        "message",
        complaint.pk,
        handler.pk,
    )
    message = Message.objects.get(pk=row.case_message_id)
    assert (message.direction, message.body) == ("in", "The shop was closed at 10:00.")


def test_attach_to_an_unknown_reference_says_so_next_to_the_field(client, handler):
    row = quarantined()
    client.force_login(handler)

    response = client.post(f"{LIST}{row.pk}/attach/", {"reference": "C-2026-999999"})

    assert response.status_code == 422
    assert "No case has this reference." in response.content.decode()
    assert InboundMail.objects.get(pk=row.pk).status == Status.QUARANTINED


def test_create_makes_a_case_without_acknowledging_a_machine(client, handler):
    row = quarantined(**{"Auto-Submitted": "auto-replied"})
    client.force_login(handler)

    assert client.post(f"{LIST}{row.pk}/create/").status_code == 302

    row.refresh_from_db()
    assert row.status == Status.CASE
    assert Complaint.objects.get(pk=row.complaint_id).channel == "email"
    assert not OutboundEmail.objects.filter(kind="acknowledgement").exists()
    assert client.post(f"{LIST}{row.pk}/create/").status_code == 409  # dealt with already


def test_discard_keeps_the_raw_message(client, handler):
    row = quarantined()
    client.force_login(handler)

    assert client.post(f"{LIST}{row.pk}/discard/").status_code == 302

    row.refresh_from_db()
    assert row.status == Status.DISCARDED
    assert row.raw and row.raw.storage.exists(row.raw.name)
    assert "The shop was closed" in client.get(f"{LIST}{row.pk}/").content.decode()


RAW = (
    "From: Sven <sven@example.se>\r\nSubject: Trasig leverans\r\nMessage-ID: <push1@x>\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n\r\nLådan var trasig och jag vill ha en ny.\r\n"
).encode()


def test_a_provider_pushes_raw_mime_with_its_token(client, settings):
    settings.MAILIN_HTTP_TOKEN = "push-token-123"

    response = client.post(
        PUSH, RAW, content_type="message/rfc822", HTTP_AUTHORIZATION="Bearer push-token-123"
    )

    assert response.status_code == 202
    row = InboundMail.objects.get(pk=response.json()["id"])
    assert (row.status, row.source, row.language) == (Status.CASE, "http", "sv")
    again = client.post(
        PUSH, RAW, content_type="message/rfc822", HTTP_AUTHORIZATION="Bearer push-token-123"
    )
    assert again.json()["id"] == row.pk  # pushed twice, received once


@pytest.mark.parametrize(
    ("token", "header", "body", "status"),
    [
        ("", "Bearer x", RAW, 404),  # not enabled
        ("push-token-123", "", RAW, 401),
        ("push-token-123", "Bearer wrong", RAW, 401),
        ("push-token-123", "Bearer push-token-123", b"  ", 400),
    ],
)
def test_the_push_endpoint_refuses_what_it_must(client, settings, token, header, body, status):
    settings.MAILIN_HTTP_TOKEN = token
    extra = {"HTTP_AUTHORIZATION": header} if header else {}

    response = client.post(PUSH, body, content_type="message/rfc822", **extra)

    assert response.status_code == status
    assert not InboundMail.objects.exists()


def test_a_pushed_message_that_is_garbage_is_quarantined_not_refused(client, settings):
    settings.MAILIN_HTTP_TOKEN = "t"

    response = client.post(
        PUSH, b"\x00\x01 nothing", content_type="message/rfc822", HTTP_AUTHORIZATION="Bearer t"
    )

    assert response.status_code == 202
    assert response.json()["reason"] == Reason.PARSE_ERROR


def test_a_pushed_message_over_the_limit_is_refused(client, settings):
    settings.MAILIN_HTTP_TOKEN = "t"
    settings.MAILIN_MAX_BYTES = 1024

    response = client.post(
        PUSH, RAW + b"x" * 2000, content_type="message/rfc822", HTTP_AUTHORIZATION="Bearer t"
    )

    assert response.status_code == 413
    assert not InboundMail.objects.exists()


def test_a_case_that_came_by_email_shows_its_mail_on_the_case_page(client, handler):
    row = mail_receive(
        raw=b"From: ann@example.org\r\nSubject: Cold soup\r\nMessage-ID: <soup@x>\r\n\r\nCold.\r\n",
        source="test",
    )
    client.force_login(handler)

    page = client.get(f"/staff/complaints/{row.complaint.reference}/").content.decode()

    assert 'id="case-mails"' in page
    assert f"/staff/mail/{row.pk}/" in page


def test_a_case_from_the_web_form_has_no_email_panel(client, handler):
    complaint, _ = make_complaint()
    client.force_login(handler)

    page = client.get(f"/staff/complaints/{complaint.reference}/").content.decode()

    assert 'id="case-mails"' not in page
