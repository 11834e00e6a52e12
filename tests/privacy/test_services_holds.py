"""Legal holds stop erasure and retention, saying which hold and why."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from plaint.core.actors import Actor
from plaint.core.audit import audit_verify
from plaint.core.errors import Conflict, NotAllowed, ValidationFailed
from plaint.privacy.selectors import subject_lookup
from plaint.privacy.services import (
    erasure_plan,
    legal_hold_place,
    legal_hold_release,
    retention_apply,
    subject_erase,
)
from tests.privacy.conftest import EMAIL, NAME
from tests.privacy.scan import database_hits


def test_a_hold_on_one_case_refuses_the_erasure_naming_the_hold(person, admin_user):
    actor = Actor.staff(admin_user)
    reason = f"Court case 12/34 brought by {NAME}"
    with time_machine.travel(dt.datetime(2026, 3, 5, 10, tzinfo=dt.UTC), tick=False):
        hold = legal_hold_place(actor=actor, reference=person[0].reference, reason=reason)
    subject = subject_lookup(query=EMAIL)
    plan = erasure_plan(actor=actor, subject=subject)
    assert plan.blocked and plan.holds == [hold]
    with pytest.raises(Conflict) as refused:
        subject_erase(actor=actor, subject=subject)
    message = refused.value.message
    assert person[0].reference in message and "Court case 12/34" in message
    assert f"hold {hold.pk}" in message and "ada" in message
    assert "on 5 March 2026:" in message  # as English writes a date, not "2026-03-05"
    assert subject_lookup(query=NAME).found  # nothing was erased

    legal_hold_release(actor=actor, hold_id=hold.pk)
    subject_erase(actor=actor, subject=subject_lookup(query=EMAIL))
    assert not subject_lookup(query=EMAIL).found
    # The hold's reason named her: gone from the hold and its chain, which still verifies.
    assert database_hits([NAME]) == {}
    assert not audit_verify().breaks


def test_a_hold_on_the_person_covers_all_their_cases(person, admin_user):
    actor = Actor.staff(admin_user)
    legal_hold_place(actor=actor, person_of=person[1].reference, reason="Claim pending")
    with pytest.raises(Conflict, match="the person"):
        subject_erase(actor=actor, subject=subject_lookup(query=EMAIL))


def test_retention_skips_held_cases(person, admin_user):
    legal_hold_place(actor=Actor.staff(admin_user), reference=person[0].reference, reason="Audit")
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=4000)):
        report = retention_apply(dry_run=False)
    assert report.held == [person[0].reference]
    assert report.counts["complaints"] == 1
    person[0].complainant.refresh_from_db()
    assert person[0].complainant.name == NAME


def test_a_hold_needs_a_reason_and_the_permission(person, admin_user, manager):
    with pytest.raises(ValidationFailed):
        legal_hold_place(actor=Actor.staff(admin_user), reference=person[0].reference, reason=" ")
    with pytest.raises(NotAllowed):
        legal_hold_place(actor=Actor.staff(manager), reference=person[0].reference, reason="x")


def test_a_manager_given_the_permission_may(person, manager):
    from django.contrib.auth.models import Permission

    manager.user_permissions.add(Permission.objects.get(codename="handle_subject_requests"))
    manager = type(manager).objects.get(pk=manager.pk)  # permissions are cached per instance
    hold = legal_hold_place(actor=Actor.staff(manager), reference=person[0].reference, reason="x")
    assert hold.created_by == manager
