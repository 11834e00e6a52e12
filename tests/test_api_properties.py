"""No input makes a server error: hostile values for every query parameter of every GET
operation the OpenAPI document lists (src/plaint/api.py builds it), and for every field of the
staff pages' GET forms. Each answer is a success or a problem+json (API), a page (forms), never
a 5xx.

Values are chosen by the parameter's type (a month gets years 0 to 9999 and months 0 to 13, a
number gets 5e-324, nan and 1e308, a date far dates), mixed with values hostile to anything
(NUL, right-to-left marks, 5,000 characters). Each example starts from a query the operation
accepts and replaces some parameters, so that a bad value reaches the code behind a good one.
Bounded: EXAMPLES per operation, so the file runs in seconds on SQLite."""

from __future__ import annotations

import json
import re

import pytest
from django import forms
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from plaint.api import api
from plaint.complaints.forms_queue import QueueFilterForm
from plaint.disputes.forms import EligibilityForm
from plaint.disputes.forms_dispute_reports import AnnualReportForm, DisputeReportForm
from plaint.improvement.forms import AnalysisForm
from plaint.improvement.forms_returns import ReturnForm
from plaint.insights.forms import CompareForm, DashboardForm, MonthField, PlanForm
from tests.api_client import PROBLEM, ApiClient
from tests.factories import make_complaint
from tests.insights.factories import make_survey

pytestmark = pytest.mark.django_db

EXAMPLES = 4
SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=True,  # the same examples on every run: a failure here is never a fluke
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# A page renders in tens of milliseconds, an API answer in a few: fewer random examples.
FORM_SETTINGS = settings(SETTINGS, max_examples=2)

ANYTHING = st.one_of(
    st.sampled_from(
        [
            "",
            "-1",
            "1" * 400,
            "yes",
            "null",
            "a\x00b",
            "x" * 5000,
            "سلام\u202edlrow",
            "😀" * 100,
            "' OR 1=1 --",
            "%00",
            "../../etc/passwd",
        ]
    ),
    st.text(max_size=40),
)
# Years and months at and beyond the edges (datetime's own, 1 and 9999, and Plaint's) come often.
YEARS = st.one_of(st.sampled_from([0, 1, 1900, 1999, 2000, 2037, 9999]), st.integers(0, 9999))
MONTHS = st.builds("{:04d}-{:02d}".format, YEARS, st.integers(0, 13))
DAYS = st.builds("{:04d}-{:02d}-{:02d}".format, YEARS, st.integers(0, 13), st.integers(0, 32))
MOMENTS = st.builds(
    "{}T{:02d}:00:00{}".format,
    DAYS,
    st.integers(0, 24),
    st.sampled_from(["Z", "+14:00", "-12:00", ""]),
)
INTEGERS = st.one_of(
    st.integers(-(10**30), 10**30).map(str),
    st.sampled_from(["2147483648", "9223372036854775808", "1e3", "0x10", "1_000"]),
)
NUMBERS = st.one_of(
    st.floats().map(repr),  # nan, inf, -0.0, 5e-324, 1.7976931348623157e+308 ...
    st.sampled_from(["5e-324", "1e308", "-1e308", "nan", "inf", "-inf", "1e-400", "0"]),
    INTEGERS,
)
FLAGS = st.sampled_from(["yes", "2", "-1", "on", "", "TRUE", "null"])


def _schema_kinds(schema: dict) -> list[dict]:
    return [schema, *schema.get("anyOf", []), *([schema["items"]] if "items" in schema else [])]


# The values each type is always tried with (hypothesis adds EXAMPLES random ones).
EDGES = {
    "month": ["0000-01", "0001-01", "9999-12", "2026-13", "2026-00"],
    "day": ["0001-01-01", "9999-12-31", "2026-02-30", "0000-00-00"],
    "moment": ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-14:00"],
    "integer": ["-1", "0", "9223372036854775808", "1" * 400],
    "number": ["5e-324", "0", "-0.05", "nan", "inf", "1e308"],
    "any": ["a\x00b", "x" * 5000],
}


