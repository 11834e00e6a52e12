"""Dashboard figures from the aggregates, each checked against an independent computation on the
raw answers of a fixed data set (statsmodels, scipy, numpy)."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats as st
from statsmodels.stats.proportion import proportion_confint, proportions_ztest
from statsmodels.stats.weightstats import DescrStatsW, ttest_ind

from plaint.core.errors import NotAllowed, ValidationFailed
from plaint.insights import selectors
from plaint.insights.selectors import Filters

from .factories import add_responses, fixed_answers, make_survey

pytestmark = pytest.mark.django_db

JAN = dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC)
FEB = dt.datetime(2026, 2, 10, 9, tzinfo=dt.UTC)
MAR = dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC)
N_JAN, N_FEB, N_MAR = 150, 130, 160


@pytest.fixture
def dataset(db):
    survey = make_survey()
    jan = fixed_answers(N_JAN, seed=1)
    feb = fixed_answers(N_FEB, seed=2)
    mar = fixed_answers(N_MAR, seed=3)
    add_responses(survey, jan, submitted=JAN, channel=["web"] * 140 + ["phone"] * 10)
    add_responses(survey, feb, submitted=FEB, channel="web", language="fa")
    add_responses(survey, mar, submitted=MAR, channel="email")
    raw = {k: np.concatenate([jan[k], feb[k], mar[k]]) for k in jan}
    return survey, {"jan": jan, "feb": feb, "mar": mar, "all": raw}


def q1(**kw):
    return Filters.build(
        survey_key="handling", start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 1), **kw
    )


def by_code(result, code):
    return next(q for q in result["questions"] if q["code"] == code)


def test_measures_match_statsmodels(dataset, handler):
    _survey, raw = dataset
    result = selectors.measures(actor=handler, filters=q1(population=None))
    overall = raw["all"]["overall"]
    n = len(overall)
    row = by_code(result, "overall")
    k = int((overall >= 4).sum())
    lo, hi = proportion_confint(k, n, method="wilson")
    assert row["csat"]["n"] == n
    assert row["csat"]["value"] == pytest.approx(k / n)
    assert (row["csat"]["low"], row["csat"]["high"]) == pytest.approx((lo, hi))
    tlo, thi = DescrStatsW(overall.astype(float)).tconfint_mean()
    assert (row["mean"]["low"], row["mean"]["high"]) == pytest.approx((tlo, thi))
    # Clarity is on 1-7: CSAT counts 6 and 7.
    clarity = raw["all"]["clarity"]
    assert by_code(result, "clarity")["csat"]["value"] == pytest.approx((clarity >= 6).mean())
    # NPS: promoters minus detractors, SE of the +1/0/-1 score with ddof=0 (multinomial).
    nps = raw["all"]["nps"]
    score = np.where(nps >= 9, 1, np.where(nps <= 6, -1, 0))
    row = by_code(result, "nps")
    assert row["nps"]["value"] == pytest.approx(100 * score.mean())
    assert row["nps"]["moe"] == pytest.approx(100 * 1.959964 * score.std() / math.sqrt(n), 1e-6)
    # The customer-effort score is the mean on its 1-7 scale.
    assert by_code(result, "effort")["mean"]["value"] == pytest.approx(raw["all"]["effort"].mean())
    # The text question has no figures.
    assert {q["code"] for q in result["questions"]} == {
        "overall",
        "speed",
        "fairness",
        "clarity",
        "nps",
        "effort",
    }


def test_margin_of_error_with_a_population(dataset, handler):
    _survey, raw = dataset
    n = len(raw["all"]["overall"])
    result = selectors.measures(actor=handler, filters=q1(population=1000))
    row = by_code(result, "overall")
    p = (raw["all"]["overall"] >= 4).mean()
    # the larger half-width of the Wilson interval on the effective sample size n (N-1)/(N-n)
    n_eff = n * 999 / (1000 - n)
    lo, hi = proportion_confint(p * n_eff, n_eff, method="wilson")
    assert row["csat"]["moe"] == pytest.approx(max(p - lo, hi - p))
    expected_mean = (
        st.t.ppf(0.975, n - 1)
        * np.std(raw["all"]["overall"], ddof=1)
        / math.sqrt(n)
        * math.sqrt((1000 - n) / 999)
    )
    assert row["mean"]["moe"] == pytest.approx(expected_mean)
    assert result["population"] == 1000 and result["population_source"] == "given"
    assert result["population_too_small"] is False


def test_weighted_index_equals_mean_of_respondent_indices(dataset, handler):
    _survey, raw = dataset
    result = selectors.measures(actor=handler, filters=q1())
    a = raw["all"]
    scaled = np.column_stack(
        [(a["speed"] - 1) / 4 * 100, (a["fairness"] - 1) / 4 * 100, (a["clarity"] - 1) / 6 * 100]
    )
    w = np.array([3, 2, 1]) / 6
    per = scaled @ w
    assert result["index"]["value"] == pytest.approx(per.mean())
    se = per.std(ddof=1) / math.sqrt(len(per))
    assert result["index"]["moe"] == pytest.approx(1.959964 * se, rel=1e-6)


def test_trends_month_by_month(dataset, handler):
    _survey, raw = dataset
    result = selectors.trends(actor=handler, filters=q1())
    assert result["months"] == ["2026-01", "2026-02", "2026-03"]
    overall = next(q for q in result["questions"] if q["code"] == "overall")
    for point, key in zip(overall["points"], ("jan", "feb", "mar"), strict=True):
        values = raw[key]["overall"]
        k = int((values >= 4).sum())
        lo, hi = proportion_confint(k, len(values), method="wilson")
        assert point["csat"]["n"] == len(values)
        assert (point["csat"]["low"], point["csat"]["high"]) == pytest.approx((lo, hi))
        tlo, thi = DescrStatsW(values.astype(float)).tconfint_mean()
        assert (point["mean"]["low"], point["mean"]["high"]) == pytest.approx((tlo, thi))


def test_segment_filter_and_breakdown_with_suppression(dataset, handler):
    _survey, raw = dataset
    only_fa = selectors.measures(actor=handler, filters=q1(dimension="language", segment="fa"))
    assert by_code(only_fa, "overall")["csat"]["n"] == N_FEB
    table = selectors.segments(actor=handler, filters=q1(min_count=20), dimension="channel")
    rows = {r["segment"]: r for r in table["rows"] if r["code"] == "overall"}
    assert set(rows) == {"web", "phone", "email"}
    assert rows["phone"]["suppressed"] is True
    assert rows["phone"]["n"] is None and rows["phone"]["csat"] is None
    web = np.concatenate([raw["jan"]["overall"][:140], raw["feb"]["overall"]])
    assert rows["web"]["n"] == len(web)
    assert rows["web"]["csat"]["value"] == pytest.approx((web >= 4).mean())
    # Lowering the threshold shows the small cell.
    table = selectors.segments(actor=handler, filters=q1(min_count=5), dimension="channel")
    phone = next(r for r in table["rows"] if r["code"] == "overall" and r["segment"] == "phone")
    assert phone["n"] == 10


def test_importance_by_regression_equals_standardized_ols(dataset, handler):
    _survey, raw = dataset
    a = raw["all"]
    result = selectors.importance_performance(actor=handler, filters=q1(method="regression"))
    x = np.column_stack([a["speed"], a["fairness"], a["clarity"]]).astype(float)
    y = a["overall"].astype(float)
    zx = (x - x.mean(axis=0)) / x.std(axis=0, ddof=1)
    zy = (y - y.mean()) / y.std(ddof=1)
    fit = sm.OLS(zy, sm.add_constant(zx)).fit()
    got = [r["importance"] for r in result["attributes"]]
    assert got == pytest.approx(list(fit.params[1:]), abs=1e-9)
    perf = [r["performance"] for r in result["attributes"]]
    assert perf == pytest.approx(
        [
            (a["speed"].mean() - 1) * 25,
            (a["fairness"].mean() - 1) * 25,
            (a["clarity"].mean() - 1) / 6 * 100,
        ]
    )
    assert {r["quadrant"] for r in result["attributes"]} <= {
        "keep_up",
        "concentrate",
        "low_priority",
        "possible_overkill",
    }


def test_importance_by_correlation_and_stated(dataset, handler):
    _survey, raw = dataset
    a = raw["all"]
    corr = selectors.importance_performance(actor=handler, filters=q1(method="correlation"))
    speed = next(r for r in corr["attributes"] if r["attribute"] == "speed")
    assert speed["importance"] == pytest.approx(np.corrcoef(a["speed"], a["overall"])[0, 1])
    stated = selectors.importance_performance(actor=handler, filters=q1(method="stated"))
    assert [r["importance"] for r in stated["attributes"]] == pytest.approx([0.5, 1 / 3, 1 / 6])


def test_missing_answers_correlations_and_reliability_use_the_complete_pairs(db, handler):
    survey = make_survey()
    raw = fixed_answers(240, seed=9)
    rng = np.random.default_rng(5)
    missing = {
        "speed": set(np.flatnonzero(rng.random(240) < 0.15).tolist()),
        # fairness is skipped more often by people who rated speed low
        "fairness": set(np.flatnonzero((raw["speed"] <= 2) & (rng.random(240) < 0.5)).tolist()),
        "clarity": set(np.flatnonzero(rng.random(240) < 0.1).tolist()),
    }
    add_responses(survey, raw, submitted=FEB, missing=missing)
    frame = pd.DataFrame(
        {code: raw[code].astype(float) for code in ("speed", "fairness", "clarity")}
    )
    for code, rows in missing.items():
        frame.loc[sorted(rows), code] = np.nan
    frame["overall"] = raw["overall"].astype(float)

    corr = selectors.importance_performance(actor=handler, filters=q1(method="correlation"))
    for row in corr["attributes"]:
        both = frame[[row["attribute"], "overall"]].dropna()
        r, _p = st.pearsonr(both[row["attribute"]], both["overall"])
        assert row["importance"] == pytest.approx(r, abs=1e-12)

    rel = corr["reliability"]
    items = frame[["speed", "fairness", "clarity"]]
    cov = items.cov().to_numpy()  # pairwise, as pingouin's cronbach_alpha(nan_policy="pairwise")
    assert rel["alpha"] == pytest.approx(3 / 2 * (1 - np.trace(cov) / cov.sum()), abs=1e-12)
    answered = items.notna().to_numpy().astype(int)
    assert rel["n"] == int((answered.T @ answered).min())
    assert rel["k"] == 3 and rel["low"] < rel["alpha"] < rel["high"]
    speed = next(i for i in rel["items"] if i["attribute"] == "speed")
    rest = cov[np.ix_([1, 2], [1, 2])]
    assert speed["alpha_if_deleted"] == pytest.approx(2 * (1 - np.trace(rest) / rest.sum()))
    expected_r = cov[0, 1:].sum() / math.sqrt(cov[0, 0] * rest.sum())
    assert speed["item_total_r"] == pytest.approx(expected_r, abs=1e-12)


def test_a_yes_no_overall_question_is_measured_as_the_share_answering_yes(db, handler):
    from plaint.surveys.models import Question

    survey = make_survey()
    survey.questions.filter(is_overall=True).update(is_overall=False)
    Question.objects.create(
        survey=survey,
        position=20,
        code="solved",
        kind="yesno",
        scale_min=0,
        scale_max=1,
        text={"en": "Was your problem solved?"},
        is_overall=True,
    )
    raw = fixed_answers(200, seed=12)
    rng = np.random.default_rng(8)
    raw["solved"] = (raw["speed"] + rng.normal(0, 1.2, 200) > 3).astype(int)
    add_responses(survey, raw, submitted=FEB)
    add_responses(survey, fixed_answers(50, seed=13) | {"solved": np.ones(50, int)}, submitted=MAR)

    result = selectors.measures(actor=handler, filters=q1(population=None))
    solved = by_code(result, "solved")
    yes = int(raw["solved"].sum()) + 50
    lo, hi = proportion_confint(yes, 250, method="wilson")
    assert solved["csat"]["value"] == pytest.approx(yes / 250)
    assert (solved["csat"]["low"], solved["csat"]["high"]) == pytest.approx((lo, hi))
    trend = next(
        q
        for q in selectors.trends(actor=handler, filters=q1())["questions"]
        if q["code"] == "solved"
    )
    by_month = {p["month"]: p for p in trend["points"]}
    assert by_month["2026-02"]["csat"]["value"] == pytest.approx(raw["solved"].mean())
    assert by_month["2026-03"]["csat"]["value"] == pytest.approx(1.0)
    # the overall question of importance: its correlation with each attribute (point-biserial r)
    corr = selectors.importance_performance(actor=handler, filters=q1(method="correlation"))
    speed = next(r for r in corr["attributes"] if r["attribute"] == "speed")
    both_speed = np.concatenate([raw["speed"], fixed_answers(50, seed=13)["speed"]])
    both_solved = np.concatenate([raw["solved"], np.ones(50, int)])
    r, _p = st.pearsonr(both_speed, both_solved)
    assert speed["importance"] == pytest.approx(r, abs=1e-12)


def test_compare_two_periods(dataset, handler):
    _survey, raw = dataset
    a = q1()
    first = selectors.with_period(a, dt.date(2026, 1, 1), dt.date(2026, 1, 1))
    last = selectors.with_period(a, dt.date(2026, 3, 1), dt.date(2026, 3, 1))
    result = selectors.compare(actor=handler, a=first, b=last, question_code="overall")
    ja, ma = raw["jan"]["overall"], raw["mar"]["overall"]
    z, p = proportions_ztest([int((ma >= 4).sum()), int((ja >= 4).sum())], [len(ma), len(ja)])
    assert result["csat"]["statistic"] == pytest.approx(z)
    assert result["csat"]["p_value"] == pytest.approx(p)
    t, pt, _df = ttest_ind(ma.astype(float), ja.astype(float), usevar="unequal")
    assert result["mean"]["statistic"] == pytest.approx(t)
    assert result["mean"]["p_value"] == pytest.approx(pt)
    nps = selectors.compare(actor=handler, a=first, b=last, question_code="nps")
    assert "nps" in nps and nps["nps"]["n_a"] == N_JAN


def test_compare_two_segments_and_refuses_overlap(dataset, handler):
    web = q1(dimension="channel", segment="web")
    email = q1(dimension="channel", segment="email")
    result = selectors.compare(actor=handler, a=web, b=email, question_code="speed")
    assert result["csat"]["n_a"] == 140 + N_FEB
    assert result["csat"]["n_b"] == N_MAR
    with pytest.raises(ValidationFailed):
        selectors.compare(actor=handler, a=web, b=web, question_code="speed")
    # A channel and a language (or all responses) can share respondents: refused.
    persian = q1(dimension="language", segment="fa")
    with pytest.raises(ValidationFailed):
        selectors.compare(actor=handler, a=web, b=persian, question_code="speed")
    with pytest.raises(ValidationFailed):
        selectors.compare(actor=handler, a=q1(), b=email, question_code="speed")
    with pytest.raises(ValidationFailed):
        selectors.compare(actor=handler, a=web, b=email, question_code="comment")


def test_versions_with_the_same_questions_are_merged(dataset, handler):
    survey, _raw = dataset
    v2 = make_survey(version=2)
    v2.previous = survey
    add_responses(v2, fixed_answers(40, seed=9), submitted=MAR)
    result = selectors.measures(actor=handler, filters=q1())
    assert by_code(result, "overall")["csat"]["n"] == N_JAN + N_FEB + N_MAR + 40


def test_sample_plan_and_observed_response_rate(dataset, handler):
    plan = selectors.sample_plan(actor=handler, margin=0.05)
    assert plan["responses"] == 385
    plan = selectors.sample_plan(actor=handler, margin=0.05, population=1000, response_rate=0.2)
    assert (plan["responses"], plan["invitations"]) == (278, 1390)
    with pytest.raises(ValidationFailed) as err:
        selectors.sample_plan(actor=handler, margin=2)
    assert "margin" in err.value.fields


def test_filters_are_validated():
    with pytest.raises(ValidationFailed) as err:
        Filters.build(
            survey_key="x",
            start=dt.date(2026, 5, 1),
            end=dt.date(2026, 1, 1),
            dimension="nope",
            min_count=0,
            method="magic",
            confidence=0.5,
        )
    assert set(err.value.fields) == {"start", "dimension", "min_count", "method", "confidence"}
    with pytest.raises(ValidationFailed):
        Filters.build(survey_key="x", dimension="channel")


def test_unknown_survey_is_not_found(handler):
    from plaint.core.errors import NotFound

    with pytest.raises(NotFound):
        selectors.measures(actor=handler, filters=q1())


def test_non_staff_may_not_read(dataset, handler):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotAllowed):
        selectors.measures(actor=AnonymousUser(), filters=q1())
    handler.is_active = False
    with pytest.raises(NotAllowed):
        selectors.indicators(actor=handler, start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 1))


def test_query_count_does_not_grow_with_responses(dataset, handler, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        selectors.measures(actor=handler, filters=q1())
    with django_assert_max_num_queries(4):
        selectors.trends(actor=handler, filters=q1())
    with django_assert_max_num_queries(5):
        selectors.importance_performance(actor=handler, filters=q1())
    survey, _raw = dataset
    add_responses(survey, fixed_answers(200, seed=7), submitted=FEB, channel="chat")
    with django_assert_max_num_queries(8):
        selectors.measures(actor=handler, filters=q1())


def test_default_population_is_the_people_invited_for_every_kind_of_survey(db):
    from .factories import add_invitations

    survey = make_survey(key="relationship", kind="relationship")
    sent = dt.datetime(2026, 2, 10, tzinfo=dt.UTC)
    add_invitations(survey, ["a@example.org", "B@example.org", "b@example.org"], sent=sent)
    add_invitations(survey, ["c@example.org"], sent=dt.datetime(2026, 4, 1, tzinfo=dt.UTC))
    base = Filters.build(
        survey_key="relationship", start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 1)
    )
    filled = selectors.with_default_population(base)
    assert (filled.population, filled.population_source) == (2, "invitations")
    # a population given, or a segment chosen (invitations carry no segment), is left alone
    given = Filters.build(
        survey_key="relationship", start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 1), population=9
    )
    assert selectors.with_default_population(given).population == 9
    seg = Filters.build(
        survey_key="relationship",
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 3, 1),
        dimension="channel",
        segment="web",
    )
    assert selectors.with_default_population(seg).population is None
    # nobody invited: no population (no correction)
    none = Filters.build(
        survey_key="relationship", start=dt.date(2025, 1, 1), end=dt.date(2025, 3, 1)
    )
    assert selectors.with_default_population(none).population is None
