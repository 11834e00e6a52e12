"""The public portal through Django's test client: how-to page, the form, the tracking page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from plaint.complaints.models import Complaint, Message
from plaint.complaints.services import message_post
from plaint.core.actors import Actor
from plaint.core.models import AuditEvent, Organisation, OutboundEmail
from tests.factories import CategoryFactory, advance, make_complaint

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Mari Maasikas",
    "email": "mari@example.org",
    "phone": "",
    "language": "et",
    "preferred_channel": "email",
    "product": "Parcel delivery",
    "category": "",
    "subject": "Late parcel",
    "description": "The parcel arrived two weeks late and the box was crushed.",
    "desired_outcome": "Refund the delivery fee.",
    "consent": "on",
    "website": "",
}


def _token_from(response) -> str:
    match = re.search(r'<a id="tracking-link" href="/track/([^/"]+)/"', response.content.decode())
    assert match, "no tracking link on the thank-you page"
    return match.group(1)


# --- how to complain -----------------------------------------------------------------------


def test_home_page_is_generated_from_the_settings(client):
    Organisation.objects.create(
        name="Tallinna Pagar",
        contact_email="kaebused@pagar.example",
        contact_phone="+372 600 0000",
        acknowledgement_business_days=3,
        response_business_days=15,
        no_answer_close_days=21,
    )
    with override_settings(ATTACHMENT_MAX_BYTES=3 * 1024 * 1024):
        response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Tallinna Pagar" in body
    assert "kaebused@pagar.example" in body
    assert "within 3 business days" in body
    assert "within 15 business days" in body
    assert "after 21 days" in body
    assert "3.0\xa0MB" in body  # filesizeformat keeps number and unit together
    assert ".pdf" in body and ".docx" in body
    for label in ("Received", "Acknowledged", "Assessed", "Under investigation", "Closed"):
        assert label in body
    assert 'href="/complain/"' in body


def test_persian_pages_are_right_to_left(client):
    client.post("/i18n/setlang/", {"language": "fa", "next": "/"})
    response = client.get("/")
    assert '<html lang="fa" dir="rtl">' in response.content.decode()
    client.post("/i18n/setlang/", {"language": "et", "next": "/"})
    assert '<html lang="et" dir="ltr">' in client.get("/").content.decode()


# --- filing a complaint --------------------------------------------------------------------


def test_form_page_offers_languages_channels_and_active_categories(client):
    CategoryFactory(code="delivery", name="Delivery")
    CategoryFactory(code="old", name="Retired category", active=False)
    body = client.get("/complain/").content.decode()
    for code in ("en", "et", "uk", "sv", "fa"):
        assert f'<option value="{code}"' in body
    assert "Delivery" in body
    assert "Retired category" not in body
    assert 'name="website"' in body
    assert 'enctype="multipart/form-data"' in body


def test_filing_a_complaint_through_the_form(client):
    CategoryFactory(code="delivery", name="Delivery")
    upload = SimpleUploadedFile("receipt.pdf", b"%PDF-1.4 receipt", content_type="application/pdf")
    response = client.post("/complain/", {**VALID, "category": "delivery", "attachments": [upload]})
    assert response.status_code == 200
    complaint = Complaint.objects.get()
    body = response.content.decode()
    assert f'id="reference" class="reference">{complaint.reference}<' in body
    token = _token_from(response)
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    assert complaint.channel == "web"
    assert complaint.category.code == "delivery"
    assert complaint.complainant.language == "et"
    assert complaint.complainant.consent_at is not None
    assert complaint.desired_outcome == "Refund the delivery fee."
    assert complaint.attachments.get().original_name == "receipt.pdf"
    actions = list(
        AuditEvent.objects.filter(case_type="complaint", case_id=complaint.pk).values_list(
            "action", flat=True
        )
    )
    assert actions == ["received", "acknowledge"]
    email = OutboundEmail.objects.get(complaint=complaint)
    assert email.kind == "acknowledgement" and email.to == "mari@example.org"
    assert email.status == OutboundEmail.Status.PENDING  # the workers' outbox drain sends it
    # the link on the thank-you page opens the tracking page
    assert client.get(f"/track/{token}/").status_code == 200


def test_field_errors_are_shown_next_to_the_fields(client):
    response = client.post(
        "/complain/",
        {**VALID, "name": "", "email": "not-an-address", "description": "", "consent": ""},
    )
    assert response.status_code == 422
    form = response.context["form"]
    assert form.errors["name"]
    assert form.errors["description"]
    assert form.errors["consent"]
    assert "valid e-mail" in form.errors["email"][0]
    body = response.content.decode()
    assert 'class="error-summary"' in body
    assert 'href="#id_name"' in body
    assert Complaint.objects.count() == 0


def test_service_rules_become_field_errors(client):
    """The service, not the form, requires a way to reply: its field error lands on the field."""
    response = client.post("/complain/", {**VALID, "email": "", "preferred_channel": "phone"})
    assert response.status_code == 422
    assert "give a phone number" in response.context["form"].errors["phone"][0]
    assert Complaint.objects.count() == 0


@override_settings(ATTACHMENT_MAX_BYTES=1024)
def test_oversized_attachment_is_refused_with_the_limit_named(client):
    big = SimpleUploadedFile("photo.txt", b"x" * 2048, content_type="text/plain")
    response = client.post("/complain/", {**VALID, "attachments": [big]})
    assert response.status_code == 422
    error = response.context["form"].errors["attachments"][0]
    assert "1.0\xa0KB" in error and "photo.txt" in error
    assert "1.0\xa0KB" in response.content.decode()
    assert Complaint.objects.count() == 0


def test_disallowed_attachment_type_is_refused_with_the_allowed_list(client):
    exe = SimpleUploadedFile("setup.exe", b"MZ\x90\x00binary", content_type="application/x-exe")
    response = client.post("/complain/", {**VALID, "attachments": [exe]})
    assert response.status_code == 422
    error = response.context["form"].errors["attachments"][0]
    assert "setup.exe" in error and ".pdf" in error
    assert Complaint.objects.count() == 0


@override_settings(ATTACHMENT_MAX_COUNT=1)
def test_too_many_attachments_are_refused(client):
    files = [SimpleUploadedFile(f"n{i}.txt", b"note", content_type="text/plain") for i in range(2)]
    response = client.post("/complain/", {**VALID, "attachments": files})
    assert response.status_code == 422
    assert "At most 1" in response.context["form"].errors["attachments"][0]


def test_filled_honeypot_is_refused_and_nothing_is_saved(client):
    """Decision: refuse visibly (a person whose browser autofilled it can still recover),
    save nothing, queue no mail."""
    response = client.post("/complain/", {**VALID, "website": "http://spam.example"})
    assert response.status_code == 400
    assert Complaint.objects.count() == 0
    assert OutboundEmail.objects.count() == 0
    assert 'id="reference"' not in response.content.decode()


@override_settings(PUBLIC_RATE_LIMIT_PER_HOUR=2)
def test_complaint_form_is_rate_limited_per_client(client):
    for _ in range(2):
        assert client.post("/complain/", {**VALID, "name": ""}).status_code == 422
    response = client.post("/complain/", VALID)
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert Complaint.objects.count() == 0
    # another client address is counted on its own
    other = client.post("/complain/", VALID, REMOTE_ADDR="10.9.8.7")
    assert other.status_code == 200


# --- tracking ------------------------------------------------------------------------------


def test_unknown_token_is_a_404_that_reveals_nothing(client):
    make_complaint()
    response = client.get("/track/not-a-real-token-at-all/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "C-20" not in body and "Mari" not in body
    assert response["Referrer-Policy"] == "same-origin"
    assert client.post("/track/nope/message/", {"body": "hello"}).status_code == 404


def test_tracking_page_shows_public_facts_and_hides_internal_notes(client, handler):
    complaint, token = make_complaint()
    message_post(
        complaint_id=complaint.pk,
        actor=Actor.staff(handler),
        body="Customer seems angry; check CCTV.",
        internal=True,
    )
    message_post(
        complaint_id=complaint.pk, actor=Actor.staff(handler), body="We are looking into it."
    )
    response = client.get(f"/track/{token}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert complaint.reference in body
    assert "Acknowledged" in body
    assert "We are looking into it." in body
    assert "CCTV" not in body
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    # no decision yet, so no buttons to answer it
    assert 'id="accept-button"' not in body
    assert 'id="withdraw-button"' in body


def test_complainant_adds_information_with_an_attachment(client):
    complaint, token = make_complaint()
    upload = SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\nrest", content_type="image/png")
    response = client.post(
        f"/track/{token}/message/", {"body": "Here is a photo of the box.", "attachments": [upload]}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/track/{token}/"
    message = Message.objects.get(complaint=complaint)
    assert message.direction == "in" and message.author is None
    assert message.attachments.get().original_name == "photo.png"
    page = client.get(response["Location"]).content.decode()
    assert "Here is a photo of the box." in page
    assert "photo.png" in page


def test_empty_message_is_a_field_error(client):
    _complaint, token = make_complaint()
    response = client.post(f"/track/{token}/message/", {"body": ""})
    assert response.status_code == 422
    assert response.context["message_form"].errors["body"]


def test_decision_is_shown_and_can_be_accepted(client, handler):
    complaint, token = make_complaint()
    advance(complaint, "decision_communicated", by=handler)
    body = client.get(f"/track/{token}/").content.decode()
    assert "we refund the delivery fee" in body
    assert "€4.90" in body
    assert 'id="accept-button"' in body and 'id="decline-button"' in body
    response = client.post(f"/track/{token}/accept/", {"comment": "Thanks."})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.state == "accepted"
    assert AuditEvent.objects.filter(case_id=complaint.pk, action="accept_decision").exists()
    # answering twice is refused with the reason, not a 500
    again = client.post(f"/track/{token}/accept/", {})
    assert again.status_code == 409
    assert "not possible" in again.content.decode()


def test_declining_needs_a_reason_and_opens_internal_review(client, handler):
    complaint, token = make_complaint()
    advance(complaint, "decision_communicated", by=handler)
    missing = client.post(f"/track/{token}/decline/", {"reason": ""})
    assert missing.status_code == 422
    assert missing.context["decline_form"].errors["reason"]
    complaint.refresh_from_db()
    assert complaint.state == "decision_communicated"
    response = client.post(f"/track/{token}/decline/", {"reason": "The refund is too small."})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.state == "internal_review"
    assert complaint.complainant_feedback == "The refund is too small."


def test_withdraw_from_the_tracking_page(client):
    complaint, token = make_complaint()
    response = client.post(
        f"/track/{token}/withdraw/", {"comment": "Sorted out in the shop.", "confirm": "yes"}
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.state == "closed"
    assert complaint.closure_reason == "withdrawn"
    page = client.get(f"/track/{token}/").content.decode()
    assert 'id="withdraw-button"' not in page
    assert "Add information" not in page


@override_settings(PUBLIC_RATE_LIMIT_PER_HOUR=1)
def test_tracking_posts_are_rate_limited(client):
    _complaint, token = make_complaint()
    assert client.post(f"/track/{token}/message/", {"body": "one"}).status_code == 302
    response = client.post(f"/track/{token}/message/", {"body": "two"})
    assert response.status_code == 429
    assert Message.objects.count() == 1


@override_settings(TRACKING_RATE_LIMIT_PER_HOUR=3)
def test_looking_at_tracking_addresses_is_rate_limited_per_client(client):
    """Pages and downloads count alike, found or not (a guesser finds nothing); the refusal says
    when the hour's window ends, in seconds in ``Retry-After`` and in minutes on the page."""
    photo = SimpleUploadedFile("receipt.pdf", b"%PDF-1.4 receipt", content_type="application/pdf")
    token = _token_from(client.post("/complain/", {**VALID, "attachments": [photo]}))
    attachment = Complaint.objects.get().attachments.get()
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 20, 30, tzinfo=dt.UTC), tick=False):
        assert client.get(f"/track/{token}/").status_code == 200
        assert client.get(f"/track/{token}/attachments/{attachment.pk}/").status_code == 200
        assert client.get("/track/a-guess/").status_code == 404
        refused = client.get(f"/track/{token}/")
        assert refused.status_code == 429
        assert refused["Retry-After"] == str(39 * 60 + 30)
        assert refused["Cache-Control"] == "no-store"
        assert "Please try again in 40 minutes." in refused.content.decode()
        assert client.get(f"/track/{token}/attachments/{attachment.pk}/").status_code == 429
        # another address has its own allowance; posting is counted apart
        assert client.get(f"/track/{token}/", REMOTE_ADDR="10.9.8.7").status_code == 200
        assert client.post(f"/track/{token}/message/", {"body": "Still here"}).status_code == 302
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 59, 45, tzinfo=dt.UTC), tick=False):
        refused = client.get(f"/track/{token}/")
        assert refused["Retry-After"] == "15"
        assert "Please try again in 15 seconds." in refused.content.decode()
    with time_machine.travel(dt.datetime(2026, 3, 2, 11, 0, tzinfo=dt.UTC), tick=False):
        assert client.get(f"/track/{token}/").status_code == 200


