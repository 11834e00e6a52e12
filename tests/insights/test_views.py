"""The dashboard page, its exports and the volume upload, through the web adapters."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from plaint.insights.models import PeriodVolume, VolumeImport
from plaint.surveys.models import Question
from tests.html import period_inputs

from .factories import add_invitations, add_responses, fixed_answers, make_survey

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 4, 20, 12, tzinfo=dt.UTC)
URL = "/staff/insights/"
FILTERS = {"survey": "handling", "start": "2026-01", "end": "2026-04"}


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def survey(db):
    survey = make_survey()
    for month, seed in ((1, 1), (2, 2), (3, 3)):
        add_responses(
            survey,
            fixed_answers(60, seed=seed),
            submitted=dt.datetime(2026, month, 5, tzinfo=dt.UTC),
            channel=["web"] * 55 + ["phone"] * 5,
        )
    return survey


@pytest.mark.parametrize("role", ["admin", "manager", "handler", "auditor"])
def test_every_staff_role_reads_the_dashboard(client, personas, survey, role):
    client.force_login(personas[role])
    response = client.get(URL, FILTERS)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<svg" in body and "Importance and performance" in body
    assert 'id="table-measures"' in body and 'id="table-indicators"' in body
    assert 'id="table-reliability"' in body and "Cronbach&#x27;s alpha" in body
    assert ("Import volumes" in body) == (role in ("admin", "manager"))


def test_the_period_line_names_one_month_once(client, handler, survey):
    client.force_login(handler)
    body = client.get(URL, FILTERS).content.decode()
    assert "Period: January 2026 to April 2026 (months in UTC)." in body
    one = client.get(URL, FILTERS | {"start": "2026-03", "end": "2026-03"}).content.decode()
    assert "Period: March 2026 (in UTC)." in one
    with_sv = client.get(URL, FILTERS | {"end": "2026-01"}, HTTP_ACCEPT_LANGUAGE="sv")
    assert "Period: januari 2026 (i UTC)." in with_sv.content.decode()
    # Ukrainian puts the months' names (nominative) around a dash, not after "з … до"
    with_uk = client.get(URL, FILTERS, HTTP_ACCEPT_LANGUAGE="uk").content.decode()
    assert "Період: Січень 2026 \u2013 Квітень 2026 (місяці за UTC)." in with_uk


def test_the_month_inputs_show_the_period_the_page_shows(client, handler, survey):
    client.force_login(handler)
    # nothing chosen: the last twelve months up to this one (NOW is April 2026)
    body = client.get(URL).content.decode()
    assert period_inputs(body) == {"start": "2025-05", "end": "2026-04"}
    assert "Period: May 2025 to April 2026 (months in UTC)." in body
    # an end alone: the twelve months up to it; a start alone: from it to this month
    body = client.get(URL, {"survey": "handling", "end": "2026-02"}).content.decode()
    assert period_inputs(body) == {"start": "2025-03", "end": "2026-02"}
    body = client.get(URL, {"survey": "handling", "start": "2026-02"}).content.decode()
    assert period_inputs(body) == {"start": "2026-02", "end": "2026-04"}
    assert "Period: February 2026 to April 2026 (months in UTC)." in body
    # what was chosen stays as typed
    assert period_inputs(client.get(URL, FILTERS).content.decode()) == {
        "start": "2026-01",
        "end": "2026-04",
    }


def test_a_start_alone_after_this_month_is_an_error_on_the_period(client, handler, survey):
    client.force_login(handler)
    response = client.get(URL, {"survey": "handling", "start": "2026-09"})
    assert "The period starts after it ends." in response.content.decode()
    # a month that is no month keeps its own error; the other is not guessed from it
    response = client.get(URL, {"survey": "handling", "end": "2026-13"})
    assert "Give a month like 2026-03." in response.content.decode()
    assert period_inputs(response.content.decode())["start"] == ""


def test_the_page_writes_a_column_with_one_number_of_places(client, handler, survey):
    client.force_login(handler)
    body = client.get(URL, FILTERS, HTTP_ACCEPT_LANGUAGE="et").content.decode()
    table = body[
        body.index('id="table-importance"') : body.index(
            "</table>", body.index('id="table-importance"')
        )
    ]
    cells = [re.findall(r"<td>([^<]*)</td>", row)[1] for row in table.split("<tr>")[2:]]
    assert cells and all(re.fullmatch(r"-?\d,\d{3}", cell) for cell in cells), cells


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_dashboard_without_surveys_shows_indicators(client, handler, manager):
    from plaint.insights.services import volumes_import
    from tests.factories import make_complaint

    make_complaint()
    volumes_import(actor=manager, content=b"month,orders\n2026-04,1500\n")
    client.force_login(handler)
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="table-indicators"' in body
    assert "Complaints per 1,000 orders" in body and "<svg" in body


def test_bad_filters_are_a_400_with_field_errors(client, handler, survey):
    client.force_login(handler)
    response = client.get(URL, FILTERS | {"start": "2026-13", "min_count": "0"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Give a month like 2026-03." in body
    response = client.get(URL, FILTERS | {"start": "2026-05", "end": "2026-01"})
    assert response.status_code == 400
    assert "The period starts after it ends." in response.content.decode()


def test_segment_cells_below_the_minimum_are_hidden(client, handler, survey):
    client.force_login(handler)
    body = client.get(URL, FILTERS | {"breakdown": "channel", "min_count": "20"}).content.decode()
    assert "hidden: fewer than 20 answers" in body
    body = client.get(URL, FILTERS | {"breakdown": "channel", "min_count": "5"}).content.decode()
    assert "hidden: fewer than 5 answers" not in body


def test_planner_form(client, handler, survey):
    client.force_login(handler)
    body = client.get(
        URL,
        FILTERS
        | {
            "plan-margin": "5",
            "plan-confidence": "0.95",
            "plan-population": "1000",
            "plan-response_rate": "25",
        },
    ).content.decode()
    assert "Responses needed: 278." in body
    assert "Invitations to send: 1112." in body
    response = client.get(URL, FILTERS | {"plan-margin": "80", "plan-confidence": "0.95"})
    assert "Ensure this value is less than or equal to 50" in response.content.decode()


def test_comparison_form(client, handler, survey):
    client.force_login(handler)
    body = client.get(
        URL,
        FILTERS
        | {
            "cmp-question": "overall",
            "cmp-a_start": "2026-01",
            "cmp-a_end": "2026-01",
            "cmp-b_start": "2026-03",
            "cmp-b_end": "2026-03",
        },
    ).content.decode()
    assert 'id="table-comparison"' in body and "Welch t-test" in body
    body = client.get(
        URL,
        FILTERS
        | {
            "cmp-question": "overall",
            "cmp-a_start": "2026-01",
            "cmp-a_end": "2026-03",
            "cmp-b_start": "2026-02",
            "cmp-b_end": "2026-03",
        },
    ).content.decode()
    assert "Overlaps the first period." in body


@pytest.mark.parametrize(
    "table", ["measures", "trend", "segments", "importance", "reliability", "indicators"]
)
def test_csv_and_xlsx_exports_hold_the_same_rows(client, handler, survey, table):
    client.force_login(handler)
    response = client.get(f"{URL}export/{table}.csv", FILTERS)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) > 1
    response = client.get(f"{URL}export/{table}.xlsx", FILTERS)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    xrows = [["" if c is None else str(c) for c in r] for r in sheet.iter_rows(values_only=True)]
    assert len(xrows) == len(rows)
    assert xrows[0] == rows[0]
    # Numbers are numbers in the workbook and the same figures in the CSV.
    # (the workbook reader drops empty cells at the end of a row)
    for a, b in zip(rows[1:], xrows[1:], strict=True):
        assert _norm(a) == _norm(b)


def _norm(row: list[str]) -> list:
    out = [float(x) if _num(x) else x for x in row]
    while out and out[-1] == "":
        out.pop()
    return out


def _num(x: str) -> bool:
    try:
        float(x)
    except ValueError:
        return False
    return True


def test_export_of_plan_and_comparison(client, handler, survey):
    client.force_login(handler)
    response = client.get(
        f"{URL}export/plan.csv", FILTERS | {"plan-margin": "5", "plan-confidence": "0.95"}
    )
    assert response.status_code == 200
    assert "385" in response.content.decode("utf-8-sig")
    assert client.get(f"{URL}export/plan.csv", FILTERS).status_code == 404
    assert client.get(f"{URL}export/measures.pdf", FILTERS).status_code == 404


def test_csv_export_neutralises_formulas(client, handler, survey):
    Question.objects.filter(code="overall").update(text={"en": '=HYPERLINK("x")'})
    client.force_login(handler)
    text = client.get(f"{URL}export/measures.csv", FILTERS).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text


def test_text_in_charts_is_escaped(client, handler, survey):
    Question.objects.filter(code="speed").update(text={"en": "<script>alert(1)</script>"})
    client.force_login(handler)
    body = client.get(URL, FILTERS).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body


def test_persian_page_mirrors_the_charts(client, handler, survey):
    client.force_login(handler)
    body = client.get(URL, FILTERS, headers={"accept-language": "fa"}).content.decode()
    assert 'direction="rtl"' in body


def test_manager_uploads_volumes_and_sees_the_rejected_rows(client, manager):
    client.force_login(manager)
    upload = SimpleUploadedFile(
        "volumes.csv",
        b"month,orders,customers\n2026-01,1000,800\n2026-02,many,10\n",
        content_type="text/csv",
    )
    response = client.post(f"{URL}volumes/", {"file": upload})
    assert response.status_code == 302
    assert PeriodVolume.objects.get().orders == 1000
    body = client.get(URL).content.decode()
    assert "1 of 2 rows imported." in body
    assert "Line 3:" in body and "many" in body


def test_handler_may_not_upload_volumes(client, handler):
    client.force_login(handler)
    upload = SimpleUploadedFile("v.csv", b"month,orders\n2026-01,1\n")
    response = client.post(f"{URL}volumes/", {"file": upload})
    assert response.status_code == 403
    assert not VolumeImport.objects.exists()


def test_dashboard_queries_do_not_grow_with_responses(
    client, handler, survey, django_assert_max_num_queries
):
    client.force_login(handler)
    client.get(URL, FILTERS)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get(URL, FILTERS)
    add_responses(survey, fixed_answers(300, seed=11), submitted=NOW, channel="chat")
    with CaptureQueriesContext(connection) as after:
        client.get(URL, FILTERS)
    assert len(after) == len(before) <= 40


def test_population_is_the_people_invited_in_the_period(client, handler, survey):
    from plaint.complaints.models import Complaint
    from tests.factories import make_complaint

    # Closed complaints are not the population: out-of-scope, referred and e-mail-less ones
    # are never invited.
    for _ in range(3):
        complaint, _token = make_complaint()
        Complaint.objects.filter(pk=complaint.pk).update(state="closed", closed_at=NOW)
    jan = dt.datetime(2026, 1, 2, tzinfo=dt.UTC)
    emails = [f"p{i}@example.com" for i in range(400)]
    add_invitations(survey, emails, sent=jan)
    add_invitations(survey, emails[:50], sent=jan)  # a second invitation to the same people
    add_invitations(survey, ["late@example.com"], sent=dt.datetime(2025, 12, 31, tzinfo=dt.UTC))
    add_invitations(survey, ["unsent@example.com"], sent=None)
    client.force_login(handler)
    body = client.get(URL, FILTERS).content.decode()
    assert "finite population correction for a population of 400." in body
    assert "people invited to this survey in the period" in body
    body = client.get(URL, FILTERS | {"population": "5000"}).content.decode()
    assert "population of 5000." in body
    assert "people invited" not in body


def test_a_population_smaller_than_the_answers_is_shown_not_clipped(client, handler, survey):
    client.force_login(handler)
    body = client.get(URL, FILTERS | {"population": "100"}).content.decode()
    assert "The population of 100 is smaller than the 180 answers" in body
    assert "± 0.000" not in body
    plain = client.get(URL, FILTERS).content.decode()
    # no correction: the same margins as without a population (none invited here)
    assert "No population size given" in plain
    pick = lambda b: [x for x in b.splitlines() if "share " in x and "(±" in x]  # noqa: E731
    assert pick(body) == pick(plain) != []


def test_indicators_show_a_new_complaint_at_once(client, handler):
    from plaint.insights.services import indicator_months_rebuild
    from tests.factories import make_complaint

    indicator_months_rebuild()
    client.force_login(handler)
    body = client.get(URL).content.decode()
    assert '<p class="figure">0</p>' in body
    assert "from the monthly rollup" in body
    make_complaint()
    body = client.get(URL).content.decode()
    assert '<p class="figure">1</p>' in body


def test_each_question_headline_is_named_for_its_type(client, handler, survey):
    """The effort question's trend said "CSAT"; now CSAT for ratings, CES for effort, NPS."""
    client.force_login(handler)
    body = client.get(URL, FILTERS).content.decode()
    assert "<title>Question effort — CES, low effort (%)</title>" in body
    assert "<title>Question speed — CSAT (%)</title>" in body
    assert "<title>Question nps — NPS</title>" in body
    assert "Question effort — CSAT" not in body
    assert body.count("chart-pair") >= 6  # each chart in a wide and a narrow rendering
