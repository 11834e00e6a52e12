"""A scale question always has its range (question_add sets it); a row without one is refused
with a Conflict rather than a TypeError when an answer is checked against it."""

from __future__ import annotations

import pytest

from plaint.core.actors import Actor
from plaint.core.errors import Conflict, ValidationFailed
from plaint.surveys import services
from plaint.surveys.models import Question
from tests.surveys.factories import make_survey


def test_a_scale_answer_is_checked_against_the_range(manager):
    survey = make_survey(manager)
    question = survey.questions.get(code="overall")
    assert services.answer_clean(question=question, raw="4") == {
        "value": 4,
        "text": "",
        "choices": [],
    }
    with pytest.raises(ValidationFailed, match="from 1 to 5"):
        services.answer_clean(question=question, raw="6")


def test_a_scale_question_without_its_range_is_a_conflict(manager):
    survey = make_survey(manager)
    Question.objects.filter(survey=survey, code="overall").update(scale_min=None)
    question = survey.questions.get(code="overall")
    with pytest.raises(Conflict):
        services.answer_clean(question=question, raw="4")


@pytest.mark.parametrize(
    ("raw", "value"),
    [("1", 1), ("0", 0), ("Yes", 1), ("no", 0), ("jah", 1), ("nej", 0), ("так", 1), ("خیر", 0)],
)
def test_a_yes_no_answer_is_one_or_zero_also_as_a_word(manager, raw, value):
    survey = make_survey(manager, activate=False)
    services.question_add(
        actor=Actor.staff(manager),
        survey_id=survey.pk,
        code="solved",
        kind="yesno",
        text={"en": "Was your problem solved?"},
    )
    question = survey.questions.get(code="solved")
    assert services.answer_clean(question=question, raw=raw)["value"] == value


def test_a_yes_no_answer_refuses_anything_else(manager):
    survey = make_survey(manager, activate=False)
    services.question_add(
        actor=Actor.staff(manager),
        survey_id=survey.pk,
        code="solved",
        kind="yesno",
        text={"en": "Was your problem solved?"},
    )
    question = survey.questions.get(code="solved")
    for raw in ("2", "maybe", "-1"):
        with pytest.raises(ValidationFailed, match="from 0 to 1"):
            services.answer_clean(question=question, raw=raw)
