"""A message with files through the API (``POST /complaints/{reference}/messages/with-files``,
multipart/form-data): the files are checked as the complaint form checks them, stored with the
message, shown to the complainant only on a message to them, and a refused file stores nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from plaint.complaints.models import Message
from plaint.core.models import Attachment, AuditEvent, OutboundEmail
from tests.api_client import ApiClient, assert_problem
from tests.factories import make_complaint

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _send(client: ApiClient, reference: str, *, body: str = "Here is the receipt.", **fields):
    files = fields.pop("files", None)
    if files is None:
        files = [SimpleUploadedFile("kviitung.pdf", PDF, "application/pdf")]
    return client.client.post(
        f"/api/v1/complaints/{reference}/messages/with-files",
        {"body": body, "files": files, **fields},
        headers=client.headers(),
    )


@pytest.fixture
def as_handler(handler):
    return ApiClient(handler)


def test_a_message_to_the_complainant_carries_its_files_to_their_tracking_page(client, as_handler):
    complaint, token = make_complaint()
    mails = OutboundEmail.objects.count()
    log = SimpleUploadedFile("terminal.txt", b"SALE 129.00 EUR\nREFUND 0.00", "text/plain")
    receipt = SimpleUploadedFile("kviitung.pdf", PDF, "application/pdf")

    response = _send(as_handler, complaint.reference, files=[receipt, log])

    assert response.status_code == 201, response.content
    out = response.json()
    assert out["direction"] == "out" and out["body"] == "Here is the receipt."
    names = [(a["name"], a["content_type"], a["size"], a["public"]) for a in out["attachments"]]
    assert names == [
        ("kviitung.pdf", "application/pdf", len(PDF), True),
        ("terminal.txt", "text/plain", 27, True),
    ]
    assert {a["message_id"] for a in out["attachments"]} == {out["id"]}
    assert OutboundEmail.objects.count() == mails + 1  # the message is mailed, as without files
    page = client.get(f"/track/{token}/").content.decode()
    assert "kviitung.pdf" in page and "terminal.txt" in page
    # and the API gives each file back as it was sent
    first = out["attachments"][0]["id"]
    download = as_handler.get(f"/complaints/{complaint.reference}/attachments/{first}")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def test_the_files_of_an_internal_note_stay_internal(client, as_handler):
    complaint, token = make_complaint()
    mails = OutboundEmail.objects.count()

    response = _send(as_handler, complaint.reference, body="The courier's report.", internal="true")

    assert response.status_code == 201, response.content
    assert response.json()["direction"] == "note"
    assert [a["public"] for a in response.json()["attachments"]] == [False]
    assert OutboundEmail.objects.count() == mails
    assert "kviitung.pdf" not in client.get(f"/track/{token}/").content.decode()


def test_a_refused_file_refuses_the_message_and_stores_nothing(as_handler):
    complaint, _token = make_complaint()
    events = AuditEvent.objects.count()
    good = SimpleUploadedFile("kviitung.pdf", PDF, "application/pdf")
    disguised = SimpleUploadedFile("photo.png", b"MZ\x90\x00 a program", "image/png")

    response = _send(as_handler, complaint.reference, files=[good, disguised])

    problem = assert_problem(response, 422, "validation_failed")
    assert "photo.png" in problem["detail"] and "photo.png" in problem["errors"]["attachments"][0]
    assert not Message.objects.filter(complaint=complaint).exists()
    assert not Attachment.objects.filter(complaint=complaint).exclude(message=None).exists()
    assert AuditEvent.objects.count() == events


def test_the_refusal_speaks_the_caller_s_language(as_handler):
    complaint, _token = make_complaint()
    empty = SimpleUploadedFile("tühi.txt", b"", "text/plain")

    response = as_handler.client.post(
        f"/api/v1/complaints/{complaint.reference}/messages/with-files",
        {"body": "Lisan faili.", "files": [empty]},
        headers=as_handler.headers({"Accept-Language": "et"}),
    )

    problem = assert_problem(response, 422, "validation_failed")
    assert problem["detail"] == "\u201etühi.txt\u201c on tühi."


@override_settings(ATTACHMENT_MAX_COUNT=2)
def test_more_files_than_allowed_are_refused(as_handler):
    complaint, _token = make_complaint()
    files = [SimpleUploadedFile(f"{n}.pdf", PDF, "application/pdf") for n in range(3)]

    response = _send(as_handler, complaint.reference, files=files)

    problem = assert_problem(response, 422, "validation_failed")
    assert problem["errors"]["attachments"] == ["At most 2 files."]
    assert not Message.objects.filter(complaint=complaint).exists()


def test_without_a_file_or_a_text_it_says_what_is_missing(as_handler):
    complaint, _token = make_complaint()

    no_file = as_handler.client.post(
        f"/api/v1/complaints/{complaint.reference}/messages/with-files",
        {"body": "Nothing attached."},
        headers=as_handler.headers(),
    )
    no_text = _send(as_handler, complaint.reference, body="  ")

    assert "files" in assert_problem(no_file, 422, "validation_failed")["errors"]
    assert assert_problem(no_text, 422, "validation_failed")["errors"]["body"]
    assert not Message.objects.filter(complaint=complaint).exists()


def test_a_reader_may_not_send_one_and_a_stranger_is_not_let_in(auditor):
    complaint, _token = make_complaint()

    assert_problem(_send(ApiClient(auditor), complaint.reference), 403, "not_allowed")
    assert_problem(_send(ApiClient(), complaint.reference), 401, "unauthenticated")
    assert not Message.objects.filter(complaint=complaint).exists()


def test_a_retry_with_the_same_files_under_its_key_answers_the_first_message(as_handler):
    complaint, _token = make_complaint()
    mails = OutboundEmail.objects.count()
    key = {"Idempotency-Key": "receipt-1"}

    def send(content: bytes):
        files = [SimpleUploadedFile("kviitung.pdf", content, "application/pdf")]
        return as_handler.client.post(
            f"/api/v1/complaints/{complaint.reference}/messages/with-files",
            {"body": "Here is the receipt.", "files": files},
            headers=as_handler.headers(key),
        )

    first, retry = send(PDF), send(PDF)

    assert first.status_code == 201 and retry.status_code == 200, retry.content
    assert retry.json() == first.json() and len(retry.json()["attachments"]) == 1
    assert Message.objects.filter(complaint=complaint).count() == 1
    assert Attachment.objects.filter(complaint=complaint).count() == 1
    assert OutboundEmail.objects.count() == mails + 1
    # the same fields with another file under the key are another request
    other = send(PDF.replace(b"1.4", b"1.7"))
    assert_problem(other, 422, "idempotency_mismatch")
    assert Attachment.objects.filter(complaint=complaint).count() == 1
