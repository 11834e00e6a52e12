"""Triggers, sampling, delay, quiet period, opt-out, sending, reminders and expiry."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from plaint.core.actors import Actor
from plaint.core.errors import Conflict, InvalidTransition, NotAllowed, ValidationFailed
from plaint.core.models import AuditEvent, OutboundEmail
from plaint.surveys import selectors, services
from plaint.surveys.models import Contact, Invitation, Suppression
from tests.factories import advance, make_complaint
from tests.surveys.factories import invite, make_survey

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _close(handler, **fields):
    complaint, _token = make_complaint(**fields)
    return advance(complaint, "closed", by=handler)


def test_closing_a_complaint_schedules_an_invitation_after_the_delay(manager, handler):
    with time_machine.travel(T0, tick=False):
        make_survey(manager, delay_hours=48)
        complaint = _close(handler, language="et")
        invitation = Invitation.objects.get(complaint=complaint)
        assert invitation.state == "scheduled"
        assert invitation.send_after == T0 + dt.timedelta(hours=48)
        assert (invitation.language, invitation.trigger) == ("et", "complaint_closed")
        assert invitation.case_ref == complaint.reference
        assert not OutboundEmail.objects.filter(kind="survey_invitation").exists()
        assert services.surveys_process_due().sent == 0  # not yet
    with time_machine.travel(T0 + dt.timedelta(hours=48, minutes=1), tick=False):
        assert services.surveys_process_due().sent == 1
    invitation.refresh_from_db()
    assert invitation.state == "sent" and invitation.sent_at
    mail = OutboundEmail.objects.get(kind="survey_invitation")
    assert mail.language == "et" and mail.to == "mari@example.org"
    assert services.invitation_token(invitation.token_salt) in mail.body
    assert "/opt-out/" in mail.body


def test_withdrawn_complaint_is_invited_too(manager, handler):
    from plaint.complaints.services import complaint_withdraw

    make_survey(manager)
    complaint, _ = make_complaint()
    complaint_withdraw(complaint_id=complaint.pk, actor=Actor.complainant())
    assert Invitation.objects.filter(complaint=complaint).count() == 1


def test_no_active_survey_or_no_email_no_invitation(manager, handler):
    complaint = _close(handler)
    assert not Invitation.objects.exists()
    make_survey(manager)
    complaint, _ = make_complaint(email="", phone="+372 5555 1234", preferred_channel="phone")
    advance(complaint, "closed", by=handler)
    assert not Invitation.objects.filter(complaint=complaint).exists()


def test_sampling_rate_invites_about_that_share_deterministically(manager):
    survey = make_survey(manager, sampling_rate="0.3")
    picks = [
        services.in_sample(survey.key, f"complaint:{i}", survey.sampling_rate) for i in range(2000)
    ]
    assert 0.26 < sum(picks) / 2000 < 0.34
    again = [
        services.in_sample(survey.key, f"complaint:{i}", survey.sampling_rate) for i in range(2000)
    ]
    assert picks == again


def test_sampling_zero_invites_nobody(manager, handler):
    make_survey(manager, sampling_rate="0")
    _close(handler)
    assert not Invitation.objects.exists()


def test_quiet_period_blocks_a_second_invitation_to_the_same_address(manager, handler):
    with time_machine.travel(T0, tick=False):
        make_survey(manager, quiet_period_days=60)
        _close(handler, email="Mari@Example.org")
        _close(handler, email="mari@example.org")
        assert Invitation.objects.count() == 1
    with time_machine.travel(T0 + dt.timedelta(days=61), tick=False):
        _close(handler, email="mari@example.org")
        assert Invitation.objects.count() == 2


def test_manual_invitation_refused_in_quiet_period_and_after_opt_out(manager):
    survey = make_survey(manager, quiet_period_days=30)
    _inv, token = invite(manager, survey, email="a@example.org")
    with pytest.raises(Conflict, match="quiet period"):
        invite(manager, survey, email="A@example.org")
    services.invitation_opt_out(token=token)
    assert Suppression.objects.filter(email="a@example.org").exists()
    with pytest.raises(Conflict, match="opted out"):
        services.invitation_create(
            actor=Actor.staff(manager), survey_id=survey.pk, email="a@example.org"
        )


def test_opt_out_is_for_good_and_closes_open_invitations(manager, handler):
    with time_machine.travel(T0, tick=False):
        survey = make_survey(manager, quiet_period_days=0)
        first, token = invite(manager, survey, email="mari@example.org")
        complaint = _close(handler)  # scheduled, not yet sent
        scheduled = Invitation.objects.get(complaint=complaint)
        services.invitation_opt_out(token=token)
        services.invitation_opt_out(token=token)  # twice is fine
        first.refresh_from_db()
        scheduled.refresh_from_db()
        assert first.state == scheduled.state == "opted_out"
        assert Suppression.objects.count() == 1
    with time_machine.travel(T0 + dt.timedelta(days=400), tick=False):
        _close(handler)
        assert Invitation.objects.filter(state="scheduled").count() == 0
        with pytest.raises(InvalidTransition):
            services.response_save(token=token, answers={"overall": "5"}, submit=True)


def test_handler_and_auditor_may_not_invite(personas):
    survey = make_survey(personas["manager"])
    for role in ("handler", "auditor"):
        with pytest.raises(NotAllowed):
            services.invitation_create(
                actor=Actor.staff(personas[role]), survey_id=survey.pk, email="x@example.org"
            )


def test_manual_invitation_checks_input_and_state(manager):
    survey = make_survey(manager, activate=False)
    with pytest.raises(InvalidTransition):
        services.invitation_create(actor=Actor.staff(manager), survey_id=survey.pk, email="a@b.org")
    services.survey_activate(actor=Actor.staff(manager), survey_id=survey.pk)
    with pytest.raises(ValidationFailed) as exc:
        services.invitation_create(actor=Actor.staff(manager), survey_id=survey.pk, email="nope")
    assert "email" in exc.value.fields


def test_reminders_count_spacing_and_expiry(manager):
    with time_machine.travel(T0, tick=False):
        survey = make_survey(
            manager, reminder_count=2, reminder_interval_days=3, expiry_days=10, quiet_period_days=0
        )
        invitation, _token = invite(manager, survey)
        assert invitation.next_reminder_at == T0 + dt.timedelta(days=3)
        assert invitation.expires_at == T0 + dt.timedelta(days=10)
    with time_machine.travel(T0 + dt.timedelta(days=2), tick=False):
        assert services.surveys_process_due().reminded == 0
    with time_machine.travel(T0 + dt.timedelta(days=3, hours=1), tick=False):
        assert services.surveys_process_due().reminded == 1
        assert services.surveys_process_due().reminded == 0  # idempotent
    with time_machine.travel(T0 + dt.timedelta(days=6, hours=2), tick=False):
        assert services.surveys_process_due().reminded == 1
    with time_machine.travel(T0 + dt.timedelta(days=9, hours=3), tick=False):
        assert services.surveys_process_due().reminded == 0  # count reached
        with pytest.raises(InvalidTransition):
            services.invitation_remind(invitation_id=invitation.pk)
    invitation.refresh_from_db()
    assert invitation.reminders_sent == 2
    assert OutboundEmail.objects.filter(kind="survey_reminder").count() == 2
    with time_machine.travel(T0 + dt.timedelta(days=10, minutes=1), tick=False):
        assert services.surveys_process_due().expired == 1
    invitation.refresh_from_db()
    assert invitation.state == "expired"
    actions = list(
        AuditEvent.objects.filter(case_type="survey_invitation", case_id=invitation.pk).values_list(
            "action", flat=True
        )
    )
    assert actions == ["created", "send", "remind", "remind", "expire"]


def test_answered_invitation_gets_no_reminder(manager):
    with time_machine.travel(T0, tick=False):
        survey = make_survey(manager, reminder_count=1, reminder_interval_days=2)
        _invitation, token = invite(manager, survey)
        services.response_save(token=token, answers={"overall": "5"}, submit=True)
    with time_machine.travel(T0 + dt.timedelta(days=3), tick=False):
        assert services.surveys_process_due().reminded == 0


def test_archiving_cancels_scheduled_invitations(manager, handler):
    survey = make_survey(manager)
    complaint = _close(handler)
    services.survey_archive(actor=Actor.staff(manager), survey_id=survey.pk)
    assert Invitation.objects.get(complaint=complaint).state == "cancelled"


def test_dispute_trigger(manager):
    assert services.survey_invite_after_dispute(dispute_ref="D-1", email="p@example.org") is None
    make_survey(manager, key="disputes", kind="dispute_closed", delay_hours=0)
    invitation = services.survey_invite_after_dispute(
        dispute_ref="D-1", email="P@example.org", language="sv"
    )
    assert (invitation.trigger, invitation.email, invitation.language) == (
        "dispute_closed",
        "p@example.org",
        "sv",
    )
    assert services.survey_invite_after_dispute(dispute_ref="D-1", email="p@example.org") is None


def test_relationship_wave_respects_segment_opt_out_and_quiet_period(manager):
    actor = Actor.staff(manager)
    services.contacts_import_csv(
        actor=actor,
        data="email,name,language,segment\n"
        "a@example.org,A,en,retail\nb@example.org,B,fa,retail\nc@example.org,C,et,business\n"
        "d@example.org,D,sv,retail\n",
    )
    Suppression.objects.create(email="d@example.org", created_at=timezone.now())
    survey = make_survey(manager, key="rel", kind="relationship", quiet_period_days=90)
    invite(manager, survey, email="b@example.org")
    report = services.survey_invite_contacts(actor=actor, survey_id=survey.pk, segment="retail")
    assert (report.invited, report.opted_out, report.quiet_period) == (1, 1, 1)
    invitation = Invitation.objects.get(email="a@example.org")
    assert invitation.contact == Contact.objects.get(email="a@example.org")
    with pytest.raises(ValidationFailed):
        services.survey_invite_contacts(actor=actor, survey_id=make_survey(manager, key="h8").pk)


def test_periodic_waves_run_from_housekeeping(manager):
    from plaint.core.worker import housekeeping

    services.contacts_import_csv(actor=Actor.staff(manager), data="email\nz@example.org\n")
    with time_machine.travel(T0, tick=False):
        survey = make_survey(manager, key="rel", kind="relationship", period_days=90)
        housekeeping()
        assert Invitation.objects.filter(email="z@example.org", state="sent").count() == 1
        assert selectors.waves_due(now=T0 + dt.timedelta(days=89)) == []
    assert selectors.waves_due(now=T0 + dt.timedelta(days=90)) == [survey.pk]


def test_invitation_mail_is_delivered_in_the_recipients_language(manager, smtp_server, run_jobs):
    survey = make_survey(manager)
    invite(manager, survey, email="fa@example.org", language="fa")
    invite(manager, survey, email="uk@example.org", language="uk")
    invite(manager, survey, email="xx@example.org", language="en")
    run_jobs()
    got = {m.rcpt_tos[0]: m.message for m in smtp_server.wait_for(3)}
    assert set(got) == {"fa@example.org", "uk@example.org", "xx@example.org"}
    assert "شکایت شما" in got["fa@example.org"]["Subject"]  # the Persian survey title
    assert "عملکرد ما" in got["fa@example.org"]["Subject"]
    assert "Як ми впоралися" in got["uk@example.org"]["Subject"]
    assert "How did we do?" in got["xx@example.org"]["Subject"]
    body = got["fa@example.org"].get_content()
    assert "/survey/" in body and "/opt-out/" in body


def test_cancel_and_refused_invitation_steps(manager, handler):
    survey = make_survey(manager, quiet_period_days=0)
    invitation, token = invite(manager, survey)
    with pytest.raises(NotAllowed):
        services.invitation_cancel(actor=Actor.staff(handler), invitation_id=invitation.pk)
    services.invitation_cancel(actor=Actor.staff(manager), invitation_id=invitation.pk)
    invitation.refresh_from_db()
    assert invitation.state == "cancelled" and invitation.closed_at
    with pytest.raises(InvalidTransition):
        services.invitation_cancel(actor=Actor.staff(manager), invitation_id=invitation.pk)
    with pytest.raises(InvalidTransition):
        services.invitation_send(invitation_id=invitation.pk)
    with pytest.raises(InvalidTransition) as exc:
        services.response_save(token=token, answers={"overall": "5"}, submit=True)
    assert exc.value.reason == "expired"
    answered, token2 = invite(manager, survey, email="b@example.org")
    services.response_save(token=token2, answers={"overall": "5"}, submit=True)
    with pytest.raises(InvalidTransition):
        services.invitation_expire(invitation_id=answered.pk)
    with pytest.raises(InvalidTransition):
        services.invitation_remind(invitation_id=answered.pk)


def test_scheduled_invitation_to_an_address_that_opted_out_meanwhile_is_cancelled(manager, handler):
    make_survey(manager, delay_hours=24, quiet_period_days=0)
    complaint = _close(handler)
    scheduled = Invitation.objects.get(complaint=complaint)
    Suppression.objects.create(email=scheduled.email, created_at=timezone.now())
    services.invitation_send(invitation_id=scheduled.pk)
    scheduled.refresh_from_db()
    assert scheduled.state == "cancelled"
    assert not OutboundEmail.objects.filter(kind="survey_invitation").exists()
