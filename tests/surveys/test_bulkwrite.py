"""The import's writer (COPY on PostgreSQL, bulk_create elsewhere) stores exactly what the models
would: every column, the answers under the right responses, inside the caller's transaction."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from plaint.surveys.models import Answer, Response
from plaint.surveys.services import bulkwrite
from tests.surveys.factories import make_survey

pytestmark = pytest.mark.django_db(transaction=True)

WHEN = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


def test_every_column_of_both_tables_is_written():
    assert {f.column for f in Response._meta.concrete_fields} == set(bulkwrite.RESPONSE_COLUMNS)
    assert {f.column for f in Answer._meta.concrete_fields} - {"id"} == set(
        bulkwrite.ANSWER_COLUMNS
    )


def _rows(survey):
    questions = {q.code: q.pk for q in survey.questions.all()}
    return [
        (
            Response(
                survey=survey,
                started_at=WHEN,
                submitted_at=WHEN,
                language="fa",
                channel="phone",
                product="Broadband",
                segment="vip",
                source="import",
                external_id=f"x-{i}",
            ),
            {
                questions["overall"]: {"value": 1 + i, "text": "", "choices": []},
                questions["liked"]: {"value": None, "text": "", "choices": ["tone", "speed"]},
                questions["comment"]: {"value": None, "text": f"«خیلی خوب» {i}", "choices": []},
            },
        )
        for i in range(3)
    ]


def test_written_rows_read_back_as_given(manager):
    survey = make_survey(manager)
    rows = _rows(survey)
    with transaction.atomic():
        bulkwrite.write(rows)
    for i, (response, _answers) in enumerate(rows):
        stored = Response.objects.get(pk=response.pk)
        assert (stored.external_id, stored.language, stored.channel) == (f"x-{i}", "fa", "phone")
        assert (stored.product, stored.segment, stored.page) == ("Broadband", "vip", 1)
        assert stored.submitted_at == WHEN and stored.invitation_id is None
        answers = {a.question.code: a for a in stored.answers.select_related("question")}
        assert answers["overall"].value == 1 + i
        assert answers["liked"].choices == ["tone", "speed"]
        assert answers["comment"].text == f"«خیلی خوب» {i}"
    # the sequence moved past the ids taken: the next response gets a new one
    later = Response.objects.create(survey=survey, started_at=WHEN, source="web")
    assert later.pk > max(r.pk for r, _answers in rows)


def test_a_failed_import_leaves_nothing(manager):
    survey = make_survey(manager)
    with pytest.raises(RuntimeError), transaction.atomic():
        bulkwrite.write(_rows(survey))
        raise RuntimeError("a later check failed")
    assert not Response.objects.exists() and not Answer.objects.exists()
