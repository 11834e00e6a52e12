"""The aggregates: kept up to date by response_recorded, equal to a rebuild from the raw answers."""

from __future__ import annotations

import datetime as dt

import pytest

from plaint.insights.models import AnswerCount, PairCount
from plaint.insights.services import aggregates_rebuild, response_recorded
from plaint.surveys.models import Response

from .factories import add_responses, fixed_answers, make_survey

pytestmark = pytest.mark.django_db

MARCH = dt.datetime(2026, 3, 14, 10, tzinfo=dt.UTC)
APRIL = dt.datetime(2026, 4, 30, 23, 30, tzinfo=dt.UTC)


def snapshot():
    counts = sorted(
        AnswerCount.objects.values_list(
            "survey_id", "question_id", "month", "dimension", "segment", "value", "count"
        )
    )
    pairs = sorted(
        PairCount.objects.values_list(
            "survey_id", "question_a_id", "question_b_id", "month", "value_a", "value_b", "count"
        )
    )
    return counts, pairs


def test_recorded_counts_each_answer_per_dimension_and_month():
    from plaint.complaints.models import Category

    cat = Category.objects.create(code="delivery", name="Delivery")
    survey = make_survey()
    data = {"overall": [5, 4], "speed": [4, 4]}
    add_responses(
        survey,
        data,
        submitted=[MARCH, APRIL],
        channel="email",
        category=cat,
        product="Parcel",
        language="et",
        segment="business",
    )
    overall = survey.questions.get(code="overall")
    rows = set(
        AnswerCount.objects.filter(question=overall).values_list(
            "month", "dimension", "segment", "value", "count"
        )
    )
    march, april = dt.date(2026, 3, 1), dt.date(2026, 4, 1)
    assert (march, "all", "", 5, 1) in rows
    assert (april, "all", "", 4, 1) in rows
    assert (march, "channel", "email", 5, 1) in rows
    assert (march, "category", str(cat.pk), 5, 1) in rows
    assert (march, "product", "Parcel", 5, 1) in rows
    assert (march, "language", "et", 5, 1) in rows
    assert (april, "segment", "business", 4, 1) in rows
    assert len(rows) == 12
    speed = survey.questions.get(code="speed")
    pairs = set(
        PairCount.objects.values_list(
            "question_a_id", "question_b_id", "month", "value_a", "value_b", "count"
        )
    )
    assert pairs == {
        (overall.pk, speed.pk, march, 5, 4, 1),
        (overall.pk, speed.pk, april, 4, 4, 1),
    }


def test_counts_add_up_over_responses_and_ignore_text_and_partials():
    survey = make_survey()
    add_responses(survey, {"overall": [5, 5, 5]}, submitted=MARCH)
    cell = AnswerCount.objects.get(dimension="all", value=5)
    assert cell.count == 3
    partial = Response.objects.create(
        survey=survey, started_at=MARCH, submitted_at=None, source="web"
    )
    response_recorded(response=partial)
    assert AnswerCount.objects.filter(dimension="all").count() == 1


def test_rebuild_equals_incremental_aggregates():
    survey = make_survey()
    data = fixed_answers(120)
    times = [MARCH + dt.timedelta(days=i % 50) for i in range(120)]
    channels = ["web" if i % 3 else "phone" for i in range(120)]
    add_responses(
        survey,
        data,
        submitted=times,
        channel=channels,
        language="uk",
        missing={"speed": {3, 4, 5}, "nps": {7}},
    )
    incremental = snapshot()
    assert incremental[0] and incremental[1]
    messages: list[str] = []
    totals = aggregates_rebuild(survey_id=survey.pk, progress=messages.append)
    assert snapshot() == incremental
    assert totals["answer_counts"] == len(incremental[0])
    assert totals["pair_counts"] == len(incremental[1])
    assert any("pairwise" in m for m in messages)


def test_rebuild_all_surveys_from_raw_answers_only():
    first, second = make_survey(key="a"), make_survey(key="b")
    add_responses(first, fixed_answers(30, seed=1), submitted=MARCH, record=False)
    add_responses(second, fixed_answers(20, seed=2), submitted=APRIL, record=False)
    assert not AnswerCount.objects.exists()
    aggregates_rebuild()
    from django.db.models import Sum

    n_first = AnswerCount.objects.filter(
        survey=first, dimension="all", question__code="overall"
    ).aggregate(n=Sum("count"))["n"]
    assert n_first == 30
    assert PairCount.objects.filter(survey=second).exists()


def test_rebuild_command_prints_progress(capsys):
    from django.core.management import call_command

    survey = make_survey()
    add_responses(survey, fixed_answers(10), submitted=MARCH, record=False)
    call_command("insights", "rebuild")
    out = capsys.readouterr().out
    assert f"survey {survey.pk}" in out
    assert "done" in out
    assert AnswerCount.objects.filter(survey=survey).exists()


def test_an_import_counts_the_same_as_one_response_at_a_time(db):
    """responses_recorded (one ResponsesImported for a file) writes the very aggregates that one
    response_recorded per response would, and the rebuild from the raw answers agrees."""
    from plaint.insights.services import responses_recorded

    survey = make_survey()
    rows = add_responses(
        survey,
        fixed_answers(120, seed=21),
        submitted=[dt.datetime(2026, 1 + i % 3, 5, tzinfo=dt.UTC) for i in range(120)],
        channel=["web", "phone"] * 60,
        record=False,
        missing={"speed": {1, 5, 9}, "overall": {2}},
    )

    def snapshot():
        return (
            sorted(
                AnswerCount.objects.values_list(
                    "question_id", "month", "dimension", "segment", "value", "count"
                )
            ),
            sorted(
                PairCount.objects.values_list(
                    "question_a_id", "question_b_id", "month", "value_a", "value_b", "count"
                )
            ),
        )

    responses_recorded(response_ids=[r.pk for r in rows])
    at_once = snapshot()
    assert at_once[0] and at_once[1]
    aggregates_rebuild(survey_id=survey.pk)
    assert snapshot() == at_once
