"""The periodic sweep: breaches pending checks whose due time passed, and notifies the assignee
and the managers once per check for "at risk" (the assignee through notifications) and once for
"breached"."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from plaint.complaints import services as cs
from plaint.core.actors import Actor
from plaint.core.models import OutboundEmail
from plaint.core.worker import housekeeping
from plaint.promises import services
from plaint.promises.models import PromiseCheck
from tests.factories import make_complaint
from tests.promises.factories import ACK_2_BD, RESPOND_10_BD, make_code

UTC = dt.UTC
T0 = dt.datetime(2026, 3, 2, 7, 0, tzinfo=UTC)  # Monday 09:00 Tallinn


def at(day: int, hour: int = 7) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, 0, tzinfo=UTC)


@pytest.fixture
def case(manager, handler):
    """A phone complaint, assigned to the handler, not yet acknowledged."""
    with time_machine.travel(T0 - dt.timedelta(days=30), tick=False):
        make_code(manager, promises=[ACK_2_BD, RESPOND_10_BD])
    with time_machine.travel(T0, tick=False):
        complaint, _ = make_complaint(channel="phone", actor=Actor.staff(handler))
        cs.complaint_assign(
            complaint_id=complaint.pk, actor=Actor.staff(handler), assignee_id=handler.pk
        )
    return complaint


def mails(kind: str) -> list[OutboundEmail]:
    return list(OutboundEmail.objects.filter(kind=kind).order_by("to"))


def test_at_risk_then_breach_each_notified_once(case, manager, handler):
    ack = PromiseCheck.objects.get(complaint=case, promise__key="acknowledge")
    # Wednesday 12:12 Tallinn is 80% of the acknowledgement clock (19.2 of 24 opening hours)
    assert ack.at_risk_at == dt.datetime(2026, 3, 4, 10, 12, 0, tzinfo=UTC)
    assert services.promise_checks_sweep(now=at(4, 9)).at_risk_notified == 0
    first = services.promise_checks_sweep(now=at(4, 11))
    assert (first.at_risk_notified, first.breached) == (1, 0)
    sent = mails("promise_at_risk")
    # the managers' overview; the assignee is told by notifications (PromisesAtRisk), as they chose
    assert [m.to for m in sent] == [manager.email]
    assert case.reference in sent[0].body and "service-promises/acknowledge" in sent[0].body
    [told] = mails("staff_notification")
    assert told.to == handler.email and case.reference in told.body
    again = services.promise_checks_sweep(now=at(4, 12))
    assert (again.at_risk_notified, again.mails) == (0, 0)
    assert len(mails("promise_at_risk")) == 1
    # Thursday: the acknowledgement is late
    late = services.promise_checks_sweep(now=at(5))
    assert (late.breached, late.breach_notified) == (1, 1)
    ack.refresh_from_db()
    assert ack.status == "breached" and ack.breached_at == at(4, 15)
    assert ack.notified_breach_at == at(5)
    assert [m.to for m in mails("promise_breached")] == [handler.email, manager.email]
    assert services.promise_checks_sweep(now=at(6)).mails == 0
    assert len(mails("promise_breached")) == 2


def test_sweep_leaves_decided_and_stopped_checks_alone(case, handler):
    with time_machine.travel(at(3), tick=False):
        cs.complaint_acknowledge(complaint_id=case.pk, actor=Actor.staff(handler))
        cs.complaint_request_information(
            complaint_id=case.pk, actor=Actor.staff(handler), reason="Order number?"
        )
    before = {c.pk: (c.status, c.updated_at) for c in PromiseCheck.objects.all()}
    result = services.promise_checks_sweep(now=at(31))
    assert (result.breached, result.at_risk_notified, result.breach_notified) == (0, 0, 0)
    assert {c.pk: (c.status, c.updated_at) for c in PromiseCheck.objects.all()} == before


def test_a_breach_found_by_a_lifecycle_step_is_notified_by_the_next_sweep(case, handler):
    with time_machine.travel(at(5), tick=False):
        cs.complaint_acknowledge(complaint_id=case.pk, actor=Actor.staff(handler))
    assert PromiseCheck.objects.get(promise__key="acknowledge").status == "breached"
    assert services.promise_checks_sweep(now=at(5)).breach_notified == 1


def test_worker_housekeeping_runs_the_sweep(case):
    with time_machine.travel(at(5), tick=False):
        housekeeping()
    assert PromiseCheck.objects.get(promise__key="acknowledge").status == "breached"
    assert OutboundEmail.objects.filter(kind="promise_breached").exists()


def test_notification_mail_in_the_recipients_language(case, manager):
    manager.language = "et"
    manager.save(update_fields=["language"])
    services.promise_checks_sweep(now=at(5))
    mail = OutboundEmail.objects.get(kind="promise_breached", to=manager.email)
    assert mail.language == "et" and "Rikutud lubadusi" in mail.subject


def test_a_restricted_case_is_mailed_to_its_readers_only(manager, handler, admin_user):
    """The managers' overview leaves out a case in a restricted category they are not named
    readers of; its assignee (a named reader) still hears of the breach."""
    from tests.factories import CategoryFactory

    with time_machine.travel(T0 - dt.timedelta(days=30), tick=False):
        make_code(manager, promises=[ACK_2_BD, RESPOND_10_BD])
    health = CategoryFactory(code="health")
    boss = Actor.staff(admin_user)
    cs.category_access_set(
        actor=boss, category_id=health.pk, restricted=True, reader_ids=[handler.pk]
    )
    with time_machine.travel(T0, tick=False):
        complaint, _ = make_complaint(
            channel="phone", actor=Actor.staff(handler), category="health"
        )
        cs.complaint_assign(complaint_id=complaint.pk, actor=boss, assignee_id=handler.pk)
    assert services.promise_checks_sweep(now=at(5)).breached == 1
    assert [m.to for m in mails("promise_breached")] == [handler.email]
    assert complaint.reference in mails("promise_breached")[0].body
