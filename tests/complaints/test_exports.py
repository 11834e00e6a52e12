"""The complaint register as CSV and XLSX: the queue's filters, formula-safe cells, translated
headers with stable codes, personal data only for managers (audited), constant statements."""

from __future__ import annotations

import csv
import hashlib
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import load_workbook

from plaint.complaints import selectors
from plaint.complaints.models import Complaint
from plaint.complaints.services.exports import EXPORT_CASE_TYPE
from plaint.core.models import AuditEvent
from tests.api_client import PROBLEM, ApiClient
from tests.factories import advance, make_complaint

pytestmark = pytest.mark.django_db

URL = "/staff/export/"


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def _xlsx(response) -> list[list[object]]:
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def test_the_export_holds_what_the_queue_shows_for_the_same_filters(client, handler):
    kept, _token = make_complaint(subject="Broken kettle")
    advance(kept, "assessed", by=handler)
    make_complaint(subject="Late parcel")  # only acknowledged: filtered out
    client.force_login(handler)

    rows = _csv(client.get(URL, {"state": "assessed", "format": "csv"}))

    header, body = rows[0], rows[1:]
    assert [row[header.index("Reference")] for row in body] == [kept.reference]
    assert body[0][header.index("State")] == "assessed"
    assert body[0][header.index("State (label)")] == "Assessed"
    assert body[0][header.index("Subject")] == "Broken kettle"


def test_no_complainant_data_by_default(client, handler):
    make_complaint(name="Mari Maasikas", email="mari@example.org")
    client.force_login(handler)

    text = b"".join(client.get(URL).streaming_content).decode()

    assert "Mari" not in text and "mari@example.org" not in text


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_written_as_text(client, handler):
    make_complaint(subject='=HYPERLINK("http://evil.example")')
    client.force_login(handler)

    csv_rows = _csv(client.get(URL, {"format": "csv"}))
    xlsx_rows = _xlsx(client.get(URL, {"format": "xlsx"}))

    assert csv_rows[1][csv_rows[0].index("Subject")].startswith("'=")
    assert xlsx_rows[1][xlsx_rows[0].index("Subject")].startswith("'=")


def test_the_header_is_in_the_readers_language_and_the_codes_stay(client, handler):
    make_complaint()
    client.force_login(handler)
    with translation.override("et"):
        rows = _csv(client.get(URL, headers={"accept-language": "et"}))
        channel = translation.gettext("Channel")

    assert channel != "Channel"
    assert channel in rows[0]
    assert rows[1][rows[0].index(channel)] == "web"


def test_an_auditor_exports_too(client, auditor):
    make_complaint()
    client.force_login(auditor)

    assert client.get(URL).status_code == 200


def test_personal_data_is_for_managers_and_is_audited(client, manager, handler):
    make_complaint(name="Mari Maasikas", email="mari@example.org")
    client.force_login(handler)
    refused = client.get(URL, {"include_personal": "1"})
    assert refused.status_code == 403
    assert not AuditEvent.objects.filter(case_type=EXPORT_CASE_TYPE).exists()

    client.force_login(manager)
    rows = _xlsx(
        client.get(URL, {"include_personal": "1", "format": "xlsx", "state": "acknowledged"})
    )

    assert rows[1][rows[0].index("Name")] == "Mari Maasikas"
    assert rows[1][rows[0].index("E-mail")] == "mari@example.org"
    event = AuditEvent.objects.get(case_type=EXPORT_CASE_TYPE, case_id=manager.pk)
    assert event.action == "register_exported_with_personal_data"
    assert event.data == {"filters": "state=acknowledged", "format": "xlsx"}


def test_every_export_is_recorded_and_a_search_stays_outside_the_hash(client, handler):
    client.force_login(handler)
    client.get(URL, {"state": "acknowledged", "q": "Mari Maasikas"})
    event = AuditEvent.objects.get(case_type=EXPORT_CASE_TYPE, case_id=handler.pk)
    assert event.action == "register_exported"
    assert event.data["filters"] == "state=acknowledged" and event.data["format"] == "csv"
    assert "Mari" not in str(event.data) and event.personal["search"] == "Mari Maasikas"
    salted = f"{event.personal['salt']}:Mari Maasikas"
    assert event.data["search_digest"] == hashlib.sha256(salted.encode()).hexdigest()


def test_a_bad_parameter_is_a_clear_error_not_a_file(client, handler):
    client.force_login(handler)

    response = client.get(URL, {"format": "pdf", "state": "nonsense"})

    assert response.status_code == 422
    assert b"Choose csv or xlsx." in response.content


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_same_statements_for_three_cases_or_thirty(client, manager, file_format, monkeypatch):
    monkeypatch.setattr(selectors, "REGISTER_CHUNK", 4)  # thirty cases are eight chunks
    client.force_login(manager)

    def statements(cases: int) -> int:
        for _ in range(cases):
            make_complaint()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(URL, {"format": file_format, "include_personal": "1"})
            content = b"".join(response.streaming_content)
        if file_format == "csv":
            lines = content.decode("utf-8").splitlines()
        else:
            lines = list(load_workbook(io.BytesIO(content), read_only=True).active.iter_rows())
        assert len(lines) == Complaint.objects.count() + 1
        return len(ctx.captured_queries)

    assert statements(3) == statements(27)


def test_the_queue_links_to_the_export_of_its_filters(client, handler, manager):
    client.force_login(handler)
    page = client.get("/staff/", {"state": "assessed", "sort": "oldest"}).content.decode()

    assert f"{URL}?sort=oldest&amp;state=assessed&amp;format=csv" in page
    assert "include_personal" not in page
    client.force_login(manager)
    assert "include_personal=1" in client.get("/staff/", {"sort": "oldest"}).content.decode()


# --- the API -------------------------------------------------------------------------------------


def test_the_api_exports_with_the_queues_filters(handler):
    acknowledged, _token = make_complaint(subject="Gas smell")
    advance(acknowledged, "assessed", by=handler)
    make_complaint(subject="Late parcel")
    api = ApiClient(handler)

    response = api.get("/complaints/export", {"state": "assessed", "format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    assert [row[0] for row in rows[1:]] == [acknowledged.reference]


def test_the_api_refuses_personal_data_to_a_handler_before_reading_anything(handler):
    response = ApiClient(handler).get("/complaints/export", {"include_personal": "1"})

    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM


def test_the_api_gives_a_manager_personal_data_and_records_it(manager):
    make_complaint(name="Mari Maasikas")

    response = ApiClient(manager).get("/complaints/export", {"include_personal": "1"})

    rows = _csv(response)
    assert rows[1][rows[0].index("Name")] == "Mari Maasikas"
    assert AuditEvent.objects.filter(case_type=EXPORT_CASE_TYPE, actor_id=manager.pk).count() == 1


def test_the_api_names_the_bad_parameter(handler):
    response = ApiClient(handler).get("/complaints/export", {"format": "pdf"})

    assert response.status_code == 422
    assert "format" in response.json()["errors"]


def test_a_handler_asking_for_personal_data_is_refused_before_the_filters_are_read(handler):
    response = ApiClient(handler).get(
        "/complaints/export", {"include_personal": "1", "state": "nonsense", "format": "pdf"}
    )

    assert response.status_code == 403
    assert response.json()["errors"] == {}
