"""One audit verb per event: an acknowledgement is recorded as the step's verb ``acknowledge``,
whether it happens at intake or as a staff step. Chains written before keep their stored verb
``acknowledged`` (it is hashed into the chain) and show the same label."""

from __future__ import annotations

import pytest
from django.template import engines

from plaint.complaints.services import complaint_acknowledge
from plaint.complaints.states import Step, action_step
from plaint.core.actors import Actor
from plaint.core.audit import audit_append, audit_verify
from plaint.core.models import AuditEvent
from tests.factories import make_complaint

pytestmark = pytest.mark.django_db


def label(action: str) -> str:
    template = engines["django"].from_string("{% load plaint %}{{ action|event_label }}")
    return template.render({"action": action})


def verbs(complaint) -> list[str]:
    return list(
        AuditEvent.objects.filter(case_type="complaint", case_id=complaint.pk)
        .order_by("seq")
        .values_list("action", flat=True)
    )


def test_the_automatic_and_the_staff_acknowledgement_record_the_same_verb(handler):
    automatic, _token = make_complaint(channel="web")
    by_staff, _token = make_complaint(channel="phone", actor=Actor.staff(handler))
    complaint_acknowledge(complaint_id=by_staff.pk, actor=Actor.staff(handler))
    assert verbs(automatic) == ["received", "acknowledge"]
    assert verbs(by_staff) == ["received", "acknowledge"]
    auto = AuditEvent.objects.get(case_id=automatic.pk, action="acknowledge")
    assert auto.data["by"] == "auto" and auto.actor_id is None  # still told apart by its data


def test_a_stored_former_verb_keeps_its_hash_and_shows_the_steps_label(handler):
    complaint, _token = make_complaint(channel="phone", actor=Actor.staff(handler))
    audit_append(  # as intake wrote it before
        case_type="complaint",
        case_id=complaint.pk,
        actor_id=None,
        actor_label="system",
        action="acknowledged",
        data={"state": "acknowledged", "by": "auto"},
    )
    assert verbs(complaint) == ["received", "acknowledged"]
    assert audit_verify().breaks == []
    assert action_step("acknowledged") == action_step("acknowledge") == Step.ACKNOWLEDGE
    assert label("acknowledged") == label("acknowledge") == str(Step.ACKNOWLEDGE.label)
    assert action_step("received") is None and label("received") == "Complaint received"
