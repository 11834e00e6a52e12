"""Two submits with the same link at the same moment (a double click, two tabs): one response,
counted once; the other is told the link was used."""

from __future__ import annotations

import pytest

from plaint.insights.models import AnswerCount
from plaint.surveys import services
from plaint.surveys.models import Answer, Response
from tests.complaints.test_concurrency import _race
from tests.surveys.factories import invite, make_survey

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_same_token_submitted_twice_at_once(manager):
    survey = make_survey(manager)
    _invitation, token = invite(manager, survey)
    outcomes = _race(
        lambda: services.response_save(token=token, answers={"overall": "5"}, submit=True),
        lambda: services.response_save(token=token, answers={"overall": "1"}, submit=True),
    )
    refused = [o for o in outcomes if isinstance(o, services.LinkUnusable)]
    made = [o for o in outcomes if isinstance(o, Response)]
    assert len(made) == 1 and len(refused) == 1, outcomes
    assert refused[0].reason == "used"
    assert Response.objects.count() == 1
    assert Answer.objects.filter(question__code="overall").count() == 1
    counted = AnswerCount.objects.filter(question__code="overall", dimension="all")
    assert sum(c.count for c in counted) == 1
