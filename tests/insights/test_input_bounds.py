"""Months out of range and absurd planner figures: a 422 problem on the API, the dashboard with a
field error on the page and for an export, never a 500."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.api_client import ApiClient, assert_problem

from .factories import add_responses, fixed_answers, make_survey

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 4, 20, 12, tzinfo=dt.UTC)
MONTHS = ["0000-01", "0001-01", "1999-12", "9999-12", "2037-01"]
MONTH_ERROR = "Give a month from 2000-01 to 2036-12."
SURVEY_OPERATIONS = ["measures", "trends", "segments", "importance"]


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def survey(db):
    survey = make_survey()
    add_responses(
        survey, fixed_answers(30, seed=1), submitted=dt.datetime(2026, 2, 5, tzinfo=dt.UTC)
    )
    return survey


@pytest.fixture
def api(handler):
    return ApiClient(handler)


# --- the API -------------------------------------------------------------------------------------


@pytest.mark.parametrize("month", MONTHS)
@pytest.mark.parametrize("bound", ["start", "end"])
@pytest.mark.parametrize("operation", [*SURVEY_OPERATIONS, "indicators"])
def test_a_month_out_of_range_is_a_422_naming_the_bound(api, survey, operation, bound, month):
    query = {bound: month} if operation == "indicators" else {"survey": "handling", bound: month}
    body = assert_problem(api.get(f"/insights/{operation}", query), 422, "validation_failed")
    assert body["errors"] == {bound: [MONTH_ERROR]}


@pytest.mark.parametrize("month", MONTHS)
@pytest.mark.parametrize("bound", ["a_start", "a_end", "b_start", "b_end"])
def test_a_comparison_month_out_of_range_is_a_422(api, survey, bound, month):
    query = {
        "survey": "handling",
        "question": "overall",
        "a_start": "2026-01",
        "a_end": "2026-01",
        "b_start": "2026-02",
        "b_end": "2026-02",
    }
    body = assert_problem(
        api.get("/insights/comparison", query | {bound: month}), 422, "validation_failed"
    )
    assert body["errors"] == {bound: [MONTH_ERROR]}


def test_the_months_at_the_bounds_are_answered(api, survey):
    response = api.get("/insights/trends", {"survey": "handling", "start": "2000-01"})
    assert response.status_code == 422  # more than 120 months: the period's own rule
    assert response.json()["errors"] == {"start": ["A period may span at most 120 months."]}
    for query in ({"start": "2000-01", "end": "2009-12"}, {"start": "2036-01", "end": "2036-12"}):
        response = api.get("/insights/trends", {"survey": "handling", **query})
        assert response.status_code == 200, response.content


@pytest.mark.parametrize(
    "margin", ["5e-324", "0", "-0.05", "nan", "inf", "-inf", "1e308", "0.0009", "0.51", "abc"]
)
def test_an_absurd_margin_is_a_422_on_margin(api, margin):
    body = assert_problem(
        api.get("/insights/sample-size", {"margin": margin}), 422, "validation_failed"
    )
    assert list(body["errors"]) == ["margin"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("proportion", "1e-300"),
        ("response_rate", "5e-324"),
        ("population", "1" + "0" * 40),
        ("population", "0"),
        ("confidence", "nan"),
    ],
)
def test_absurd_planner_figures_are_422s_on_their_field(api, field, value):
    response = api.get("/insights/sample-size", {"margin": "0.05", field: value})
    body = assert_problem(response, 422, "validation_failed")
    assert list(body["errors"]) == [field]


def test_the_planner_still_plans_at_its_bounds(api):
    response = api.get(
        "/insights/sample-size", {"margin": "0.001", "proportion": "0.01", "response_rate": "0.001"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["invitations"] > response.json()["responses"] > 0


def test_the_month_error_is_in_the_callers_language(api, survey):
    response = api.get(
        "/insights/measures", {"survey": "handling", "end": "0000-01"}, **{"Accept-Language": "sv"}
    )
    body = assert_problem(response, 422, "validation_failed")
    assert body["errors"] == {"end": ["Ange en månad från 2000-01 till 2036-12."]}


# --- the dashboard and its exports ----------------------------------------------------------------


@pytest.mark.parametrize("month", MONTHS)
@pytest.mark.parametrize("bound", ["start", "end"])
def test_the_dashboard_shows_a_month_out_of_range_as_a_field_error(
    client, handler, survey, bound, month
):
    client.force_login(handler)
    response = client.get("/staff/insights/", {"survey": "handling", bound: month})
    assert response.status_code == 400
    assert response.context["form"].errors[bound] == [MONTH_ERROR]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("table", ["measures", "trend", "segments", "importance", "indicators"])
def test_an_export_with_a_month_out_of_range_answers_the_page_with_the_error(
    client, handler, survey, table, fmt
):
    client.force_login(handler)
    response = client.get(
        f"/staff/insights/export/{table}.{fmt}", {"survey": "handling", "end": "0001-01"}
    )
    # Not a file for another period than the one asked for.
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert response.context["form"].errors["end"] == [MONTH_ERROR]


@pytest.mark.parametrize("month", ["0000-01", "0001-01", "9999-12"])
def test_a_comparison_month_out_of_range_is_a_field_error_on_the_page(
    client, handler, survey, month
):
    client.force_login(handler)
    query = {
        "survey": "handling",
        "cmp-question": "overall",
        "cmp-a_start": month,
        "cmp-a_end": "2026-01",
        "cmp-b_start": "2026-02",
        "cmp-b_end": month,
    }
    response = client.get("/staff/insights/", query)
    assert response.status_code == 200
    errors = response.context["compare_form"].errors
    assert errors["a_start"] == [MONTH_ERROR] and errors["b_end"] == [MONTH_ERROR]


@pytest.mark.parametrize(
    ("field", "value"),
    [("margin", "0.0000001"), ("margin", "1e308"), ("population", "1" + "0" * 40)],
)
def test_absurd_planner_figures_are_field_errors_on_the_page(client, handler, survey, field, value):
    client.force_login(handler)
    query = {"survey": "handling", "plan-margin": "5", "plan-confidence": "0.95"}
    response = client.get("/staff/insights/", query | {f"plan-{field}": value})
    assert response.status_code == 200
    assert response.context["plan_form"].errors[field]


def test_a_volume_file_month_out_of_range_is_a_rejected_row(client, manager):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from plaint.insights.models import PeriodVolume, VolumeImport

    client.force_login(manager)
    content = b"month,orders,customers\n0001-01,10,5\n2026-01,100,50\n"
    upload = SimpleUploadedFile("v.csv", content, content_type="text/csv")
    client.post("/staff/insights/volumes/", {"file": upload})
    record = VolumeImport.objects.get()
    assert (record.rows_imported, record.rows_total) == (1, 2)
    assert list(PeriodVolume.objects.values_list("month", flat=True)) == [dt.date(2026, 1, 1)]
