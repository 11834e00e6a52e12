"""The complaint history import over the API: upload, recognised columns, dry run, import, the
worker for a large file, saved mappings, problem+json errors and the manager's right."""

from __future__ import annotations

from pathlib import Path

import pytest

from plaint.complaints.models import Complaint, ImportStatus
from tests.api_client import ApiClient, assert_problem

SAMPLE = Path(__file__).parent / "data" / "cfpb_sample.csv"
VALUES = {
    "channel": {"Referral": "letter", "Postal mail": "letter", "Fax": "letter"},
    "remedy": {
        "Closed with monetary relief": "compensation",
        "Closed with explanation": "explanation",
        "Closed with non-monetary relief": "other",
        "In progress": "",
    },
}


@pytest.fixture
def as_manager(manager):
    return ApiClient(manager)


def upload(client: ApiClient, data: bytes | None = None):
    return client.post(
        "/complaints/imports/uploads?name=cfpb.csv",
        raw=data if data is not None else SAMPLE.read_bytes(),
        content_type="text/csv",
    )


def test_upload_dry_run_then_import(as_manager):
    r = upload(as_manager)
    assert r.status_code == 201, r.content
    stored = r.json()
    assert stored["kind"] == "csv" and stored["header"][0] == "Date received"
    assert stored["recognised"]["external_id"] == "Complaint ID"
    assert stored["preview"][0][17] == "8013001"
    start = {"upload": stored["upload"], "source": "cfpb", "values": VALUES, "dry_run": True}
    r = as_manager.post("/complaints/imports", start)
    assert r.status_code == 201, r.content
    dry = r.json()
    assert (dry["status"], dry["created"], dry["rejected"]) == ("done", 8, 4)
    assert [line for line, _problem in dry["errors"]] == [10, 11, 12, 13]
    assert not Complaint.objects.exists()
    r = as_manager.post("/complaints/imports", {**start, "dry_run": False})
    assert r.json()["created"] == 8
    assert Complaint.objects.filter(external_source="cfpb").count() == 8
    again = as_manager.get(f"/complaints/imports/{r.json()['id']}").json()
    assert again["status"] == "done"
    # imported: the stored file is gone
    assert_problem(as_manager.post("/complaints/imports", start), 404, "not_found")


def test_a_large_file_goes_to_the_worker(as_manager, settings, run_jobs):
    settings.HISTORY_IMPORT_INLINE_BYTES = 100
    stored = upload(as_manager).json()
    r = as_manager.post(
        "/complaints/imports", {"upload": stored["upload"], "source": "cfpb", "values": VALUES}
    )
    record = r.json()
    assert record["status"] == ImportStatus.PENDING
    assert not Complaint.objects.exists()
    run_jobs()
    done = as_manager.get(f"/complaints/imports/{record['id']}").json()
    assert (done["status"], done["created"], done["bytes_read"]) == ("done", 8, done["bytes"])


def test_a_saved_mapping_is_used_by_name(as_manager):
    r = as_manager.post(
        "/complaints/import-mappings",
        {
            "name": "CFPB",
            "source": "cfpb",
            "columns": {
                "external_id": "Complaint ID",
                "received_at": "Date received",
                "subject": "Issue",
            },
            "values": VALUES,
        },
    )
    assert r.status_code == 201, r.content
    assert [m["name"] for m in as_manager.get("/complaints/import-mappings").json()] == ["CFPB"]
    stored = upload(as_manager).json()
    r = as_manager.post("/complaints/imports", {"upload": stored["upload"], "mapping": "CFPB"})
    assert r.json()["created"] == 10  # no channel column mapped: no bad channel, no bad closing
    case = Complaint.objects.get(external_id="8013003")
    assert case.state == "received" and case.product == ""


def test_errors_are_problems(as_manager, handler, settings):
    assert_problem(ApiClient(handler).post("/complaints/imports/uploads", raw=b"a,b\n1,2\n",
                                           content_type="text/csv"), 403, "not_allowed")  # fmt: skip
    stored = upload(as_manager).json()
    body = assert_problem(
        as_manager.post(
            "/complaints/imports",
            {"upload": stored["upload"], "source": "cfpb", "columns": {"subject": "Nope"}},
        ),
        422,
        "validation_failed",
    )
    assert "Nope" in " ".join(body["errors"]["columns"])
    assert_problem(as_manager.get("/complaints/imports/999"), 404, "not_found")
    settings.HISTORY_IMPORT_MAX_BYTES = 1024
    assert_problem(upload(as_manager, b"x," * 2000), 413, "validation_failed")
    settings.HISTORY_IMPORT_MAX_BYTES = 10**9
    assert_problem(upload(as_manager, b""), 422, "validation_failed")
