"""Overdue obligations of dispute outcomes: the periodic duty alerts the owner and a manager (a mail
through the outbox, a notification in the app) once per obligation and overdue episode; a done
obligation, or one due today, alerts nobody; the list page keeps compliance as a headline."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone, translation
from django.utils.formats import date_format

from plaint.accounts.models import Team
from plaint.core.actors import Actor
from plaint.core.duties import duty_spec, run_duty
from plaint.core.models import AuditEvent, OutboundEmail
from plaint.disputes import services
from plaint.disputes.models import Obligation
from plaint.disputes.services.overdue import obligations_overdue_sweep
from plaint.notifications.models import Kind, Notification
from tests.disputes.cases import decided_complaint, obligation, provider_with_all_methods, refer
from tests.factories import UserFactory, office_today

pytestmark = pytest.mark.django_db
DUTY = "disputes.obligations_overdue"


def owing(handler, manager, *, days: int = 1, count: int = 1):
    """A determinative dispute upheld with ``count`` refunds due in ``days`` days."""
    provider = provider_with_all_methods(manager)
    dispute = refer(handler, decided_complaint(handler), provider)
    staff = Actor.staff(handler)
    services.dispute_position_send(actor=staff, dispute_id=dispute.pk, position="Our position.")
    services.dispute_file_complete(actor=staff, dispute_id=dispute.pk)
    services.dispute_outcome_record(
        actor=staff, dispute_id=dispute.pk, outcome="upheld", reasons="Charged twice.",
        obligations=[obligation(handler, days=days) for _ in range(count)],
    )  # fmt: skip
    return dispute


def later(days: int):
    return time_machine.travel(timezone.now() + dt.timedelta(days=days), tick=False)


def alerts(dispute):
    return AuditEvent.objects.filter(
        case_type="dispute", case_id=dispute.pk, action="obligation_overdue"
    )


def test_the_duty_is_registered_and_runs_the_sweep():
    spec = duty_spec(DUTY)
    assert spec is not None and spec.run is obligations_overdue_sweep


def test_an_overdue_obligation_alerts_the_owner_and_a_manager_once(handler, manager):
    handler.language = "et"
    handler.save(update_fields=["language"])
    dispute = owing(handler, manager, days=1)
    assert obligations_overdue_sweep() == 0  # not due yet
    with later(3):
        assert run_duty(DUTY) == "ok"
        mails = {m.to: m for m in OutboundEmail.objects.filter(kind="dispute_obligation_overdue")}
        assert set(mails) == {handler.email, manager.email}
        assert mails[handler.email].subject.startswith("Vaidluse kohustus")  # the owner's language
        # the day it was due, as each recipient's language writes a date ("5. detsember 2026",
        # "5 December 2026"), not "2026-12-05"
        due = Obligation.objects.get().due_on
        for person, language in ((handler, "et"), (manager, "en")):
            with translation.override(language):
                day = date_format(due, "DATE_FORMAT")
            assert day in mails[person.email].body
            assert due.isoformat() not in mails[person.email].body
        assert dispute.reference in mails[manager.email].subject
        assert f"/staff/disputes/{dispute.pk}/" in mails[manager.email].body
        told = Notification.objects.filter(kind=Kind.DISPUTE_OBLIGATION_OVERDUE)
        assert {n.recipient_id for n in told} == {handler.pk, manager.pk}
        assert {n.subject_path for n in told} == {f"/staff/disputes/{dispute.pk}/"}
        assert alerts(dispute).count() == 1 and Obligation.objects.get().overdue_alerted_at
        # the next runs, any number of them, tell nobody again
        assert obligations_overdue_sweep() == 0
    with later(10):
        assert obligations_overdue_sweep() == 0
    assert OutboundEmail.objects.filter(kind="dispute_obligation_overdue").count() == 2
    assert told.count() == 2 and alerts(dispute).count() == 1


def test_a_done_obligation_or_one_due_today_alerts_nobody(handler, manager):
    dispute = owing(handler, manager, days=2, count=2)
    first, second = Obligation.objects.order_by("pk")
    services.obligation_done(
        actor=Actor.staff(handler), obligation_id=first.pk, evidence="Paid on 2026-12-01"
    )
    with later(2):  # the due day itself: still on time
        assert obligations_overdue_sweep() == 0
    with later(3):
        assert obligations_overdue_sweep() == 1
    assert list(alerts(dispute).values_list("data__obligation", flat=True)) == [second.pk]


def test_a_new_overdue_episode_alerts_again(handler, manager):
    owing(handler, manager, days=1)
    with later(3):
        assert obligations_overdue_sweep() == 1
    # the provider gave more time: a new due day (no service moves it yet; the row stands in)
    Obligation.objects.update(due_on=office_today() + dt.timedelta(days=5))
    with later(4):
        assert obligations_overdue_sweep() == 0  # not overdue in the new episode yet
    with later(7):
        assert obligations_overdue_sweep() == 1
    assert OutboundEmail.objects.filter(kind="dispute_obligation_overdue").count() == 4


def test_the_manager_told_is_the_owners_teams_when_it_has_one(handler, manager):
    team = Team.objects.create(name="Billing")
    lead = UserFactory(username="lena", role="manager", team=team)
    handler.team = team
    handler.save(update_fields=["team"])
    owing(handler, manager, days=1)
    with later(3):
        obligations_overdue_sweep()
    told = set(OutboundEmail.objects.values_list("to", flat=True).filter(kind__startswith="disp"))
    assert told == {handler.email, lead.email}  # not every manager of the organisation


def test_the_list_page_keeps_compliance_as_a_headline(handler, manager):
    owing(handler, manager, days=1, count=2)
    first = Obligation.objects.order_by("pk").first()
    services.obligation_done(actor=Actor.staff(handler), obligation_id=first.pk, evidence="Paid")
    client = Client()
    client.force_login(handler)
    with later(3):
        page = client.get("/staff/disputes/").content.decode()
    assert 'id="compliance"' in page
    assert "50%" in page and "of the 2 obligations due in the last 365 days" in page
    assert "Overdue and not done: 1." in page
