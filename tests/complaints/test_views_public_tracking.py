"""The tracking page shows the complaint as it was received: its text, the remedy sought and the
files sent with it — escaped, and only what the complainant may see."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from plaint.complaints.models import Complaint
from plaint.complaints.services import message_post
from plaint.core.actors import Actor
from plaint.core.uploads import check_uploads
from tests.complaints.test_views_public import VALID, _token_from
from tests.factories import make_complaint

pytestmark = pytest.mark.django_db


def _section(body: str) -> str:
    """The "Your complaint as we received it" section of the tracking page."""
    match = re.search(r'<section[^>]*id="complaint-as-received".*?</section>', body, re.S)
    assert match, "the tracking page does not show the complaint"
    return match.group(0)


def test_the_tracking_page_shows_the_complaint_as_filed(client):
    receipt = SimpleUploadedFile("receipt.pdf", b"%PDF-1.4 receipt", content_type="application/pdf")
    response = client.post(
        "/complain/",
        {
            **VALID,
            "subject": "",
            "description": "The parcel arrived two weeks late.\n\nThe box was crushed.",
            "desired_outcome": "Refund the delivery fee.",
            "attachments": [receipt],
        },
    )
    token = _token_from(response)
    complaint = Complaint.objects.get()
    # The page opens in the case's language unless the visitor chose one: read it in English.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(f"/track/{token}/").content.decode()
    section = _section(body)
    assert "Your complaint as we received it" in section
    # the text with its paragraphs, and the remedy the person asked for
    assert "<p>The parcel arrived two weeks late.</p>" in section
    assert "<p>The box was crushed.</p>" in section
    assert "What would put it right?" in section
    assert "Refund the delivery fee." in section
    assert "Parcel delivery" in section  # the product named on the form
    # the file sent with the complaint, with its download link
    attachment = complaint.attachments.get()
    assert f'href="/track/{token}/attachments/{attachment.pk}/"' in section
    assert "receipt.pdf" in section
    # the subject made from the text is the first words of it, whole
    assert complaint.subject == "The parcel arrived two weeks late. The box was crushed."


def test_the_complainants_text_is_escaped(client):
    _complaint, token = make_complaint(
        description='<script>alert("x")</script> & <b>bold</b>',
        desired_outcome="<img src=x onerror=alert(1)>",
    )
    section = _section(client.get(f"/track/{token}/").content.decode())
    assert "<script>" not in section and "<img" not in section and "<b>" not in section
    assert "&lt;script&gt;" in section and "&lt;img src=x" in section


def test_without_a_remedy_sought_there_is_no_empty_heading(client):
    _complaint, token = make_complaint(description="The parcel was late.", desired_outcome="")
    section = _section(client.get(f"/track/{token}/").content.decode())
    assert "The parcel was late." in section
    assert "What would put it right?" not in section


def test_later_and_internal_files_are_not_shown_as_sent_with_the_complaint(client, handler):
    complaint, token = make_complaint()
    message_post(
        complaint_id=complaint.pk,
        actor=Actor.complainant(),
        body="Here is a photo.",
        attachments=check_uploads(
            [SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\nrest", content_type="image/png")]
        ),
    )
    message_post(
        complaint_id=complaint.pk,
        actor=Actor.staff(handler),
        body="Supplier confirmed the fault.",
        internal=True,
        attachments=check_uploads(
            [SimpleUploadedFile("notes.txt", b"internal findings", content_type="text/plain")]
        ),
    )
    body = client.get(f"/track/{token}/").content.decode()
    section = _section(body)
    assert "photo.png" not in section and "notes.txt" not in section
    assert "photo.png" in body  # with the messages, as before
    assert "notes.txt" not in body


def test_a_persian_text_reads_right_to_left_on_an_english_page(client):
    text = "بسته دو هفته دیر رسید و جعبه له شده بود."
    _complaint, token = make_complaint(language="fa", description=text, desired_outcome="بازپرداخت")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the visitor switched to English
    body = client.get(f"/track/{token}/").content.decode()
    assert '<html lang="en" dir="ltr">' in body
    section = _section(body)
    assert re.search(r'<div class="text" dir="auto" id="complaint-description"><p>' + text, section)
    assert 'dir="auto" id="complaint-desired-outcome"><p>بازپرداخت</p>' in section
