"""The ways files come and go, with the object store as the default storage (PLAINT_FILE_STORE=s3,
a real S3-compatible server): attachments up and down with the same checks and headers as the
local folder, the imports' kept files, raw mails (a person's export and erasure:
tests/privacy/test_object_store.py)."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from plaint.core.uploads import check_uploads
from plaint.mailin.selectors import inbound_read
from plaint.mailin.services import mail_receive
from tests.complaints import test_views_imports as history_pages
from tests.complaints.test_views_public import VALID, _token_from
from tests.factories import make_complaint
from tests.surveys import test_views_staff as survey_pages
from tests.surveys.factories import make_survey

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 " + bytes(range(256)) * 600  # 150 kB: more than one block of a download
HEADERS = [
    "Content-Type", "Content-Length", "Content-Disposition", "Content-Security-Policy",
    "X-Content-Type-Options", "Cache-Control", "Referrer-Policy",
]  # fmt: skip


def _keys(store) -> list[str]:
    listing = store.client().list_objects_v2(Bucket=store.bucket)
    return sorted(entry["Key"] for entry in listing.get("Contents", []))


def _file_and_download(client) -> tuple[bytes, dict[str, str], str]:
    upload = SimpleUploadedFile("receipt.pdf", PDF, content_type="application/pdf")
    token = _token_from(client.post("/complain/", {**VALID, "attachments": [upload]}))
    track = client.get(f"/track/{token}/").content.decode()
    url = re.search(rf'href="(/track/{token}/attachments/\d+/)"', track).group(1)
    response = client.get(url)
    assert response.status_code == 200 and response.streaming
    return b"".join(response.streaming_content), {h: response[h] for h in HEADERS}, url


@pytest.fixture
def local_download(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return _file_and_download(client)


def test_the_complainant_downloads_from_the_store_what_the_local_folder_sends(
    local_download, client, object_store
):
    local_body, local_headers, _ = local_download
    body, headers, url = _file_and_download(client)
    assert body == local_body == PDF
    assert headers == local_headers
    assert [k for k in _keys(object_store) if k.endswith("/receipt.pdf")]
    # the same checks as ever: another case's link does not reach this file
    _other, other_token = make_complaint()
    attachment_id = url.rstrip("/").rsplit("/", 1)[1]
    assert client.get(f"/track/{other_token}/attachments/{attachment_id}/").status_code == 404


def test_staff_download_from_the_store_is_checked_and_recorded(client, handler, object_store):
    upload = SimpleUploadedFile("notes.txt", b"internal findings", content_type="text/plain")
    complaint, _token = make_complaint(attachments=check_uploads([upload]))
    attachment = complaint.attachments.get()
    url = f"/staff/complaints/{complaint.reference}/attachments/{attachment.pk}/"
    assert client.get(url).status_code == 302  # to the sign-in page
    client.force_login(handler)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"internal findings"
    assert response["Content-Length"] == "17" and response["Cache-Control"] == "private, no-store"


def test_a_history_import_keeps_its_file_in_the_store_until_it_is_imported(
    client, manager, object_store
):
    client.force_login(manager)
    history_pages.test_upload_map_dry_run_then_import(client)  # upload → mapping → dry run → import
    assert _keys(object_store) == []  # the real import removed the kept file


def test_a_survey_import_reads_its_kept_file_from_the_store(client, manager, object_store):
    survey = make_survey(manager, quiet_period_days=0)
    survey_pages.test_a_stored_upload_is_imported_once_then_gone(client, manager, survey)
    assert _keys(object_store) == []


def test_a_raw_mail_is_kept_in_the_store_and_read_back(object_store):
    raw = (
        b"From: Mari <mari@example.org>\r\nTo: complaints@example.com\r\nSubject: Late parcel\r\n"
        b"Message-ID: <s3@example.org>\r\n\r\nThe parcel is two weeks late.\r\n"
    )
    row = mail_receive(raw=raw, source="test")
    assert _keys(object_store) == [row.raw.name]
    assert (
        object_store.client()
        .get_object(Bucket=object_store.bucket, Key=row.raw.name)["Body"]
        .read()
        == raw
    )
    assert "two weeks late" in inbound_read(row).text
