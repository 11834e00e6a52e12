"""Promises reacts to the events of the apps below it (contract C2 of the layering refactor): each
handler is subscribed in PromisesConfig.ready() and does what the direct call used to do."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from plaint.complaints import services as cs
from plaint.complaints.events import (
    AcknowledgementComposing,
    CasePageComposing,
    CategoriesChanged,
    ComplaintChanged,
    ComplaintReceiving,
)
from plaint.complaints.models import Complaint
from plaint.core.actors import Actor
from plaint.core.duties import duty_spec, run_duty
from plaint.core.events import handlers_of, publish
from plaint.organisation.events import CalendarChanged, OrganisationChanged
from plaint.promises import handlers, services
from plaint.promises.models import PromiseCheck
from plaint.promises.services import promise_checks_sweep
from tests.factories import make_complaint
from tests.promises.factories import ACK_2_BD, RESPOND_10_BD, make_code

UTC = dt.UTC
T0 = dt.datetime(2026, 3, 2, 7, 0, tzinfo=UTC)  # Monday 2 March 2026, 09:00 Tallinn


def at(day: int, hour: int = 7) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, 0, tzinfo=UTC)


@pytest.fixture
def code(manager):
    with time_machine.travel(T0 - dt.timedelta(days=30), tick=False):
        return make_code(manager, promises=[ACK_2_BD, RESPOND_10_BD])


@pytest.mark.parametrize(
    ("event_type", "handler"),
    [
        (ComplaintReceiving, handlers.on_complaint_receiving),
        (ComplaintChanged, handlers.on_complaint_changed),
        (CategoriesChanged, handlers.on_categories_changed),
        (OrganisationChanged, handlers.on_organisation_changed),
        (CalendarChanged, handlers.on_calendar_changed),
        (AcknowledgementComposing, handlers.on_acknowledgement_composing),
        (CasePageComposing, handlers.on_case_page_composing),
    ],
)
def test_every_handler_is_subscribed_once(event_type, handler):
    assert handlers_of(event_type).count(handler) == 1


def test_the_sweep_is_a_periodic_duty():
    assert duty_spec("promises.sweep").run is promise_checks_sweep


def test_a_complaint_being_received_gets_its_clocks_and_checks(code, django_assert_num_queries):
    complaint = Complaint(pk=987654, channel="web", received_at=T0, state="received")
    services.active_promises()  # warm, as in a running process
    event = ComplaintReceiving(complaint=complaint, now=T0)
    with django_assert_num_queries(1):  # the configuration token; the rest is cached
        publish(event)
    assert complaint.acknowledgement_due_at == at(4, 15)  # 2 business days: Wednesday 17:00
    assert complaint.response_due_at == at(16, 15)  # 10 business days: Monday 16 March 17:00
    assert complaint.acknowledgement_paused is False and complaint.response_paused is False
    assert sorted(row.promise.key for row in event.rows) == ["acknowledge", "respond"]
    assert all(row.pk is None and row.complaint_id == complaint.pk for row in event.rows)


def test_without_promises_the_organisation_settings_set_the_due_dates(db):
    complaint = Complaint(pk=987655, channel="web", received_at=T0, state="received")
    event = ComplaintReceiving(complaint=complaint, now=T0)
    publish(event)
    assert event.rows == []
    assert complaint.acknowledgement_due_at is not None and complaint.response_due_at is not None


def test_a_changed_complaint_has_its_checks_refreshed(manager):
    with time_machine.travel(T0, tick=False):
        complaint, _ = make_complaint()
        assert not PromiseCheck.objects.filter(complaint=complaint).exists()
        make_code(manager, promises=[ACK_2_BD, RESPOND_10_BD])
        publish(
            ComplaintChanged(complaint=complaint, step="edit", before_state=complaint.state, now=T0)
        )
    assert PromiseCheck.objects.filter(complaint=complaint).count() == 2


@pytest.mark.parametrize(
    "event",
    [CategoriesChanged(), OrganisationChanged(fields=("timezone",)), CalendarChanged(1)],
    ids=["categories", "organisation", "calendar"],
)
def test_a_configuration_change_is_seen_by_the_next_snapshot(db, event):
    before = services.active_promises()
    publish(event)
    assert services.config_token() != before.token
    assert services.active_promises().token == services.config_token()


def test_a_calendar_change_recomputes_the_clocks_on_it_in_the_background(db):
    assert not services.recompute_pending()
    publish(CalendarChanged(calendar_id=1))
    assert services.recompute_pending()


def test_the_acknowledgement_states_the_promised_deadlines(code):
    with time_machine.travel(T0, tick=False):
        complaint, _ = make_complaint()
    context: dict = {}
    publish(AcknowledgementComposing(complaint=complaint, context=context))
    assert [d["due_at"] for d in context["promise_deadlines"]] == [at(16, 15)]


def test_housekeeping_breaches_the_checks_that_fell_due(code):
    with time_machine.travel(T0, tick=False):
        complaint, _ = make_complaint()
    with time_machine.travel(at(20), tick=False):
        assert run_duty("promises.sweep") == "ok"
    respond = PromiseCheck.objects.get(complaint=complaint, promise__key="respond")
    assert respond.status == "breached"


def test_the_paused_flags_follow_the_wait_on_the_complainant(code, handler):
    with time_machine.travel(T0, tick=False):
        complaint, _ = make_complaint()
    with time_machine.travel(at(3), tick=False):
        cs.complaint_request_information(
            complaint_id=complaint.pk, actor=Actor.staff(handler), reason="Order?"
        )
    complaint.refresh_from_db()
    # The acknowledgement was met at intake; the response clock pauses while waiting.
    assert (complaint.acknowledgement_paused, complaint.response_paused) == (False, True)
    assert complaint.response_due_at == at(16, 15)  # keeps the date it had when it stopped
    with time_machine.travel(at(6), tick=False):
        cs.message_post(complaint_id=complaint.pk, actor=Actor.complainant(), body="4711")
    complaint.refresh_from_db()
    assert (complaint.acknowledgement_paused, complaint.response_paused) == (False, False)
    assert complaint.response_due_at == at(19, 15)


def test_a_clock_that_runs_while_waiting_is_never_paused(manager, handler):
    with time_machine.travel(T0 - dt.timedelta(days=30), tick=False):
        make_code(manager, promises=[ACK_2_BD, {**RESPOND_10_BD, "pauses_while_waiting": False}])
    with time_machine.travel(T0, tick=False):
        complaint, _ = make_complaint()
    with time_machine.travel(at(3), tick=False):
        cs.complaint_request_information(
            complaint_id=complaint.pk, actor=Actor.staff(handler), reason="Order?"
        )
    complaint.refresh_from_db()
    assert complaint.state == "waiting_on_complainant" and not complaint.response_paused


def test_the_snapshot_is_cached_under_the_configuration_token(code, django_assert_num_queries):
    first = services.active_promises()
    with django_assert_num_queries(1):  # the token only
        again = services.active_promises()
    assert again.token == first.token and again.promises == first.promises
    services.config_changed()
    reloaded = services.active_promises()
    assert reloaded.token != first.token and reloaded.promises == first.promises


def test_the_case_page_gets_the_promise_panel_from_promises(code, handler):
    """complaints' case page names no promises template: the panel arrives through the event."""
    with time_machine.travel(T0, tick=False):
        complaint, _token = make_complaint(channel="web")
    event = CasePageComposing(complaint=complaint, user=handler)
    publish(event)
    # other apps add their own panels (disputes: legal referrals); this one is the promises'
    [panel] = [p for p in event.panels if p.template.startswith("promises/")]
    assert panel.template == "promises/staff/_complaint_panel.html"
    assert {v.check.promise_id for v in panel.context["checks"]} == set(
        PromiseCheck.objects.filter(complaint=complaint).values_list("promise_id", flat=True)
    )
    assert panel.context["can_work"] is True