def _kinds(schema: dict) -> list[str]:
    kinds = []
    for kind in _schema_kinds(schema):
        if r"\d{4}-" in kind.get("pattern", ""):
            kinds.append("month")
        kinds += {"date": ["day"], "date-time": ["moment"]}.get(kind.get("format", ""), [])
        kinds += {"integer": ["integer"], "number": ["number"]}.get(kind.get("type", ""), [])
    return kinds


def _typed(schema: dict) -> st.SearchStrategy[str]:
    """Hostile values shaped like what the parameter's schema asks for."""
    strategies = [ANYTHING]
    shaped = {"month": MONTHS, "day": DAYS, "moment": MOMENTS, "integer": INTEGERS}
    shaped["number"] = NUMBERS
    strategies += [shaped[kind] for kind in _kinds(schema)]
    for kind in _schema_kinds(schema):
        if kind.get("type") == "boolean":
            strategies.append(FLAGS)
        if "enum" in kind:
            strategies.append(st.sampled_from([*map(str, kind["enum"]), "x" * 300]))
    return st.one_of(*strategies)


def _with_edges(test, values: list[str]):
    for value in values:
        test = example(value=value)(test)
    return test


# A value each required parameter accepts, so that the one tried is reached behind them.
VALID = {"survey": "handling", "question": "overall", "margin": "0.05", "a_start": "2026-01"}
VALID |= {"a_end": "2026-02", "b_start": "2026-03", "b_end": "2026-04"}
VALID |= {"query": "someone@example.org"}  # /privacy/subjects, /privacy/export
VALID |= {"period": "2026-H1"}  # /returns/half-yearly, /returns/idr
VALID |= {"complaint": "C-2026-1"}  # /disputes/eligibility
VALID |= {"person_id": "1"}  # /training/records


def _get_parameters() -> list[tuple[str, str, dict, dict[str, str]]]:
    """(path template, parameter, its OpenAPI entry, the operation's required query) for every
    query and path parameter of every GET operation."""
    document = api.get_openapi_schema(path_prefix="/api/v1")
    found = []
    for path, methods in sorted(document["paths"].items()):
        parameters = methods.get("get", {}).get("parameters", [])
        required = {
            p["name"]: VALID[p["name"]]
            for p in parameters
            if p["in"] == "query" and p.get("required")
        }
        found += [
            (path, p["name"], p, required) for p in parameters if p["in"] in {"query", "path"}
        ]
    return found


GET_PARAMETERS = _get_parameters()


def test_the_parameters_are_discovered():
    names = {(path.rsplit("/", 1)[-1], name) for path, name, _, _ in GET_PARAMETERS}
    assert {
        ("measures", "end"),
        ("sample-size", "margin"),
        ("complaints", "received_from"),
    } <= names
    assert {("comparison", "b_start"), ("{survey_id}", "survey_id")} <= names
    assert len(GET_PARAMETERS) > 60


@pytest.fixture
def admin_api(admin_user):
    make_complaint()  # something to find, so that filters reach the database
    make_survey()
    return ApiClient(admin_user)


@pytest.mark.parametrize(
    ("path", "name", "parameter", "required"),
    GET_PARAMETERS,
    ids=[f"{path} {name}" for path, name, _, _ in GET_PARAMETERS],
)
def test_no_query_value_makes_a_server_error(admin_api, path, name, parameter, required):
    edges = [v for kind in [*_kinds(parameter["schema"]), "any"] for v in EDGES[kind]]

    @SETTINGS
    @given(value=_typed(parameter["schema"]))
    def check(value: str) -> None:
        query, ids = dict(required), dict.fromkeys(re.findall(r"\{(\w+)\}", path), "1")
        if parameter["in"] == "path":
            # a "/", "?" or "#" would name another path, not another value
            ids[name] = re.sub(r"[/?#]", "", value) or "-"
        else:
            query[name] = value
        url = path.format(**ids)
        response = admin_api.client.get(url, query, headers=admin_api.headers())
        assert response.status_code < 500, (url, query, response.content[:300])
        if response.status_code >= 400:
            assert response["Content-Type"].startswith(PROBLEM), (url, query)
            body = json.loads(response.content)
            assert body["status"] == response.status_code and body["code"]
        elif response.streaming:  # a file (the complaint register): read to its end
            b"".join(response.streaming_content)
        else:
            json.loads(response.content)

    _with_edges(check, edges)()


