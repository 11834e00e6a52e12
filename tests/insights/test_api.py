"""The insights API: figures, errors as problem+json, permissions, query counts."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from statsmodels.stats.proportion import proportion_confint

from tests.api_client import ApiClient, assert_problem

from .factories import add_invitations, add_responses, fixed_answers, make_survey

pytestmark = pytest.mark.django_db
Q = {"survey": "handling", "start": "2026-01", "end": "2026-03"}


@pytest.fixture
def data(db):
    survey = make_survey()
    jan, mar = fixed_answers(80, seed=1), fixed_answers(90, seed=2)
    add_responses(survey, jan, submitted=dt.datetime(2026, 1, 3, tzinfo=dt.UTC), channel="web")
    add_responses(survey, mar, submitted=dt.datetime(2026, 3, 3, tzinfo=dt.UTC), channel="email")
    return {"jan": jan, "mar": mar, "survey": survey}


@pytest.fixture
def api(handler):
    return ApiClient(handler)


def test_measures(api, data):
    response = api.get("/insights/measures", Q | {"confidence": "0.9", "population": "2000"})
    assert response.status_code == 200, response.content
    body = response.json()
    overall = next(q for q in body["questions"] if q["code"] == "overall")
    values = np.concatenate([data["jan"]["overall"], data["mar"]["overall"]])
    # With the population of 2000 the Wilson interval uses n_eff = n (N - 1) / (N - n).
    n = len(values)
    n_eff = n * 1999 / (2000 - n)
    p = (values >= 4).mean()
    lo, hi = proportion_confint(p * n_eff, n_eff, alpha=0.1, method="wilson")
    assert overall["csat"]["low"] == pytest.approx(lo)
    assert overall["csat"]["high"] == pytest.approx(hi)
    assert body["population"] == 2000
    assert body["index"]["attributes"] == ["speed", "fairness", "clarity"]
    nps = next(q for q in body["questions"] if q["code"] == "nps")
    assert nps["nps"]["n"] == 170 and nps["csat"] is None


def test_trends_segments_importance(api, data):
    trends = api.get("/insights/trends", Q).json()
    assert trends["months"] == ["2026-01", "2026-02", "2026-03"]
    feb = trends["questions"][0]["points"][1]
    assert feb["csat"]["n"] == 0 and feb["csat"]["value"] is None
    seg = api.get("/insights/segments", Q | {"by": "channel", "min_count": "85"}).json()
    cells = {r["segment"]: r for r in seg["rows"] if r["code"] == "overall"}
    assert cells["web"]["suppressed"] is True and cells["web"]["csat"] is None
    assert cells["email"]["n"] == 90
    imp = api.get("/insights/importance", Q | {"method": "correlation"}).json()
    assert [a["attribute"] for a in imp["attributes"]] == ["speed", "fairness", "clarity"]
    assert imp["method"] == "correlation"


def test_comparison(api, data):
    response = api.get(
        "/insights/comparison",
        {
            "survey": "handling",
            "question": "overall",
            "a_start": "2026-01",
            "a_end": "2026-01",
            "b_start": "2026-03",
            "b_end": "2026-03",
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["csat"]["n_a"] == 80 and body["csat"]["n_b"] == 90
    assert body["csat"]["effect_name"] == "h" and body["mean"]["effect_name"] == "g"


def test_indicators_and_sample_size(api, data):
    body = api.get("/insights/indicators", {"start": "2026-01", "end": "2026-02"}).json()
    assert [m["month"] for m in body["months"]] == ["2026-01", "2026-02"]
    plan = api.get("/insights/sample-size", {"margin": "0.05", "population": "1000"}).json()
    assert plan["responses"] == 278 and plan["responses_infinite"] == 385


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/insights/measures", Q | {"start": "2026-13"}, "start"),
        ("/insights/measures", Q | {"dimension": "colour"}, "dimension"),
        ("/insights/measures", Q | {"confidence": "0.5"}, "confidence"),
        ("/insights/sample-size", {"margin": "2"}, "margin"),
        ("/insights/measures", Q | {"start": "2026-04", "end": "2026-01"}, "start"),
        ("/insights/measures", Q | {"dimension": "channel"}, "segment"),
    ],
)
def test_bad_input_is_a_problem(api, data, path, params, field):
    response = api.get(path, params)
    body = assert_problem(response, 422, "validation_failed")
    if field:
        assert any(field in key for key in body["errors"]), body


def test_unknown_survey_is_404(api, data):
    assert_problem(api.get("/insights/measures", Q | {"survey": "nope"}), 404, "not_found")


def test_unauthenticated_is_401(data):
    response = ApiClient(None).get("/insights/measures", Q)
    assert response.status_code == 401


@pytest.mark.parametrize("role", ["admin", "manager", "handler", "auditor"])
def test_every_staff_role_reads(personas, data, role):
    assert ApiClient(personas[role]).get("/insights/measures", Q).status_code == 200


def test_query_count_is_constant(api, data, django_assert_max_num_queries):
    api.get("/insights/measures", Q)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        api.get("/insights/measures", Q)
    survey = make_survey(key="other")
    add_responses(survey, fixed_answers(50), submitted=dt.datetime(2026, 2, 1, tzinfo=dt.UTC))
    from plaint.surveys.models import Survey

    add_responses(
        Survey.objects.get(key="handling"),
        fixed_answers(100, seed=5),
        submitted=dt.datetime(2026, 2, 1, tzinfo=dt.UTC),
    )
    with CaptureQueriesContext(connection) as after:
        api.get("/insights/measures", Q)
    assert len(after) == len(before) <= 10


def test_measures_default_population_is_the_people_invited(api, data):
    survey = data["survey"]
    add_invitations(
        survey,
        [f"c{i}@example.com" for i in range(300)],
        sent=dt.datetime(2026, 2, 1, tzinfo=dt.UTC),
    )
    body = api.get("/insights/measures", Q).json()
    assert body["population"] == 300 and body["population_source"] == "invitations"
    assert body["population_too_small"] is False and body["max_answers"] == 170
    given = api.get("/insights/measures", Q | {"population": "2000"}).json()
    assert given["population_source"] == "given"


def test_measures_with_fewer_people_than_answers_applies_no_correction(api, data):
    small = api.get("/insights/measures", Q | {"population": "100"}).json()
    plain = api.get("/insights/measures", Q).json()
    assert small["population_too_small"] is True and plain["population"] is None
    for a, b in zip(small["questions"], plain["questions"], strict=True):
        assert a["mean"]["moe"] == pytest.approx(b["mean"]["moe"])
        assert (a["csat"] or a["nps"])["moe"] == pytest.approx((b["csat"] or b["nps"])["moe"])
        assert (a["csat"] or a["nps"])["moe"] > 0
