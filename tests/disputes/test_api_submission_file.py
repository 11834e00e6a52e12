"""A dispute submission with its file through the API (``POST /disputes/{id}/submissions/
with-file``, multipart/form-data): kept in the dispute's file, named by the submission, downloaded
as one of the complaint's files; a refused file stores nothing; a retry answers the first."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from plaint.core.models import Attachment
from plaint.disputes.models import Submission
from tests.api_client import ApiClient, assert_problem
from tests.core.test_openapi import assert_matches_schema
from tests.disputes.cases import decided_complaint, provider_with_all_methods, refer

pytestmark = pytest.mark.django_db

LOG = b"SALE 129.00 EUR 2026-11-03\nSALE 129.00 EUR 2026-11-03\n"


@pytest.fixture
def open_dispute(manager, handler):
    dispute = refer(handler, decided_complaint(handler), provider_with_all_methods(manager))
    ApiClient(handler).post(f"/disputes/{dispute.pk}/position", {"position": "Our view."})
    return dispute


def _send(api: ApiClient, dispute_id: int, upload, *, key: str = "", **fields):
    form = {"side": "organisation", "kind": "submission", "body": "The terminal's log."}
    headers = api.headers({"Idempotency-Key": key} if key else {})
    return api.client.post(
        f"/api/v1/disputes/{dispute_id}/submissions/with-file",
        {**form, **fields, "attachment": upload},
        headers=headers,
    )


def _log(name: str = "terminal.txt", body: bytes = LOG):
    return SimpleUploadedFile(name, body, "text/plain")


def test_the_file_is_kept_in_the_dispute_s_file_and_downloads_as_the_complaint_s(
    client, handler, open_dispute
):
    api = ApiClient(handler)

    response = _send(api, open_dispute.pk, _log())

    assert response.status_code == 201, response.content
    document = client.get("/api/v1/openapi.json").json()
    assert assert_matches_schema(document, response) == (
        "post",
        "/api/v1/disputes/{dispute_id}/submissions/with-file",
    )
    form = document["paths"]["/api/v1/disputes/{dispute_id}/submissions/with-file"]["post"]
    assert list(form["requestBody"]["content"]) == ["multipart/form-data"]
    added = response.json()
    assert added["side"] == "organisation" and added["text"] == "The terminal's log."
    file = added["file"]
    assert (file["name"], file["content_type"], file["size"]) == ("terminal.txt", "text/plain", 54)
    attachment = Attachment.objects.get(pk=file["id"])
    assert attachment.complaint_id == open_dispute.complaint_id and not attachment.public
    reference = open_dispute.complaint.reference
    complaint_files = api.get(f"/complaints/{reference}").json()["attachments"]
    [kept] = [f for f in complaint_files if f["id"] == file["id"]]
    assert kept["kept_in"]["api"] == f"/api/v1/disputes/{open_dispute.pk}"
    download = api.get(f"/complaints/{reference}/attachments/{file['id']}")
    assert b"".join(download.streaming_content) == LOG


def test_a_retry_with_the_same_key_answers_the_first_and_another_file_is_refused(
    handler, open_dispute
):
    api = ApiClient(handler)

    first = _send(api, open_dispute.pk, _log(), key="sub-7")
    again = _send(api, open_dispute.pk, _log(), key="sub-7")
    other = _send(api, open_dispute.pk, _log(body=b"another log"), key="sub-7")

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert_problem(other, 422, "idempotency_mismatch")
    assert Submission.objects.filter(dispute=open_dispute, kind="submission").count() == 1


def test_a_refused_file_stores_nothing_and_names_the_part(handler, open_dispute):
    api = ApiClient(handler)
    before = Attachment.objects.count()
    disguised = SimpleUploadedFile("leping.pdf", b"<html>not a pdf</html>", "application/pdf")

    response = _send(api, open_dispute.pk, disguised, **{"side": "complainant"})

    problem = assert_problem(response, 422, "validation_failed")
    assert "leping.pdf" in problem["errors"]["attachment"][0]
    assert Attachment.objects.count() == before
    assert not Submission.objects.filter(dispute=open_dispute, side="complainant").exists()


def test_without_the_file_or_with_an_unknown_side_it_says_what_to_fix(handler, open_dispute):
    api = ApiClient(handler)

    no_file = api.client.post(
        f"/api/v1/disputes/{open_dispute.pk}/submissions/with-file",
        {"side": "organisation", "kind": "submission", "body": "No file."},
        headers=api.headers(),
    )
    bad_side = _send(api, open_dispute.pk, _log(), side="the neighbour")

    assert "attachment" in assert_problem(no_file, 422, "validation_failed")["errors"]
    assert "side" in assert_problem(bad_side, 422, "validation_failed")["errors"]
    assert not Submission.objects.filter(dispute=open_dispute, kind="submission").exists()


def test_an_auditor_may_not_add_one(auditor, open_dispute):
    assert_problem(_send(ApiClient(auditor), open_dispute.pk, _log()), 403, "not_allowed")
