"""The contract with the surveys app: responses imported through its service reach the measures
through ``response_recorded``, and a rebuild from the raw answers gives the same aggregates."""

from __future__ import annotations

import datetime as dt

import pytest

from plaint.core.actors import Actor
from plaint.insights import selectors
from plaint.insights.models import AnswerCount
from plaint.insights.selectors import Filters
from plaint.insights.services import aggregates_rebuild
from plaint.surveys import services as survey_services
from tests.surveys.factories import make_survey

pytestmark = pytest.mark.django_db


def test_imported_responses_are_measured(manager, handler):
    survey = make_survey(manager)
    rows = ["when,overall,speed,nps,channel"]
    overall = [5, 4, 4, 2, 5, 3, 4, 1, 5, 4]
    for i, score in enumerate(overall):
        rows.append(f"2026-02-{i + 1:02d}T10:00:00+00:00,{score},{(i % 5) + 1},{9 - i % 4},web")
    report = survey_services.responses_import_csv(
        actor=Actor.staff(manager),
        survey_id=survey.pk,
        data="\n".join(rows) + "\n",
        mapping={
            "when": "submitted_at",
            "overall": "question:overall",
            "speed": "question:speed",
            "nps": "question:nps",
            "channel": "channel",
        },
    )
    assert report.imported == 10, report.errors
    filters = Filters.build(
        survey_key=survey.key, start=dt.date(2026, 2, 1), end=dt.date(2026, 2, 1)
    )
    result = selectors.measures(actor=handler, filters=filters)
    row = next(q for q in result["questions"] if q["code"] == "overall")
    assert row["csat"]["n"] == 10
    assert row["csat"]["value"] == pytest.approx(sum(s >= 4 for s in overall) / 10)
    before = sorted(
        AnswerCount.objects.values_list(
            "question_id", "dimension", "segment", "month", "value", "count"
        )
    )
    aggregates_rebuild(survey_id=survey.pk)
    after = sorted(
        AnswerCount.objects.values_list(
            "question_id", "dimension", "segment", "month", "value", "count"
        )
    )
    assert after == before


def test_imported_single_choice_answers_are_measured_and_rebuilt_alike(manager, handler):
    """A file with a single-choice column: its option shares reach the measures through the
    import's one event, and the rebuild from the raw answers counts them the same."""
    survey = make_survey(manager)
    contact = ["web", "phone", "web", "", "web", "phone", "web", "web"]
    rows = ["when,overall,contact,channel"]
    for i, code in enumerate(contact):
        rows.append(f"2026-02-{i + 1:02d}T10:00:00+00:00,{(i % 5) + 1},{code},email")
    report = survey_services.responses_import_csv(
        actor=Actor.staff(manager),
        survey_id=survey.pk,
        data="\n".join(rows) + "\n",
        mapping={
            "when": "submitted_at",
            "overall": "question:overall",
            "contact": "question:contact",
            "channel": "channel",
        },
    )
    assert report.imported == 8, report.errors
    filters = Filters.build(
        survey_key=survey.key, start=dt.date(2026, 2, 1), end=dt.date(2026, 2, 1)
    )
    (question,) = selectors.measures(actor=handler, filters=filters)["choices"]
    shares = {o["code"]: (o["share"]["value"], o["share"]["n"]) for o in question["options"]}
    assert shares == {"web": (pytest.approx(5 / 7), 7), "phone": (pytest.approx(2 / 7), 7)}
    cells = ("question_id", "dimension", "segment", "month", "value", "count")
    before = sorted(AnswerCount.objects.values_list(*cells))
    aggregates_rebuild(survey_id=survey.pk)
    assert sorted(AnswerCount.objects.values_list(*cells)) == before


def test_an_import_in_batches_counts_answers_and_pairs_as_a_rebuild_does(manager, monkeypatch):
    from plaint.insights.models import PairCount
    from plaint.surveys.services import imports as survey_imports

    monkeypatch.setattr(survey_imports, "RESPONSE_BATCH", 4)  # counted batch by batch
    survey = make_survey(manager)
    rows = ["when,overall,speed,nps,channel"]
    for i in range(23):
        speed = "" if i % 5 == 0 else str((i % 5) + 1)  # some left unanswered
        rows.append(f"2026-0{1 + i % 3}-{i + 1:02d}T10:00:00+00:00,{1 + i % 5},{speed},{i % 11},"
                    f"{'web' if i % 2 else 'phone'}")  # fmt: skip
    report = survey_services.responses_import_csv(
        actor=Actor.staff(manager),
        survey_id=survey.pk,
        data="\n".join(rows) + "\n",
        mapping={
            "when": "submitted_at",
            "overall": "question:overall",
            "speed": "question:speed",
            "nps": "question:nps",
            "channel": "channel",
        },
    )
    assert report.imported == 23, report.errors

    def counts():
        return (
            sorted(AnswerCount.objects.values_list(
                "question_id", "dimension", "segment", "month", "value", "count")),
            sorted(PairCount.objects.values_list(
                "question_a_id", "question_b_id", "month", "value_a", "value_b", "count")),
        )  # fmt: skip

    imported = counts()
    assert imported[0] and imported[1]
    aggregates_rebuild(survey_id=survey.pk)
    assert counts() == imported
