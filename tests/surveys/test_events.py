"""Surveys and the domain events: what it publishes (ResponseRecorded, for insights) and what it
subscribes to (a closed complaint, a dispute outcome, the worker's housekeeping)."""

from __future__ import annotations

import pytest

from plaint.complaints.events import ComplaintClosed, DisputeOutcomeRecorded
from plaint.core import events
from plaint.core.actors import Actor
from plaint.core.duties import duty_spec, run_duty
from plaint.surveys import handlers, services
from plaint.surveys.events import ResponseRecorded, ResponsesImported
from plaint.surveys.models import Invitation, Response
from plaint.surveys.services import surveys_process_due
from tests.factories import advance, make_complaint
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


def test_an_import_is_published_per_batch_with_its_rows_then_once_more_at_the_end(
    manager, recorded, monkeypatch
):
    imported: list = []
    handlers_now = [*events.handlers_of(ResponsesImported), imported.append]
    monkeypatch.setitem(events._handlers, ResponsesImported, handlers_now)
    survey = make_survey(manager)
    report = services.responses_import_csv(
        actor=Actor.staff(manager),
        survey_id=survey.pk,
        data="id,score\nold-1,1\nold-2,5\nold-3,9\n",
        mapping={"id": "external_id", "score": "question:overall"},
    )
    assert (report.imported, report.rejected) == (2, 1)
    assert recorded == []  # not one event per response
    [batch, end] = imported
    assert batch.survey_id == end.survey_id == survey.pk
    assert sorted(
        Response.objects.filter(pk__in=batch.response_ids).values_list("external_id", flat=True)
    ) == ["old-1", "old-2"]
    assert [r.pk for r, _answers in batch.written] == list(batch.response_ids)
    assert (batch.last, end.last, end.written) == (False, True, ())
    assert batch.tally is end.tally  # the import's own dict, for the apps' counts until the end


def test_surveys_subscribes_to_its_events():
    assert handlers.on_complaint_closed in events.handlers_of(ComplaintClosed)
    assert handlers.on_dispute_outcome_recorded in events.handlers_of(DisputeOutcomeRecorded)
    assert duty_spec("surveys.dispatch").run is surveys_process_due


def test_a_closed_complaint_is_invited_once_however_often_the_event_comes(manager, handler):
    make_survey(manager)
    complaint, _token = make_complaint()
    complaint = advance(complaint, "closed", by=handler)
    events.publish(ComplaintClosed(complaint=complaint))
    events.publish(ComplaintClosed(complaint=complaint))
    invitation = Invitation.objects.get(complaint=complaint)
    assert invitation.trigger == "complaint_closed" and invitation.case_ref == complaint.reference


def test_a_dispute_outcome_invites_the_complainant_once(manager, handler):
    make_survey(manager, key="disputes", kind="dispute_closed", delay_hours=0)
    complaint, _token = make_complaint(language="sv")
    events.publish(DisputeOutcomeRecorded(complaint=complaint))
    events.publish(DisputeOutcomeRecorded(complaint=complaint))
    invitation = Invitation.objects.get(trigger="dispute_closed")
    assert (invitation.case_ref, invitation.email, invitation.language) == (
        complaint.reference,
        "mari@example.org",
        "sv",
    )


def test_housekeeping_sends_due_invitations(manager, handler):
    make_survey(manager, delay_hours=0)
    complaint, _token = make_complaint()
    advance(complaint, "closed", by=handler)
    invitation = Invitation.objects.get(complaint=complaint)
    assert invitation.state == "scheduled"
    assert run_duty("surveys.dispatch") == "ok"
    invitation.refresh_from_db()
    assert invitation.state == "sent"
