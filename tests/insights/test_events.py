"""Insights reacts to lower apps through ``plaint.core.events`` (subscribed in its AppConfig):
a recorded survey response updates the aggregates; housekeeping refreshes the indicator rollup."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from plaint.core.duties import duty_spec, run_duty
from plaint.core.events import handlers_of, publish
from plaint.insights.handlers import on_response_recorded
from plaint.insights.models import AnswerCount, IndicatorRollup
from plaint.insights.services import indicator_months_refresh
from plaint.surveys.events import ResponseRecorded

from .factories import add_responses, make_survey

pytestmark = pytest.mark.django_db

MARCH = dt.datetime(2026, 3, 14, 10, tzinfo=dt.UTC)


def test_insights_subscribes_its_handlers():
    assert on_response_recorded in handlers_of(ResponseRecorded)
    assert duty_spec("insights.rollup").run is indicator_months_refresh


def test_a_published_response_is_counted_once():
    survey = make_survey()
    (response,) = add_responses(survey, {"overall": [4]}, submitted=MARCH, record=False)
    assert not AnswerCount.objects.exists()
    publish(ResponseRecorded(response))
    overall = survey.questions.get(code="overall")
    counts = AnswerCount.objects.filter(question=overall, dimension="all")
    assert list(counts.values_list("value", "count")) == [(4, 1)]


def test_housekeeping_due_builds_the_indicator_rollup():
    with time_machine.travel(MARCH, tick=False):
        assert run_duty("insights.rollup") == "ok"
    assert IndicatorRollup.objects.get().refreshed_at == MARCH
