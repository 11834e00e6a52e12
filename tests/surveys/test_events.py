"""Surveys and the domain events: what it publishes (ResponseRecorded, for insights) and what it
subscribes to (a closed complaint, a dispute outcome, the worker's housekeeping)."""

from __future__ import annotations

import pytest

from plaint.core import events
from plaint.core.actors import Actor
from plaint.surveys import services
from plaint.surveys.events import ResponseRecorded
from tests.surveys.factories import invite, make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(monkeypatch):
    """The responses of every ResponseRecorded published during the test."""
    seen: list = []
    handlers = [*events.handlers_of(ResponseRecorded), lambda event: seen.append(event.response)]
    monkeypatch.setitem(events._handlers, ResponseRecorded, handlers)
    return seen


def test_a_submitted_response_is_published_once(manager, recorded):
    survey = make_survey(manager)
    _invitation, token = invite(manager, survey)
    services.response_save(token=token, answers={"overall": "4"}, page=1)
    assert recorded == []  # a partial response is not recorded
    response = services.response_save(token=token, answers={}, submit=True)
    assert [r.pk for r in recorded] == [response.pk]


def test_each_imported_response_is_published(manager, recorded):
    survey = make_survey(manager)
    report = services.responses_import_csv(
        actor=Actor.staff(manager),
        survey_id=survey.pk,
        data="id,score\nold-1,1\nold-2,5\nold-3,9\n",
        mapping={"id": "external_id", "score": "question:overall"},
    )
    assert (report.imported, report.rejected) == (2, 1)
    assert sorted(r.external_id for r in recorded) == ["old-1", "old-2"]
    assert all(r.pk for r in recorded)
