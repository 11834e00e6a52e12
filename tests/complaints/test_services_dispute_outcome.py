"""Recording the outcome of an external dispute resolution (ISO 10003) and its survey trigger."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from plaint.complaints import services as s
from plaint.complaints.states import State, Step, case_steps
from plaint.core.actors import Actor
from plaint.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from plaint.core.models import AuditEvent
from plaint.surveys.models import Invitation
from tests.factories import advance, make_complaint, office_today
from tests.surveys.factories import make_survey


def referred(handler, **fields):
    complaint, _ = make_complaint(**fields)
    advance(complaint, "decision_communicated", by=handler)
    return s.complaint_refer_external(
        complaint_id=complaint.pk, actor=Actor.staff(handler), note="To the ombudsman."
    )


def record(complaint, user, **overrides):
    kwargs = dict(
        provider="Consumer Disputes Committee",
        outcome="settled",
        closed_on=office_today(),
        binding=True,
        note="Settled at the hearing.",
    )
    kwargs.update(overrides)
    return s.complaint_record_dispute_outcome(
        complaint_id=complaint.pk, actor=Actor.staff(user), **kwargs
    )


def test_the_outcome_is_stored_and_audited_and_the_case_stays_referred(handler):
    complaint = referred(handler)
    version = complaint.version
    complaint = record(complaint, handler, expected_version=version)
    complaint.refresh_from_db()
    assert complaint.state == State.REFERRED_EXTERNAL
    assert (
        complaint.dispute_provider,
        complaint.dispute_outcome,
        complaint.dispute_closed_on,
        complaint.dispute_binding,
        complaint.dispute_note,
    ) == (
        "Consumer Disputes Committee",
        "settled",
        office_today(),
        True,
        "Settled at the hearing.",
    )
    assert complaint.version == version + 1
    event = AuditEvent.objects.filter(case_type="complaint", case_id=complaint.pk).latest("seq")
    assert event.action == Step.RECORD_DISPUTE_OUTCOME.value
    assert event.data["dispute"]["outcome"] == "settled"
    assert event.data["dispute"]["binding"] is True
    assert Step.RECORD_DISPUTE_OUTCOME not in case_steps(complaint, "staff")


@pytest.mark.parametrize("state", ["acknowledged", "decision_communicated", "closed"])
def test_refused_unless_referred(handler, state):
    complaint, _ = make_complaint()
    complaint = advance(complaint, state, by=handler)
    with pytest.raises(InvalidTransition, match="not possible"):
        record(complaint, handler)
    complaint.refresh_from_db()
    assert complaint.dispute_outcome == ""


def test_a_second_outcome_is_refused(handler):
    complaint = referred(handler)
    record(complaint, handler)
    with pytest.raises(InvalidTransition, match="already recorded"):
        record(complaint, handler, outcome="withdrawn")
    complaint.refresh_from_db()
    assert complaint.dispute_outcome == "settled"


def test_only_working_staff_may_record(handler, auditor):
    complaint = referred(handler)
    with pytest.raises(NotAllowed):
        record(complaint, auditor)
    with pytest.raises(NotAllowed):
        s.complaint_record_dispute_outcome(
            complaint_id=complaint.pk,
            actor=Actor.complainant(),
            provider="X",
            outcome="settled",
            closed_on=office_today(),
            binding=False,
        )


def test_dates_in_the_future_or_before_the_referral_are_refused(handler):
    complaint = referred(handler)
    with pytest.raises(ValidationFailed) as err:
        record(complaint, handler, closed_on=office_today() + dt.timedelta(days=1))
    assert "closed_on" in err.value.fields
    with pytest.raises(ValidationFailed) as err:
        record(complaint, handler, closed_on=office_today() - dt.timedelta(days=1))
    assert "closed_on" in err.value.fields
    later = timezone.now() + dt.timedelta(days=40)
    with time_machine.travel(later):
        complaint = record(complaint, handler, closed_on=later.date() - dt.timedelta(days=10))
    assert complaint.dispute_closed_on == later.date() - dt.timedelta(days=10)


def test_missing_provider_and_unknown_outcome_are_field_errors(handler):
    complaint = referred(handler)
    with pytest.raises(ValidationFailed) as err:
        record(complaint, handler, provider="  ", outcome="won")
    assert set(err.value.fields) == {"provider", "outcome"}


def test_no_invitation_without_an_active_dispute_survey(handler, manager):
    make_survey(manager, key="handling", kind="complaint_closed", delay_hours=0)
    complaint = referred(handler)
    record(complaint, handler)
    assert not Invitation.objects.exists()


def test_the_dispute_survey_invites_the_complainant(handler, manager):
    make_survey(manager, key="disputes", kind="dispute_closed", delay_hours=0)
    complaint = referred(handler, language="sv", name="Sven Svensson", email="Sven@Example.org")
    record(complaint, handler)
    invitation = Invitation.objects.get()
    assert (
        invitation.trigger,
        invitation.case_ref,
        invitation.email,
        invitation.name,
        invitation.language,
    ) == ("dispute_closed", complaint.reference, "sven@example.org", "Sven Svensson", "sv")


def test_no_invitation_without_an_email(handler, manager):
    make_survey(manager, key="disputes", kind="dispute_closed", delay_hours=0)
    complaint = referred(handler, email="", phone="+372 5555 1234", preferred_channel="phone")
    record(complaint, handler)
    assert not Invitation.objects.exists()
    complaint.refresh_from_db()
    assert complaint.dispute_outcome == "settled"


def test_today_and_the_referral_day_are_the_organisations_dates_not_utc(handler):
    # 23:30 UTC on 14 March is already 15 March in Tallinn (UTC+2): an outcome dated 15 March is
    # today where the office is, and a referral made at that moment was made on 15 March.
    with time_machine.travel(dt.datetime(2026, 3, 14, 23, 30, tzinfo=dt.UTC), tick=False):
        complaint = referred(handler)
        complaint = record(complaint, handler, closed_on=dt.date(2026, 3, 15))
    assert complaint.dispute_closed_on == dt.date(2026, 3, 15)
    with time_machine.travel(dt.datetime(2026, 3, 14, 23, 30, tzinfo=dt.UTC), tick=False):
        other = referred(handler)
        with pytest.raises(ValidationFailed) as err:
            record(other, handler, closed_on=dt.date(2026, 3, 14))
    assert "closed_on" in err.value.fields