# --- the staff pages' GET forms ----------------------------------------------------------------------


def _field_kinds(field: forms.Field) -> list[str]:
    if isinstance(field, MonthField):
        return ["month"]
    if isinstance(field, forms.DateTimeField):
        return ["moment"]
    if isinstance(field, forms.DateField):
        return ["day"]
    if isinstance(field, forms.IntegerField):
        return ["integer", "number"]
    if isinstance(field, forms.DecimalField | forms.FloatField):
        return ["number"]
    return []


def _field_values(field: forms.Field) -> st.SearchStrategy[str]:
    """Hostile values shaped like the form field's type."""
    shaped = {"month": MONTHS, "day": DAYS, "moment": MOMENTS, "integer": INTEGERS}
    shaped["number"] = NUMBERS
    strategies = [ANYTHING, *(shaped[kind] for kind in _field_kinds(field))]
    if isinstance(field, forms.BooleanField):
        strategies.append(FLAGS)
    elif isinstance(field, forms.ChoiceField):
        strategies.append(st.sampled_from([str(c[0]) for c in field.choices] or [""]))
    return st.one_of(*strategies)


INSIGHTS = {
    "survey": "handling",
    "plan-margin": "5",
    "plan-confidence": "0.95",
    "cmp-question": "overall",
    "cmp-a_start": "2026-01",
    "cmp-a_end": "2026-02",
    "cmp-b_start": "2026-03",
    "cmp-b_end": "2026-04",
}
# Each form on the cheapest URL that reads it: an export computes only its own table.
FORMS: list[tuple[str, dict[str, str], list[type[forms.Form]]]] = [
    ("/staff/insights/export/indicators.csv", INSIGHTS, [DashboardForm]),
    ("/staff/insights/export/plan.csv", INSIGHTS, [PlanForm]),
    ("/staff/insights/export/comparison.csv", INSIGHTS, [CompareForm]),
    ("/staff/", {}, [QueueFilterForm]),
    ("/staff/analysis/export/pareto-channel.csv", {}, [AnalysisForm]),
    ("/staff/improvement/returns/", {"report": "idr"}, [ReturnForm]),
    ("/staff/disputes/eligibility/", {"complaint": "C-2026-1"}, [EligibilityForm]),
    ("/staff/disputes/reports/", {}, [DisputeReportForm]),
    ("/staff/disputes/reports/annual.csv", {}, [AnnualReportForm]),
]
FORM_FIELDS = [
    (url, f"{form.prefix}-{name}" if form.prefix else name, field, base)
    for url, base, form_classes in FORMS
    for form in form_classes
    for name, field in form.base_fields.items()
]


def test_the_form_fields_are_discovered():
    names = {(url, name) for url, name, _, _ in FORM_FIELDS}
    assert {("/staff/insights/export/indicators.csv", "end"), ("/staff/", "received_from")} <= names
    assert ("/staff/insights/export/plan.csv", "plan-margin") in names
    assert ("/staff/insights/export/comparison.csv", "cmp-b_end") in names
    assert ("/staff/analysis/export/pareto-channel.csv", "category") in names
    assert ("/staff/improvement/returns/", "period") in names


@pytest.mark.parametrize(
    ("url", "name", "field", "base"),
    FORM_FIELDS,
    ids=[f"{url} {name}" for url, name, _, _ in FORM_FIELDS],
)
def test_no_form_value_makes_a_server_error(admin_user, url, name, field, base):
    make_complaint()
    make_survey()
    client = Client()
    client.force_login(admin_user)
    edges = [v for kind in _field_kinds(field) for v in EDGES[kind]] + ["a\x00b"]

    @FORM_SETTINGS
    @given(value=_field_values(field))
    def check(value: str) -> None:
        response = client.get(url, base | {name: value})
        assert response.status_code < 500, (url, name, value)

    _with_edges(check, edges)()
