"""Case events become outbox rows, in the transaction of the change, for the active webhooks that
asked for them: created, step done, closed, promise breached, survey answered."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.db import transaction

from plaint.complaints import services as cs
from plaint.core.actors import Actor
from plaint.promises.services import promise_checks_sweep
from plaint.surveys import services as ss
from plaint.webhooks.models import WebhookDelivery
from tests.factories import advance, make_complaint
from tests.promises.factories import ACK_2_BD, RESPOND_10_BD, make_code
from tests.surveys.factories import invite, make_survey

pytestmark = pytest.mark.django_db

URL = "https://hooks.example.org/plaint"


def _events(webhook=None) -> list[tuple[str, dict]]:
    rows = WebhookDelivery.objects.order_by("pk")
    if webhook is not None:
        rows = rows.filter(webhook=webhook)
    return [(row.event, json.loads(row.body)["data"]) for row in rows]


def test_a_new_complaint_is_sent_to_the_webhooks_that_want_it(hook):
    wants, _ = hook(URL, events=["complaint.created"])
    other, _ = hook(URL, events=["complaint.closed"])
    paused, _ = hook(URL, events=["complaint.created"], active=False)

    complaint, _token = make_complaint()

    assert _events(wants) == [("complaint.created", _events(wants)[0][1])]
    assert _events(wants)[0][1]["reference"] == complaint.reference
    assert _events(other) == [] and _events(paused) == []


def test_each_step_that_changes_the_state_is_sent_and_closing_too(hook, handler):
    hook(URL, events=["complaint.step_done", "complaint.closed"])
    complaint, _token = make_complaint()  # acknowledged at once (web, with an address)

    advance(complaint, "closed", by=handler)

    events = _events()
    steps = [(data["from_state"], data["state"]) for name, data in events if name.endswith("done")]
    assert steps[0] == ("acknowledged", "assessed")
    assert steps[-1] == ("accepted", "closed")
    assert [name for name, _ in events].count("complaint.closed") == 1
    closed = next(data for name, data in events if name == "complaint.closed")
    assert closed["closure_reason"] == "accepted" and closed["closed_at"]


def test_a_step_that_changes_no_state_sends_nothing(hook, handler):
    hook(URL, events=["complaint.step_done"])
    complaint, _token = make_complaint()
    advance(complaint, "investigating", by=handler)
    sent = WebhookDelivery.objects.count()

    cs.complaint_record_findings(
        complaint_id=complaint.pk, actor=Actor.staff(handler), findings="The courier was late."
    )

    assert WebhookDelivery.objects.count() == sent


def test_a_change_that_rolls_back_sends_nothing(hook):
    hook(URL, events=["complaint.created"])

    with pytest.raises(RuntimeError), transaction.atomic():
        make_complaint()
        raise RuntimeError("the request failed after the intake")

    assert WebhookDelivery.objects.count() == 0


def test_a_breached_promise_is_sent_once(hook, manager, handler):
    t0 = dt.datetime(2026, 3, 2, 7, 0, tzinfo=dt.UTC)
    with time_machine.travel(t0 - dt.timedelta(days=30), tick=False):
        make_code(manager, promises=[ACK_2_BD, RESPOND_10_BD])
    hook(URL, events=["promise.breached"])
    with time_machine.travel(t0, tick=False):
        complaint, _ = make_complaint(channel="phone", actor=Actor.staff(handler))

    promise_checks_sweep(now=t0 + dt.timedelta(days=7))
    promise_checks_sweep(now=t0 + dt.timedelta(days=8))

    [(name, data)] = _events()
    assert name == "promise.breached"
    assert data["reference"] == complaint.reference
    assert data["promise"] == "service-promises/acknowledge"


def test_a_survey_answered_on_its_page_is_sent(hook, manager):
    hook(URL, events=["survey.answered"])
    survey = make_survey(manager)
    _invitation, token = invite(manager, survey)

    response = ss.response_save(token=token, answers={"overall": "5"}, page=1, submit=True)

    [(name, data)] = _events()
    assert name == "survey.answered"
    assert data["response_id"] == response.pk and data["survey"] == survey.key
    assert "kaja" not in json.dumps(data).lower()
