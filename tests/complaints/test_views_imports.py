"""The staff pages of the complaint history import: upload → mapping → dry run → import, the
worker's run followed on its page, and the manager's right."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from plaint.complaints.models import Complaint, ComplaintImport

SAMPLE = Path(__file__).parent / "data" / "cfpb_sample.csv"


@pytest.fixture
def signed_in(client, manager):
    client.force_login(manager)
    return client


def _upload(client):
    file = SimpleUploadedFile("cfpb.csv", SAMPLE.read_bytes(), content_type="text/csv")
    r = client.post("/staff/history/import/", {"file": file, "source": "cfpb", "encoding": "auto"})
    assert r.status_code == 302, r.content[:2000]
    return r["Location"]


def _mapping(client, url: str) -> dict[str, str]:
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Complaint ID" in html and "8013001" in html
    form = page.context["form"]
    data = {k: v for k, v in form.initial.items() if isinstance(v, str)}
    data["values_channel"] = "Referral | letter\nPostal mail | letter\nFax | letter"
    data["values_remedy"] = (
        "Closed with monetary relief | compensation\nClosed with explanation | explanation\n"
        "Closed with non-monetary relief | other\nIn progress |"
    )
    data["dates"] = "month_first"
    return data


def test_upload_map_dry_run_then_import(signed_in):
    url = _upload(signed_in)
    data = _mapping(signed_in, url)
    r = signed_in.post(url, {**data, "dry_run": "1", "save_as": "CFPB"})
    assert r.status_code == 302, r.content[:3000]
    dry = signed_in.get(r["Location"])
    assert dry.status_code == 200
    html = dry.content.decode()
    assert re.search(r'id="count-created">8<', html) and re.search(r'id="count-refused">4<', html)
    assert "Carrier pigeon" in html
    assert not Complaint.objects.exists()
    record = ComplaintImport.objects.get()
    r = signed_in.post(f"/staff/history/imports/{record.pk}/")
    assert r.status_code == 302
    assert Complaint.objects.filter(external_source="cfpb").count() == 8
    done = signed_in.get(r["Location"]).content.decode()
    assert re.search(r'id="count-created">8<', done)


def test_a_large_file_is_followed_while_the_worker_runs_it(signed_in, settings, run_jobs):
    settings.HISTORY_IMPORT_INLINE_BYTES = 100
    url = _upload(signed_in)
    r = signed_in.post(url, _mapping(signed_in, url))
    page = signed_in.get(r["Location"]).content.decode()
    assert 'http-equiv="refresh"' in page and "<progress" in page
    run_jobs()
    page = signed_in.get(r["Location"]).content.decode()
    assert 'http-equiv="refresh"' not in page
    assert Complaint.objects.count() == 8


def test_a_bad_mapping_is_shown_on_the_form(signed_in):
    url = _upload(signed_in)
    data = _mapping(signed_in, url)
    data["col_external_id"] = ""
    r = signed_in.post(url, data)
    assert r.status_code == 422
    assert "ID in the other system" in r.content.decode() or "external_id" in r.content.decode()


def test_only_managers_see_the_pages(client, handler):
    client.force_login(handler)
    assert client.get("/staff/history/import/").status_code == 403


def test_an_imported_case_shows_its_dated_history(signed_in):
    url = _upload(signed_in)
    signed_in.post(url, _mapping(signed_in, url))
    case = Complaint.objects.get(external_id="8013003")
    page = signed_in.get(f"/staff/complaints/{case.reference}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Imported from another system" in html
    assert "2024" in html  # the steps at their original dates
