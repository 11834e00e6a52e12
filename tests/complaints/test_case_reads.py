"""The access log: every staff read of a case writes one row saying who, which case, when and
how; the complainant's tracking page writes none; auditors and admins read the log on a page, as
CSV and through the API, filtered by person, case and period, newest first, in keyset pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plaint.complaints.models import CaseRead
from plaint.complaints.services import case_read_record, message_post
from plaint.core.actors import Actor
from plaint.core.uploads import check_uploads
from tests.api_client import ApiClient, assert_problem
from tests.factories import UserFactory, make_complaint

pytestmark = pytest.mark.django_db


def _reads() -> list[tuple[str, str, str]]:
    return [
        (r.user.username, r.complaint.reference, r.via)
        for r in CaseRead.objects.select_related("user", "complaint").order_by("id")
    ]


def _with_attachment(handler):
    complaint, token = make_complaint()
    upload = SimpleUploadedFile("receipt.txt", b"paid 20 EUR\n", content_type="text/plain")
    message_post(
        complaint_id=complaint.pk,
        actor=Actor.staff(handler),
        body="Here is the receipt.",
        internal=False,
        attachments=check_uploads([upload]),
    )
    return complaint, token, complaint.attachments.get()


# --- what is written -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["", "step/assess/", "assign/"],
    ids=["case page", "a step's page", "the assign page"],
)
def test_a_staff_page_of_the_case_writes_one_page_read(client, handler, path):
    complaint, _token = make_complaint()
    client.force_login(handler)
    response = client.get(f"/staff/complaints/{complaint.reference}/{path}")
    assert response.status_code == 200
    assert _reads() == [("hans", complaint.reference, "page")]


def test_an_attachment_download_writes_one_attachment_read(client, handler):
    complaint, _token, attachment = _with_attachment(handler)
    client.force_login(handler)
    response = client.get(f"/staff/complaints/{complaint.reference}/attachments/{attachment.pk}/")
    assert response.status_code == 200
    b"".join(response.streaming_content)
    assert _reads() == [("hans", complaint.reference, "attachment")]


def test_the_api_detail_writes_one_api_read(handler):
    complaint, _token = make_complaint()
    response = ApiClient(handler).get(f"/complaints/{complaint.reference}")
    assert response.status_code == 200
    assert _reads() == [("hans", complaint.reference, "api")]


def test_an_api_download_gives_the_file_and_writes_one_attachment_read(handler):
    complaint, _token, attachment = _with_attachment(handler)
    api = ApiClient(handler)
    response = api.get(f"/complaints/{complaint.reference}/attachments/{attachment.pk}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"paid 20 EUR\n"
    assert response["Content-Type"] == "text/plain"
    assert response["Content-Disposition"] == 'attachment; filename="receipt.txt"'
    assert response["Content-Length"] == "12"
    assert _reads() == [("hans", complaint.reference, "attachment")]
    # another case's file, or none, through this case: a problem, and no read is logged
    other, _ = make_complaint()
    for path in (
        f"/complaints/{other.reference}/attachments/{attachment.pk}",
        f"/complaints/{complaint.reference}/attachments/999999",
    ):
        assert_problem(api.get(path), 404, "not_found")
    anonymous = ApiClient().get(f"/complaints/{complaint.reference}/attachments/1")
    assert_problem(anonymous, 401, "unauthenticated")
    assert len(_reads()) == 1


def test_an_auditors_read_is_logged_like_anyone_elses(client, auditor):
    complaint, _token = make_complaint()
    client.force_login(auditor)
    assert client.get(f"/staff/complaints/{complaint.reference}/").status_code == 200
    assert _reads() == [("aino", complaint.reference, "page")]


def test_the_complainants_tracking_page_and_download_write_nothing(client, handler):
    _complaint, token, attachment = _with_attachment(handler)
    assert client.get(f"/track/{token}/").status_code == 200
    download = client.get(f"/track/{token}/attachments/{attachment.pk}/")
    assert download.status_code == 200
    assert CaseRead.objects.count() == 0


def test_what_is_not_shown_is_not_logged(client, handler):
    """A case the reader never saw (no such case, no such attachment, the queue) leaves no row."""
    complaint, _token = make_complaint()
    client.force_login(handler)
    assert client.get("/staff/complaints/C-2000-999999/").status_code == 404
    missing = f"/staff/complaints/{complaint.reference}/attachments/999999/"
    assert client.get(missing).status_code == 404
    assert client.get("/staff/").status_code == 200
    assert CaseRead.objects.count() == 0


# --- the auditor's page ----------------------------------------------------------------------


@pytest.fixture
def log(handler, other_handler):
    """Reads at known times: hans read A twice and B once, olga read B once."""
    a, _ = make_complaint()
    b, _ = make_complaint()
    moments = [
        (handler, a, "page", dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)),
        (other_handler, b, "api", dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC)),  # 2 Mar Tallinn
        (handler, b, "attachment", dt.datetime(2026, 3, 3, 8, 0, tzinfo=dt.UTC)),
        (handler, a, "page", dt.datetime(2026, 3, 4, 8, 0, tzinfo=dt.UTC)),
    ]
    for user, complaint, via, at in moments:
        with time_machine.travel(at, tick=False):
            case_read_record(user=user, complaint=complaint, via=via)
    return {"a": a.reference, "b": b.reference}


def _page_rows(body: str) -> list[tuple[str, str, str]]:
    table = body.split('<table class="read-log">')[1].split("</table>")[0]
    return re.findall(
        r"<td>([^<]+)</td>\s*<td><a href=\"/staff/complaints/([^/]+)/\">[^<]+</a></td>\s*"
        r"<td>([^<]+)</td>",
        table,
    )


def test_the_auditor_sees_every_read_newest_first(client, auditor, log):
    client.force_login(auditor)
    response = client.get("/staff/audit/reads/")
    assert response.status_code == 200
    body = response.content.decode()
    assert _page_rows(body) == [
        ("hans", log["a"], "Staff page"),
        ("hans", log["b"], "Attachment download"),
        ("olga", log["b"], "API"),
        ("hans", log["a"], "Staff page"),
    ]
    # when: in the organisation's time zone (Tallinn, UTC+2 in March)
    assert 'datetime="2026-03-02T01:30:00+02:00"' in body


def test_the_page_filters_by_person_case_and_period(client, auditor, handler, log):
    client.force_login(auditor)
    by_person = client.get("/staff/audit/reads/", {"user": handler.pk}).content.decode()
    assert [row[0] for row in _page_rows(by_person)] == ["hans"] * 3
    by_case = client.get("/staff/audit/reads/", {"case": log["b"].lower()}).content.decode()
    assert [row[1] for row in _page_rows(by_case)] == [log["b"], log["b"]]
    # 2 March in Tallinn: olga's read at 23:30 UTC on 1 March, not hans's at 09:00 that day
    one_day = client.get("/staff/audit/reads/", {"start": "2026-03-02", "end": "2026-03-02"})
    assert _page_rows(one_day.content.decode()) == [("olga", log["b"], "API")]
    everything = {"user": handler.pk, "case": log["a"], "start": "2026-03-04"}
    combined = client.get("/staff/audit/reads/", everything).content.decode()
    assert _page_rows(combined) == [("hans", log["a"], "Staff page")]


def test_the_page_refuses_filters_out_of_bounds(client, auditor, log):
    client.force_login(auditor)
    backwards = client.get("/staff/audit/reads/", {"start": "2026-03-04", "end": "2026-03-01"})
    assert backwards.status_code == 400
    assert "The end of the period comes before its start." in backwards.content.decode()
    assert client.get("/staff/audit/reads/", {"start": "1900-01-01"}).status_code == 400
    assert client.get("/staff/audit/reads/", {"cursor": "not-a-cursor"}).status_code == 400


def test_the_page_goes_through_every_read_in_keyset_pages(client, auditor, handler):
    complaint, _ = make_complaint()
    for minute in range(53):
        with time_machine.travel(dt.datetime(2026, 3, 1, 9, minute, tzinfo=dt.UTC), tick=False):
            case_read_record(user=handler, complaint=complaint, via="page")
    client.force_login(auditor)
    first = client.get("/staff/audit/reads/")
    assert len(_page_rows(first.content.decode())) == 50
    next_url = first.context["next_url"]
    assert next_url
    second = client.get("/staff/audit/reads/" + next_url)
    assert len(_page_rows(second.content.decode())) == 3
    assert second.context["next_url"] is None
    seen = [r.pk for r in first.context["rows"]] + [r.pk for r in second.context["rows"]]
    assert seen == list(CaseRead.objects.order_by("-at", "-id").values_list("pk", flat=True))


def _statements(client, params) -> int:
    client.get("/staff/audit/reads/", params)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/staff/audit/reads/", params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_page_runs_the_same_statements_for_5_or_50_reads_of_many_people(client, auditor):
    client.force_login(auditor)
    small_case, _ = make_complaint()
    case_read_record(user=auditor, complaint=small_case, via="page")
    few = _statements(client, {})
    few_by_case = _statements(client, {"case": small_case.reference})
    for k in range(50):
        reader = UserFactory(username=f"reader{k}", role="handler")
        complaint, _ = make_complaint()
        case_read_record(user=reader, complaint=complaint, via="api")
    assert _statements(client, {}) == few
    assert _statements(client, {"case": small_case.reference}) == few_by_case


@pytest.mark.parametrize("role", ["handler", "manager"])
def test_handlers_and_managers_are_refused(client, role):
    client.force_login(UserFactory(username="someone", role=role))
    assert client.get("/staff/audit/reads/").status_code == 403
    assert client.get("/staff/audit/reads/export/").status_code == 403
    assert "/staff/audit/reads/" not in client.get("/staff/").content.decode()


def test_the_header_links_the_log_for_auditors_and_admins(client, auditor, admin_user):
    for user in (auditor, admin_user):
        client.force_login(user)
        assert 'href="/staff/audit/reads/"' in client.get("/staff/").content.decode()
        assert client.get("/staff/audit/reads/").status_code == 200


def test_the_csv_export_streams_the_filtered_log(client, auditor, handler, log):
    client.force_login(auditor)
    response = client.get("/staff/audit/reads/export/", {"user": handler.pk, "case": log["b"]})
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = b"".join(response.streaming_content).decode().lstrip("\ufeff").splitlines()
    assert lines == [
        "When,Who,Case,How,How (label)",
        f"2026-03-03T10:00:00+02:00,hans,{log['b']},attachment,Attachment download",
    ]


# --- the API ---------------------------------------------------------------------------------


def test_the_api_lists_the_log_with_the_same_filters_and_pages(auditor, handler, log):
    api = ApiClient(auditor)
    response = api.get("/audit/case-reads", {"user": handler.pk, "limit": 2})
    assert response.status_code == 200, response.content
    first = response.json()
    assert [(i["user"]["username"], i["case"], i["via"]) for i in first["items"]] == [
        ("hans", log["a"], "page"),
        ("hans", log["b"], "attachment"),
    ]
    rest = api.get(
        "/audit/case-reads", {"user": handler.pk, "limit": 2, "cursor": first["next_cursor"]}
    )
    assert [(i["case"], i["at"]) for i in rest.json()["items"]] == [
        (log["a"], "2026-03-01T09:00:00Z")
    ]
    assert rest.json()["next_cursor"] is None
    period = api.get(
        "/audit/case-reads", {"case": log["b"], "start": "2026-03-02", "end": "2026-03-02"}
    )
    assert [i["user"]["username"] for i in period.json()["items"]] == ["olga"]


def test_the_api_refuses_others_and_bad_filters_as_problems(handler, manager, auditor, log):
    assert_problem(ApiClient(handler).get("/audit/case-reads"), 403, "not_allowed")
    assert_problem(ApiClient(manager).get("/audit/case-reads"), 403, "not_allowed")
    api = ApiClient(auditor)
    assert_problem(api.get("/audit/case-reads", {"start": "1900-01-01"}), 422, "validation_failed")
    backwards = api.get("/audit/case-reads", {"start": "2026-03-04", "end": "2026-03-01"})
    assert_problem(backwards, 422, "validation_failed")
    assert_problem(api.get("/audit/case-reads", {"cursor": "x"}), 422, "validation_failed")


def test_reading_the_log_is_not_itself_a_read_of_a_case(client, auditor, log):
    before = CaseRead.objects.count()
    client.force_login(auditor)
    client.get("/staff/audit/reads/")
    ApiClient(auditor).get("/audit/case-reads")
    assert CaseRead.objects.count() == before


def test_the_api_runs_the_same_statements_for_1_or_30_reads(auditor):
    api = ApiClient(auditor)
    first, _ = make_complaint()
    case_read_record(user=auditor, complaint=first, via="page")

    def statements() -> int:
        api.get("/audit/case-reads")
        with CaptureQueriesContext(connection) as ctx:
            response = api.get("/audit/case-reads")
        assert response.status_code == 200
        return len(ctx.captured_queries)

    one = statements()
    for k in range(30):
        complaint, _ = make_complaint()
        reader = UserFactory(username=f"api-reader{k}", role="handler")
        case_read_record(user=reader, complaint=complaint, via="api")
    assert len(api.get("/audit/case-reads").json()["items"]) == 31
    assert statements() == one
