"""Objectives: written by managers and admins, audited, measured against their target."""

from __future__ import annotations

import datetime as dt

import pytest

from plaint.core.actors import Actor
from plaint.core.audit import audit_verify
from plaint.core.errors import NotAllowed, ValidationFailed
from plaint.core.models import AuditEvent
from plaint.improvement import services as s
from plaint.improvement.selectors_corrective import objective_list
from tests.improvement.helpers import at, file_complaint

pytestmark = pytest.mark.django_db


def _create(user, **kw):
    fields = {
        "name": "Acknowledge within one business day",
        "owner_id": user.pk,
        "indicator": {"kind": "ack_within_business_days", "days": 1},
        "comparison": "ge",
        "target": 95,
        "period_start": dt.date(2026, 3, 1),
        "period_end": dt.date(2026, 3, 31),
    }
    fields.update(kw)
    return s.objective_create(actor=Actor.staff(user), **fields)


def test_an_objective_shows_its_actual_against_the_target(manager, handler):
    file_complaint(at(2026, 3, 10), handler, ack_after=dt.timedelta(hours=1))
    file_complaint(at(2026, 3, 10), handler, ack_after=dt.timedelta(days=9))
    objective = _create(manager)
    assert objective.period_end == dt.date(2026, 3, 1)  # months: the first day
    [row] = objective_list(actor=manager)
    assert row.reading.value == pytest.approx(50.0) and row.reading.n == 2
    assert row.met is False
    s.objective_update(actor=Actor.staff(manager), objective_id=objective.pk, target=50)
    assert objective_list(actor=manager)[0].met is True
    actions = AuditEvent.objects.filter(case_type="objective", case_id=objective.pk)
    assert [e.action for e in actions] == ["created", "updated"]
    assert actions.last().data["criterion"] == ["ge", 50.0]
    assert audit_verify().breaks == []


@pytest.mark.parametrize("role", ["handler", "auditor"])
def test_only_managers_and_admins_write_objectives(personas, role):
    with pytest.raises(NotAllowed):
        _create(personas[role], owner_id=personas["manager"].pk)


def test_an_admin_writes_one_and_everyone_on_staff_reads(personas):
    _create(personas["admin"])
    for user in personas.values():
        assert len(objective_list(actor=user)) == 1


def test_bad_objectives_are_refused_with_the_field(manager):
    with pytest.raises(ValidationFailed) as caught:
        _create(manager, period_end=dt.date(2026, 1, 1))
    assert "period_end" in caught.value.fields
    with pytest.raises(ValidationFailed) as caught:
        _create(manager, comparison="eq")
    assert "comparison" in caught.value.fields