@override_settings(PUBLIC_RATE_LIMIT_PER_HOUR=1)
def test_a_refused_post_says_the_real_time_left_in_the_visitors_language(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    _complaint, token = make_complaint()
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 50, 1, tzinfo=dt.UTC), tick=False):
        assert client.post(f"/track/{token}/message/", {"body": "one"}).status_code == 302
        refused = client.post(f"/track/{token}/message/", {"body": "two"})
    assert refused.status_code == 429
    assert refused["Retry-After"] == "599"
    assert "Försök igen om 10 minuter." in refused.content.decode()


def test_the_complainant_downloads_their_attachment_but_no_other(client):
    upload = SimpleUploadedFile("receipt.pdf", b"%PDF-1.4 receipt", content_type="application/pdf")
    response = client.post("/complain/", {**VALID, "attachments": [upload]})
    token = _token_from(response)
    attachment = Complaint.objects.get().attachments.get()
    track = client.get(f"/track/{token}/")
    url = f"/track/{token}/attachments/{attachment.pk}/"
    assert url in track.content.decode()

    download = client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 receipt"
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in download["Content-Security-Policy"]
    assert download["Referrer-Policy"] == "same-origin"

    _other, other_token = make_complaint()
    assert client.get(f"/track/{other_token}/attachments/{attachment.pk}/").status_code == 404
    assert client.get(f"/track/wrong-token/attachments/{attachment.pk}/").status_code == 404


def test_an_internal_attachment_is_not_for_the_complainant(client, handler):
    from plaint.core.uploads import check_uploads

    complaint, token = make_complaint()
    note = SimpleUploadedFile("notes.txt", b"internal findings", content_type="text/plain")
    message_post(
        complaint_id=complaint.pk,
        actor=Actor.staff(handler),
        body="Supplier confirmed the fault.",
        internal=True,
        attachments=check_uploads([note]),
    )
    internal = complaint.attachments.get()
    assert internal.public is False
    assert client.get(f"/track/{token}/attachments/{internal.pk}/").status_code == 404
