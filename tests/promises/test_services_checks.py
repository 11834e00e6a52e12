"""Promise checks follow the complaint: created at intake, recomputed on every step, paused while
the case waits on the complainant and during regulatory pauses, never reset by a state change."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from plaint.complaints import services as cs
from plaint.core.actors import Actor
from plaint.core.calendars import clock
from plaint.core.selectors import calendar_default
from plaint.promises import services
from plaint.promises.models import PromiseCheck
from tests.factories import CategoryFactory, advance, make_complaint
from tests.promises.factories import ACK_2_BD, REMEDY_5_CD, RESPOND_10_BD, make_code

UTC = dt.UTC
# Monday 2 March 2026, 09:00 in Tallinn (UTC+2): the organisation's default calendar (EE, 09-17).
T0 = dt.datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


def at(day: int, hour: int = 7, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def checks(complaint) -> dict[str, PromiseCheck]:
    return {
        c.promise.key: c
        for c in PromiseCheck.objects.filter(complaint=complaint).select_related("promise")
    }


@pytest.fixture
def code(manager):
    with time_machine.travel(T0 - dt.timedelta(days=30), tick=False):
        return make_code(manager, promises=[ACK_2_BD, RESPOND_10_BD, REMEDY_5_CD])


def file(*, when=T0, **fields):
    with time_machine.travel(when, tick=False):
        return make_complaint(**fields)[0]


def test_intake_creates_checks_and_due_dates_from_the_promises(code):
    complaint = file()
    got = checks(complaint)
    assert set(got) == {"acknowledge", "respond", "remedy"}
    # web intake acknowledges at once: the acknowledgement promise is met at receipt
    assert got["acknowledge"].status == "met" and got["acknowledge"].met_at == T0
    # 10 business days from Monday 09:00: the end of Monday 16 March (17:00 Tallinn)
    assert got["respond"].due_at == at(16, 15)
    assert got["respond"].status == "pending"
    # the remedy clock starts at the decision
    assert got["remedy"].started_at is None and got["remedy"].due_at is None
    complaint.refresh_from_db()
    assert complaint.acknowledgement_due_at == at(4, 15)  # 2 business days: Wednesday 17:00
    assert complaint.response_due_at == at(16, 15)


def test_without_promises_the_due_dates_fall_back_to_the_organisation_settings(db):
    complaint = file()
    assert not PromiseCheck.objects.exists()
    from plaint.core.deadlines import complaint_due_dates
    from plaint.core.selectors import organisation_get

    assert (complaint.acknowledgement_due_at, complaint.response_due_at) == complaint_due_dates(
        T0, organisation_get()
    )


def test_at_risk_time_is_when_80_percent_of_the_clock_is_used(code):
    complaint = file()
    check = checks(complaint)["respond"]
    cal = calendar_default()
    used = clock(cal, T0, 10, "business_days", now=check.at_risk_at).fraction_used
    before = clock(
        cal, T0, 10, "business_days", now=check.at_risk_at - dt.timedelta(minutes=2)
    ).fraction_used
    assert used >= 0.8 > before


def test_acknowledgement_late_is_breached_at_the_due_time(code, handler):
    with time_machine.travel(T0, tick=False):
        complaint, _ = make_complaint(channel="phone", actor=Actor.staff(handler))
    assert checks(complaint)["acknowledge"].status == "pending"
    with time_machine.travel(at(5), tick=False):
        cs.complaint_acknowledge(complaint_id=complaint.pk, actor=Actor.staff(handler))
    ack = checks(complaint)["acknowledge"]
    assert ack.status == "breached" and ack.breached_at == at(4, 15) and ack.met_at is None


def test_waiting_on_the_complainant_pauses_only_the_clocks_that_pause(code, handler):
    complaint = file()
    with time_machine.travel(at(3), tick=False):  # Tuesday 09:00
        complaint = cs.complaint_request_information(
            complaint_id=complaint.pk, actor=Actor.staff(handler), reason="Your order number?"
        )
    assert complaint.state == "waiting_on_complainant" and complaint.resume_state == "acknowledged"
    respond = checks(complaint)["respond"]
    assert respond.status == "pending" and respond.due_at is None and respond.at_risk_at is None
    # the sweep cannot breach a stopped clock, however late it gets
    assert services.promise_checks_sweep(now=at(31)).breached == 0
    with time_machine.travel(at(5), tick=False):  # Thursday 09:00: the complainant answers
        cs.message_post(complaint_id=complaint.pk, actor=Actor.complainant(), body="It is 4711.")
    complaint.refresh_from_db()
    assert complaint.state == "acknowledged" and complaint.resume_state == ""
    assert complaint.paused_periods == [[at(3).isoformat(), at(5).isoformat()]]
    # two business days (Tuesday, Wednesday) paused: due moves from 16 to 18 March, 17:00
    assert checks(complaint)["respond"].due_at == at(18, 15)


def test_staff_can_resume_and_the_clock_runs_again(code, handler):
    complaint = file()
    staff = Actor.staff(handler)
    with time_machine.travel(at(3), tick=False):
        cs.complaint_request_information(complaint_id=complaint.pk, actor=staff, reason="Receipt?")
    with time_machine.travel(at(4), tick=False):
        complaint = cs.complaint_resume(complaint_id=complaint.pk, actor=staff)
    assert complaint.state == "acknowledged"
    assert checks(complaint)["respond"].due_at == at(17, 15)  # one business day paused


def test_regulatory_pause_extends_the_clocks_of_its_category_only(code, manager, run_jobs):
    mortgages = CategoryFactory(code="mortgages")
    paused = file(category="mortgages")
    other = file()
    services.regulatory_pause_create(
        actor=Actor.staff(manager),
        starts_at=dt.datetime(2026, 3, 1, 22, 0, tzinfo=UTC),  # Monday 00:00 Tallinn
        ends_at=dt.datetime(2026, 3, 8, 22, 0, tzinfo=UTC),  # the next Monday 00:00
        reason="FCA stopped the clock for mortgage complaints",
        category_code=mortgages.code,
    )
    assert checks(paused)["respond"].due_at == at(16, 15)  # applied by the job, not the request
    run_jobs()
    # the whole first week's business time (from 09:00 Monday: 5 days) is paused
    assert checks(paused)["respond"].due_at == at(23, 15)
    assert checks(other)["respond"].due_at == at(16, 15)
    # a complaint received later in the pause is affected too
    later = file(when=at(4), category="mortgages")
    assert checks(later)["respond"].due_at == at(23, 15)
    later.refresh_from_db()
    assert later.response_due_at == at(23, 15)  # the case's own due date honours the pause too


def test_a_state_change_never_resets_a_running_or_finished_clock(code, handler, other_handler):
    complaint = file()
    before = checks(complaint)["respond"]
    with time_machine.travel(at(4), tick=False):
        complaint = advance(complaint, "investigating", by=handler)
    running = checks(complaint)["respond"]
    assert (
        (running.started_at, running.due_at)
        == (before.started_at, before.due_at)
        == (
            T0,
            at(16, 15),
        )
    )
    with time_machine.travel(at(10), tick=False):
        complaint = advance(complaint, "decision_communicated", by=handler)
    met = checks(complaint)["respond"]
    assert met.status == "met" and met.met_at == at(10)
    # not satisfied: internal review, a second decision much later, after the due time
    with time_machine.travel(at(11), tick=False):
        cs.complaint_decline_decision(
            complaint_id=complaint.pk, actor=Actor.complainant(), reason="Not enough."
        )
    with time_machine.travel(at(25), tick=False):
        cs.complaint_propose_response(
            complaint_id=complaint.pk,
            actor=Actor.staff(other_handler),
            decision="Full refund.",
            remedies=[cs.RemedyInput("refund", amount=Decimal("20"), currency="EUR")],
        )
        cs.complaint_communicate_decision(
            complaint_id=complaint.pk, actor=Actor.staff(other_handler)
        )
    after = checks(complaint)["respond"]
    assert after.status == "met" and after.met_at == at(10)


def test_remedy_clock_runs_from_decision_to_delivery(code, handler):
    complaint = file()
    with time_machine.travel(at(5), tick=False):
        complaint = advance(complaint, "decision_communicated", by=handler)
    remedy = checks(complaint)["remedy"]
    assert remedy.started_at == at(5) and remedy.due_at == at(10)  # 5 calendar days
    with time_machine.travel(at(9), tick=False):
        cs.complaint_record_remedy_delivered(complaint_id=complaint.pk, actor=Actor.staff(handler))
    remedy = checks(complaint)["remedy"]
    assert remedy.status == "met" and remedy.met_at == at(9)


def test_a_review_that_withdraws_the_remedy_leaves_nothing_to_deliver(code, handler, other_handler):
    complaint = file()
    with time_machine.travel(at(5), tick=False):
        complaint = advance(complaint, "decision_communicated", by=handler)
        cs.complaint_decline_decision(
            complaint_id=complaint.pk, actor=Actor.complainant(), reason="Not enough."
        )
    assert checks(complaint)["remedy"].status == "pending"
    with time_machine.travel(at(6), tick=False):  # the new proposal offers no remedy
        cs.complaint_propose_response(
            complaint_id=complaint.pk,
            actor=Actor.staff(other_handler),
            decision="On review the decision stands, without a refund.",
            remedies=[],
        )
    assert checks(complaint)["remedy"].status == "not_applicable"


def test_remedy_recorded_twice_is_refused(code, handler):
    from plaint.core.errors import InvalidTransition

    complaint = file()
    with time_machine.travel(at(5), tick=False):
        complaint = advance(complaint, "decision_communicated", by=handler)
        cs.complaint_record_remedy_delivered(complaint_id=complaint.pk, actor=Actor.staff(handler))
        with pytest.raises(InvalidTransition):
            cs.complaint_record_remedy_delivered(
                complaint_id=complaint.pk, actor=Actor.staff(handler)
            )


def test_withdrawn_before_the_due_time_is_not_applicable(code):
    complaint = file()
    with time_machine.travel(at(3), tick=False):
        cs.complaint_withdraw(complaint_id=complaint.pk, actor=Actor.complainant())
    got = checks(complaint)
    assert got["respond"].status == "not_applicable"
    assert got["remedy"].status == "not_applicable"
    assert got["acknowledge"].status == "met"  # a finished check stays as it was


def test_a_product_line_promise_replaces_the_general_one(manager, code):
    with time_machine.travel(T0 - dt.timedelta(days=30), tick=False):
        make_code(
            manager,
            slug="payments",
            promises=[
                {
                    **RESPOND_10_BD,
                    "key": "respond-fast",
                    "limit_amount": 3,
                    "products": ["Payments"],
                }
            ],
        )
    payments = file(product="payments")
    other = file(product="Cards")
    assert set(checks(payments)) == {"acknowledge", "respond-fast", "remedy"}
    assert set(checks(other)) == {"acknowledge", "respond", "remedy"}
    payments.refresh_from_db()
    assert payments.response_due_at == at(5, 15)  # 3 business days


def test_measured_only_promises_set_no_due_date(manager):
    with time_machine.travel(T0 - dt.timedelta(days=30), tick=False):
        make_code(manager, promises=[{**RESPOND_10_BD, "limit_amount": 3, "measured_only": True}])
    complaint = file()
    from plaint.core.deadlines import complaint_due_dates
    from plaint.core.selectors import organisation_get

    assert complaint.response_due_at == complaint_due_dates(T0, organisation_get())[1]
    assert checks(complaint)["respond"].notifies is False


def test_refresh_runs_a_small_bounded_number_of_queries(code, django_assert_max_num_queries):
    complaint = file()
    services.active_promises()  # the cache is warm, as in a running process
    with django_assert_max_num_queries(3):
        services.promise_checks_refresh(complaint=complaint, now=at(3))


def test_manual_check_is_judged_by_staff(manager, handler):
    with time_machine.travel(T0 - dt.timedelta(days=30), tick=False):
        make_code(
            manager,
            promises=[
                {
                    "key": "courtesy",
                    "texts": {"en": "We are courteous."},
                    "clock": "manual",
                    "limit_amount": 0,
                }
            ],
        )
    complaint = file()
    check = checks(complaint)["courtesy"]
    assert check.status == "pending" and check.due_at is None
    services.promise_check_record(actor=Actor.staff(handler), check_id=check.pk, met=False)
    check.refresh_from_db()
    assert check.status == "breached"
