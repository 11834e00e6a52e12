"""The corrective-action lifecycle through its services: every step allowed where the table
says and refused elsewhere, the effectiveness check re-reading the same indicator, permissions per
role and the audit chain."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from plaint.complaints.models import Complaint
from plaint.core.actors import Actor
from plaint.core.audit import audit_verify
from plaint.core.errors import Conflict, InvalidTransition, NotAllowed, ValidationFailed
from plaint.core.models import AuditEvent, OutboundEmail
from plaint.improvement import services as s
from plaint.improvement.models import CorrectiveAction
from plaint.improvement.states import TRANSITIONS, State, Step
from tests.factories import CategoryFactory
from tests.improvement.helpers import at, file_complaint

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivery(db):
    return CategoryFactory(code="delivery", name="Delivery")


def _open(manager, delivery, **kw):
    fields = {
        "title": "Parcels arrive crushed",
        "problem": "Complaints about crushed parcels doubled in the first quarter.",
        "source": "cluster",
        "source_ref": "Pareto: Delivery, 2026-01 to 2026-03",
        "owner_id": manager.pk,
        "indicator": {"kind": "received", "category": delivery.pk},
        "comparison": "le",
        "target": 2,
        "window_months": 3,
    }
    fields.update(kw)
    return s.corrective_action_open(actor=Actor.staff(manager), **fields)


def _to_acting(ca, manager, handler, due=dt.date(2026, 5, 20)):
    m = Actor.staff(manager)
    s.corrective_action_containment_record(actor=m, ca_id=ca.pk, containment="Double boxes.")
    s.corrective_action_cause_record(
        actor=m,
        ca_id=ca.pk,
        whys=["Boxes crushed", "Stacked too high", "No stacking limit", "Never set"],
        root_cause="The warehouse has no stacking limit for parcels.",
    )
    action = s.planned_action_add(
        actor=m, ca_id=ca.pk, description="Set a stacking limit", owner_id=handler.pk, due_on=due
    )
    s.corrective_action_actions_start(actor=m, ca_id=ca.pk)
    return action


def _seed(handler, delivery, months_counts):
    for (year, month), n in months_counts.items():
        for i in range(n):
            file_complaint(at(year, month, 5 + i), handler, category=delivery.code)


def test_the_check_rereads_the_same_indicator_and_closes_it_effective(manager, handler, delivery):
    _seed(handler, delivery, {(2026, 1): 3, (2026, 2): 2, (2026, 3): 4, (2026, 6): 1, (2026, 7): 1})
    with time_machine.travel(at(2026, 4, 15), tick=False):
        ca = _open(manager, delivery)
    assert (ca.baseline_start, ca.baseline_end) == (dt.date(2026, 1, 1), dt.date(2026, 3, 1))
    assert ca.baseline["value"] == 9  # 3 + 2 + 4
    with time_machine.travel(at(2026, 4, 20), tick=False):
        action = _to_acting(ca, manager, handler)
    with time_machine.travel(at(2026, 5, 18), tick=False):
        s.planned_action_done(actor=Actor.staff(handler), action_id=action.pk, evidence="Rule 7.2")
    ca.refresh_from_db()
    assert ca.state == State.AWAITING_CHECK  # the last action done scheduled the check
    assert (ca.check_start, ca.check_end, ca.check_due_on) == (
        dt.date(2026, 6, 1),
        dt.date(2026, 8, 1),
        dt.date(2026, 9, 1),
    )
    with time_machine.travel(at(2026, 8, 31), tick=False), pytest.raises(Conflict):
        s.corrective_action_check_run(actor=Actor.staff(manager), ca_id=ca.pk)
    with time_machine.travel(at(2026, 9, 1), tick=False):
        s.corrective_action_check_run(actor=Actor.staff(manager), ca_id=ca.pk)
    ca.refresh_from_db()
    independent = Complaint.objects.filter(
        category=delivery, received_at__gte=at(2026, 6, 1, 0), received_at__lt=at(2026, 9, 1, 0)
    ).count()
    assert ca.check_result["value"] == independent == 2
    assert ca.effective is True and ca.state == State.CLOSED_EFFECTIVE and ca.closed_at
    check = AuditEvent.objects.get(case_type="corrective_action", case_id=ca.pk, action="run_check")
    assert check.data["reading"]["value"] == 2 and check.data["effective"] is True
    assert audit_verify().breaks == []


def test_a_failed_check_is_reopened_for_a_new_round_then_closed_as_not_effective(
    manager, handler, delivery
):
    _seed(handler, delivery, {(2026, 6): 3})
    with time_machine.travel(at(2026, 4, 15), tick=False):
        ca = _open(manager, delivery)
        action = _to_acting(ca, manager, handler)
        s.planned_action_done(actor=Actor.staff(manager), action_id=action.pk)
    with time_machine.travel(at(2026, 8, 2), tick=False):
        ca = s.corrective_action_check_run(actor=Actor.system("sweep"), ca_id=ca.pk)
    assert ca.state == State.NOT_EFFECTIVE and ca.check_result["value"] == 3
    assert OutboundEmail.objects.filter(kind="corrective_action", to=manager.email).exists()
    m = Actor.staff(manager)
    with time_machine.travel(at(2026, 8, 3), tick=False):
        ca = s.corrective_action_reopen(actor=m, ca_id=ca.pk, reason="The limit was not the cause")
        assert (ca.state, ca.round, ca.effective, ca.check_due_on) == (
            State.CONTAINED,
            2,
            None,
            None,
        )
        assert ca.earlier_rounds[0]["check_result"]["value"] == 3
        s.corrective_action_cause_record(
            actor=m, ca_id=ca.pk, whys=["Couriers throw parcels"], root_cause="Courier handling"
        )
        with pytest.raises(Conflict):  # the first round's action does not count for the second
            s.corrective_action_actions_start(actor=m, ca_id=ca.pk)
        second = s.planned_action_add(
            actor=m,
            ca_id=ca.pk,
            description="Train couriers",
            owner_id=handler.pk,
            due_on=dt.date(2026, 8, 30),
        )
        s.corrective_action_actions_start(actor=m, ca_id=ca.pk)
        s.planned_action_done(actor=Actor.staff(handler), action_id=second.pk)
    _seed(handler, delivery, {(2026, 9): 3})
    with time_machine.travel(at(2026, 12, 1), tick=False):
        ca = s.corrective_action_check_run(actor=m, ca_id=ca.pk)
        assert ca.state == State.NOT_EFFECTIVE
        ca = s.corrective_action_close_not_effective(
            actor=m, ca_id=ca.pk, note="Escalated to the courier contract review."
        )
    assert ca.state == State.CLOSED_NOT_EFFECTIVE and ca.closed_at
    actions = list(
        AuditEvent.objects.filter(case_type="corrective_action", case_id=ca.pk).values_list(
            "action", flat=True
        )
    )
    assert actions.count("run_check") == 2 and actions[-1] == "close_not_effective"
    assert audit_verify().breaks == []


def _forced(manager, delivery, state: str) -> CorrectiveAction:
    ca = _open(manager, delivery)
    CorrectiveAction.objects.filter(pk=ca.pk).update(state=state)
    return ca


CALLS = {
    Step.RECORD_CONTAINMENT: lambda a, pk: s.corrective_action_containment_record(
        actor=a, ca_id=pk, containment="x"
    ),
    Step.RECORD_CAUSE: lambda a, pk: s.corrective_action_cause_record(
        actor=a, ca_id=pk, whys=["why"], root_cause="cause"
    ),
    Step.START_ACTIONS: lambda a, pk: s.corrective_action_actions_start(actor=a, ca_id=pk),
    Step.COMPLETE_ACTIONS: lambda a, pk: s.corrective_action_actions_complete(actor=a, ca_id=pk),
    Step.RUN_CHECK: lambda a, pk: s.corrective_action_check_run(actor=a, ca_id=pk),
    Step.REOPEN: lambda a, pk: s.corrective_action_reopen(actor=a, ca_id=pk, reason="r"),
    Step.CLOSE_NOT_EFFECTIVE: lambda a, pk: s.corrective_action_close_not_effective(
        actor=a, ca_id=pk, note="n"
    ),
    Step.CANCEL: lambda a, pk: s.corrective_action_cancel(actor=a, ca_id=pk, reason="r"),
}
REFUSED = [
    (step, state) for step, t in TRANSITIONS.items() for state in State if state not in t.sources
]


@pytest.mark.parametrize(("step", "state"), REFUSED, ids=[f"{a}-from-{b}" for a, b in REFUSED])
def test_every_step_is_refused_outside_its_states(manager, delivery, step, state):
    ca = _forced(manager, delivery, state)
    with pytest.raises(InvalidTransition):
        CALLS[step](Actor.staff(manager), ca.pk)
    assert CorrectiveAction.objects.get(pk=ca.pk).state == state


ALLOWED_SIMPLE = [
    (Step.RECORD_CONTAINMENT, State.OPEN, State.CONTAINED),
    (Step.RECORD_CONTAINMENT, State.CONTAINED, State.CONTAINED),
    (Step.RECORD_CAUSE, State.OPEN, State.CAUSE_FOUND),
    (Step.RECORD_CAUSE, State.CONTAINED, State.CAUSE_FOUND),
    (Step.RECORD_CAUSE, State.CAUSE_FOUND, State.CAUSE_FOUND),
    (Step.REOPEN, State.NOT_EFFECTIVE, State.CONTAINED),
    (Step.CLOSE_NOT_EFFECTIVE, State.NOT_EFFECTIVE, State.CLOSED_NOT_EFFECTIVE),
    *[(Step.CANCEL, st, State.CANCELLED) for st in sorted(TRANSITIONS[Step.CANCEL].sources)],
]


@pytest.mark.parametrize(("step", "state", "target"), ALLOWED_SIMPLE)
def test_each_allowed_step_moves_and_is_audited(manager, delivery, step, state, target):
    ca = _forced(manager, delivery, state)
    CALLS[step](Actor.staff(manager), ca.pk)
    assert CorrectiveAction.objects.get(pk=ca.pk).state == target
    last = AuditEvent.objects.filter(case_type="corrective_action", case_id=ca.pk).last()
    assert last is not None and last.action == step.value and last.data["to"] == target


def test_actions_must_all_be_done_before_the_check_is_scheduled(manager, handler, delivery):
    ca = _open(manager, delivery)
    _to_acting(ca, manager, handler)
    with pytest.raises(Conflict):
        s.corrective_action_actions_complete(actor=Actor.staff(manager), ca_id=ca.pk)


@pytest.mark.parametrize("role", ["handler", "auditor"])
def test_only_managers_and_admins_open_and_move_corrective_actions(
    personas, manager, delivery, role
):
    actor = Actor.staff(personas[role])
    with pytest.raises(NotAllowed):
        _open(personas[role], delivery)
    ca = _open(manager, delivery)
    for step in (Step.RECORD_CONTAINMENT, Step.CANCEL):
        with pytest.raises(NotAllowed):
            CALLS[step](actor, ca.pk)
    with pytest.raises(NotAllowed):
        s.planned_action_add(
            actor=actor, ca_id=ca.pk, description="x", owner_id=manager.pk, due_on=dt.date.today()
        )


def test_an_admin_may_open_one(admin_user, delivery):
    assert _open(admin_user, delivery).state == State.OPEN


def test_only_the_owner_or_a_manager_marks_an_action_done(
    manager, handler, other_handler, auditor, delivery
):
    ca = _open(manager, delivery)
    action = _to_acting(ca, manager, handler)
    for someone in (other_handler, auditor):
        with pytest.raises(NotAllowed):
            s.planned_action_done(actor=Actor.staff(someone), action_id=action.pk)
    s.planned_action_done(actor=Actor.staff(handler), action_id=action.pk, evidence="done")
    with pytest.raises(InvalidTransition):  # the check is scheduled: the round is closed
        s.planned_action_done(actor=Actor.staff(manager), action_id=action.pk)


def test_an_auditor_cannot_own_an_action_and_bad_input_is_named(manager, auditor, delivery):
    ca = _open(manager, delivery)
    with pytest.raises(ValidationFailed) as caught:
        s.planned_action_add(
            actor=Actor.staff(manager),
            ca_id=ca.pk,
            description="x",
            owner_id=auditor.pk,
            due_on=dt.date(2026, 5, 1),
        )
    assert "owner_id" in caught.value.fields
    with pytest.raises(ValidationFailed) as caught:
        _open(manager, delivery, window_months=13, indicator={"kind": "received", "days": 1})
    assert "indicator.days" in caught.value.fields
    with pytest.raises(ValidationFailed) as caught:
        s.corrective_action_cause_record(
            actor=Actor.staff(manager), ca_id=ca.pk, whys=[" "] * 3, root_cause="c"
        )
    assert "whys" in caught.value.fields


def test_opening_from_complaints_links_them_and_records_the_source(manager, handler, delivery):
    complaint = file_complaint(at(2026, 3, 3), handler, category="delivery")
    ca = _open(manager, delivery, source="complaint", complaint_ids=[complaint.pk])
    assert list(ca.complaints.all()) == [complaint]
    opened = AuditEvent.objects.get(case_type="corrective_action", case_id=ca.pk, action="opened")
    assert opened.data["complaints"] == [complaint.reference]
    assert opened.data["indicator"] == {"kind": "received", "category": delivery.pk}
