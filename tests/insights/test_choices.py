"""Single-choice questions measured: the aggregates count each answer under its option by every
path alike, and each option's share (with its Wilson interval), trend and segment breakdown is
checked against the raw answers (statsmodels)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import numpy as np
import pytest
from django.db.models import Sum
from statsmodels.stats.proportion import proportion_confint

from plaint.insights import selectors
from plaint.insights.models import AnswerCount
from plaint.insights.selectors import Filters
from plaint.insights.services import aggregates_rebuild, response_recorded, responses_recorded
from plaint.surveys.models import Response
from tests.api_client import ApiClient

from .factories import add_choice_question, add_responses, fixed_answers, make_survey

pytestmark = pytest.mark.django_db

CODES = ["phone", "email", "letter"]
MONTHS = [dt.datetime(2026, m, 9, 9, tzinfo=dt.UTC) for m in (1, 2, 3)]


def picks(n: int, seed: int, p=(0.5, 0.3, 0.2)) -> list:
    """n chosen codes; every 11th left unanswered."""
    rng = np.random.default_rng(seed)
    chosen: list = list(rng.choice(CODES, size=n, p=p))
    return [None if i % 11 == 5 else str(c) for i, c in enumerate(chosen)]


@pytest.fixture
def dataset(db):
    survey = make_survey()
    add_choice_question(survey)
    raw = {}
    for j, when in enumerate(MONTHS):
        n = 90 + 20 * j
        chosen = picks(n, seed=j, p=(0.5 - 0.1 * j, 0.3, 0.2 + 0.1 * j))
        channels = ["web"] * (n - 8) + ["phone"] * 8
        add_responses(
            survey,
            fixed_answers(n, seed=j),
            submitted=when,
            channel=channels,
            choices={"reached": chosen},
        )
        raw[f"{when:%Y-%m}"] = list(zip(chosen, channels, strict=True))
    return survey, raw


def period(**kw) -> Filters:
    return Filters.build(
        survey_key="handling", start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 1), **kw
    )


def wilson(k: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    return proportion_confint(k, n, alpha=1 - confidence, method="wilson")


def check_options(options: list[dict], chosen: list, confidence: float = 0.95) -> None:
    answered = [c for c in chosen if c is not None]
    assert [o["code"] for o in options] == CODES
    for o in options:
        k = answered.count(o["code"])
        low, high = wilson(k, len(answered), confidence)
        share = o["share"]
        assert share["n"] == len(answered)
        assert share["value"] == pytest.approx(k / len(answered))
        assert share["low"] == pytest.approx(low)
        assert share["high"] == pytest.approx(high)
        assert share["moe"] == pytest.approx(max(k / len(answered) - low, high - k / len(answered)))


def test_each_option_share_matches_statsmodels_wilson(dataset, handler):
    _survey, raw = dataset
    result = selectors.measures(actor=handler, filters=period(confidence=0.9))
    (question,) = result["choices"]
    everything = [c for rows in raw.values() for c, _ch in rows]
    assert question["code"] == "reached"
    assert question["n"] == sum(c is not None for c in everything)
    check_options(question["options"], everything, confidence=0.9)
    assert sum(o["share"]["value"] for o in question["options"]) == pytest.approx(1)
    # the scale questions are measured as before, and the choice question is not among them
    assert "reached" not in {q["code"] for q in result["questions"]}


def test_monthly_trend_of_each_option(dataset, handler):
    _survey, raw = dataset
    result = selectors.trends(actor=handler, filters=period())
    (question,) = result["choices"]
    assert [p["month"] for p in question["points"]] == ["2026-01", "2026-02", "2026-03"]
    for point in question["points"]:
        chosen = [c for c, _ch in raw[point["month"]]]
        assert point["n"] == sum(c is not None for c in chosen)
        check_options(point["options"], chosen)


def test_segments_per_channel_with_small_cells_hidden(dataset, handler):
    _survey, raw = dataset
    result = selectors.segments(actor=handler, filters=period(min_count=25), dimension="channel")
    rows = {r["segment"]: r for r in result["choice_rows"]}
    assert set(rows) == {"web", "phone"}
    web = [c for rows_ in raw.values() for c, ch in rows_ if ch == "web"]
    check_options(rows["web"]["options"], web)
    assert rows["web"]["segment_label"] == "Web form"
    phone = rows["phone"]  # 8 responses a month, fewer than 25 answers
    assert phone["suppressed"] and phone["n"] is None and phone["options"] is None


def test_labels_in_the_readers_language_with_english_fallback(dataset, handler):
    result = selectors.measures(actor=handler, filters=period(), language="et")
    (question,) = result["choices"]
    assert question["label"] == "Kuidas teiega ühendust võeti?"
    assert [o["label"] for o in question["options"]] == ["Telefoni teel", "E-postiga", "By letter"]


def test_a_segment_filter_narrows_the_shares(dataset, handler):
    _survey, raw = dataset
    filters = period(dimension="channel", segment="web")
    (question,) = selectors.measures(actor=handler, filters=filters)["choices"]
    check_options(question["options"], [c for r in raw.values() for c, ch in r if ch == "web"])


def test_versions_merge_by_question_and_option_code(db, handler):
    """Version 2 lists the options in another order and adds one: each answer still counts for
    the option with its code."""
    v1 = make_survey()
    add_choice_question(v1, options=[{"code": c, "label": {"en": c}} for c in ["phone", "email"]])
    v2 = make_survey(version=2)
    order = ["letter", "email", "phone"]
    add_choice_question(v2, options=[{"code": c, "label": {"en": c.upper()}} for c in order])
    first = ["phone"] * 6 + ["email"] * 4
    second = ["letter"] * 3 + ["email"] * 2 + ["phone"] * 5
    add_responses(v1, fixed_answers(10), submitted=MONTHS[0], choices={"reached": first})
    add_responses(v2, fixed_answers(10), submitted=MONTHS[1], choices={"reached": second})
    (question,) = selectors.measures(actor=handler, filters=period())["choices"]
    # the newest version's order and labels
    assert [(o["code"], o["label"]) for o in question["options"]] == [
        ("letter", "LETTER"),
        ("email", "EMAIL"),
        ("phone", "PHONE"),
    ]
    counts = {o["code"]: round(o["share"]["value"] * o["share"]["n"]) for o in question["options"]}
    assert counts == {"letter": 3, "email": 6, "phone": 11}
    trend = selectors.trends(actor=handler, filters=period())["choices"][0]["points"]
    assert [p["n"] for p in trend] == [10, 10, 0]


def _snapshot():
    return sorted(
        AnswerCount.objects.values_list(
            "survey_id", "question_id", "month", "dimension", "segment", "value", "count"
        )
    )


def test_one_at_a_time_an_import_and_the_rebuild_count_choices_alike(db):
    """response_recorded per response, responses_recorded for an import and the set-based
    rebuild write the same counts; an answer with an unknown code or two codes counts nowhere."""
    survey = make_survey()
    reached = add_choice_question(survey)
    n = 60
    chosen = picks(n, seed=7)
    chosen[3] = "pigeon"  # not an option
    chosen[4] = ["phone", "email"]  # two codes on a single-choice question
    rows = add_responses(
        survey,
        fixed_answers(n, seed=7),
        submitted=[MONTHS[i % 3] for i in range(n)],
        channel=["web", "phone"] * (n // 2),
        language="et",
        record=False,
        choices={"reached": chosen},
    )
    # a response with only a choice answer is counted too
    only_choice = add_responses(
        survey, {}, submitted=MONTHS[0], record=False, choices={"reached": ["letter"]}
    )
    ids = [r.pk for r in rows + only_choice]
    responses_recorded(response_ids=ids)
    at_once = _snapshot()
    AnswerCount.objects.all().delete()
    for response in Response.objects.filter(pk__in=ids):
        response_recorded(response=response)
    assert _snapshot() == at_once
    aggregates_rebuild(survey_id=survey.pk)
    assert _snapshot() == at_once
    counted = dict(
        AnswerCount.objects.filter(question=reached, dimension="all")
        .values_list("value")
        .annotate(n=Sum("count"))
    )
    valid = [c for c in chosen if c in CODES] + ["letter"]
    assert counted == {i: valid.count(code) for i, code in enumerate(CODES)}


def test_api_measures_trends_and_segments(dataset, handler):
    _survey, raw = dataset
    api = ApiClient(handler)
    q = {"survey": "handling", "start": "2026-01", "end": "2026-03"}
    body = api.get("/insights/measures", q | {"population": "2000"}).json()
    (question,) = body["choices"]
    answered = [c for r in raw.values() for c, _ch in r if c is not None]
    n = len(answered)
    n_eff = n * (2000 - 1) / (2000 - n)  # the finite population correction
    phone = question["options"][0]
    low, high = wilson(answered.count("phone") / n * n_eff, n_eff)
    assert (phone["share"]["low"], phone["share"]["high"]) == pytest.approx((low, high))
    trends = api.get("/insights/trends", q).json()
    assert len(trends["choices"][0]["points"]) == 3
    seg = api.get("/insights/segments", q | {"by": "channel"}).json()
    assert {r["segment"] for r in seg["choice_rows"]} == {"web", "phone"}


def test_dashboard_and_exports_show_the_option_shares(dataset, client, handler):
    client.force_login(handler)
    url = "/staff/insights/"
    filters = {"survey": "handling", "start": "2026-01", "end": "2026-03", "breakdown": "channel"}
    page = client.get(url, filters).content.decode()
    assert "Single-choice questions" in page and "By e-mail" in page
    # a trend chart per option
    assert "<title>How were you reached? — Chose “By letter” (%)</title>" in page
    text = client.get(f"{url}export/choices.csv", filters).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["Question", "Option", "Answers", "Share (%)"]
    assert [r[1] for r in rows[1:]] == ["By phone", "By e-mail", "By letter"]
    trend = client.get(f"{url}export/trend.csv", filters).content.decode("utf-8-sig")
    assert trend.count("Chose “By letter” (%)") == 3
    segments = client.get(f"{url}export/segments.csv", filters).content.decode("utf-8-sig")
    assert "Chose “By phone” (%)" in segments
