"""The corrective-action sweep: reminders before an action is due, overdue alerts after, the
scheduled check when its period is over — each once, through the outbox, on the audit chain."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from plaint.core.actors import Actor
from plaint.core.audit import audit_verify
from plaint.core.duties import run_duty
from plaint.core.models import AuditEvent, OutboundEmail
from plaint.improvement import services as s
from plaint.improvement.models import CorrectiveAction
from plaint.improvement.states import State
from tests.factories import CategoryFactory
from tests.improvement.helpers import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def acting(manager, handler):
    category = CategoryFactory(code="delivery", name="Delivery")
    m = Actor.staff(manager)
    with time_machine.travel(at(2026, 4, 1), tick=False):
        ca = s.corrective_action_open(
            actor=m,
            title="Late parcels",
            problem="Late parcels",
            source="manual",
            owner_id=manager.pk,
            indicator={"kind": "received", "category": category.pk},
            comparison="le",
            target=0,
            window_months=1,
        )
        s.corrective_action_cause_record(actor=m, ca_id=ca.pk, whys=["w"], root_cause="c")
        action = s.planned_action_add(
            actor=m,
            ca_id=ca.pk,
            description="Fix the route",
            owner_id=handler.pk,
            due_on=dt.date(2026, 4, 10),
        )
        s.corrective_action_actions_start(actor=m, ca_id=ca.pk)
    return ca, action


def _mails(to):
    return list(
        OutboundEmail.objects.filter(kind="corrective_action", to=to).values_list(
            "subject", flat=True
        )
    )


def test_the_owner_is_reminded_once_three_days_before(acting, handler):
    with time_machine.travel(at(2026, 4, 6), tick=False):
        assert s.corrective_sweep()["reminded"] == 0
    with time_machine.travel(at(2026, 4, 7), tick=False):
        assert s.corrective_sweep()["reminded"] == 1
        assert s.corrective_sweep()["reminded"] == 0  # once
    assert _mails(handler.email) == [f"An action is due soon · CA-{acting[0].pk}"]
    body = OutboundEmail.objects.get(kind="corrective_action", to=handler.email).body
    assert "is due on 10 April 2026:" in body  # as English writes a date, not "2026-04-10"


def test_an_overdue_action_alerts_its_owner_and_the_actions_owner_once(acting, handler, manager):
    with time_machine.travel(at(2026, 4, 11), tick=False):
        assert run_duty("improvement.corrective_sweep") == "ok"  # as the worker does
        assert s.corrective_sweep()["overdue"] == 0  # a second sweep alerts nobody again
    assert len(_mails(handler.email)) == 1 and len(_mails(manager.email)) == 1
    assert "overdue" in _mails(manager.email)[0]
    events = AuditEvent.objects.filter(case_type="corrective_action", action="action_overdue")
    assert events.count() == 1 and events.get().actor_label == "corrective-action sweep"
    assert audit_verify().breaks == []


def test_a_done_action_is_neither_reminded_nor_alerted(acting, handler):
    with time_machine.travel(at(2026, 4, 5), tick=False):
        s.planned_action_done(actor=Actor.staff(handler), action_id=acting[1].pk)
    with time_machine.travel(at(2026, 4, 20), tick=False):
        assert s.corrective_sweep() == {
            "reminded": 0,
            "overdue": 0,
            "check_reminded": 0,
            "checked": 0,
            "check_overdue": 0,
        }
    assert _mails(handler.email) == []


def test_the_sweep_runs_the_check_when_its_period_is_over(acting, handler, manager):
    with time_machine.travel(at(2026, 4, 5), tick=False):
        s.planned_action_done(actor=Actor.staff(handler), action_id=acting[1].pk)
    # actions done in April, window one month: the check reads May, due 1 June
    with time_machine.travel(at(2026, 5, 31), tick=False):
        assert s.corrective_sweep()["checked"] == 0
    with time_machine.travel(at(2026, 6, 1), tick=False):
        assert s.corrective_sweep()["checked"] == 1
    ca = CorrectiveAction.objects.get(pk=acting[0].pk)
    assert ca.state == State.CLOSED_EFFECTIVE and ca.check_result["value"] == 0
    assert _mails(manager.email) == [f"Effectiveness check: effective · CA-{ca.pk}"]
