"""The complaint's own due dates follow the checks that define them: a wait on the complainant or a
regulatory pause moves them, and a stopped clock shows "paused", never "overdue"."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from plaint.complaints import services as cs
from plaint.complaints.models import Complaint
from plaint.complaints.selectors import QueueFilters, complaint_list
from plaint.core.actors import Actor
from plaint.promises import services
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


def file(when=T0, **fields):
    with time_machine.travel(when, tick=False):
        return make_complaint(**fields)


def overdue_refs(user, when) -> set[str]:
    with time_machine.travel(when, tick=False):
        page = complaint_list(actor=user, filters=QueueFilters(overdue=True), with_total=False)
    return {c.reference for c in page.items}


def test_waiting_three_business_days_moves_the_response_due_date_by_three(code, handler):
    complaint, _token = file()
    assert complaint.response_due_at == at(16, 15)  # 10 business days: Monday 16 March 17:00
    staff = Actor.staff(handler)
    with time_machine.travel(at(3), tick=False):  # Tuesday 09:00
        cs.complaint_request_information(complaint_id=complaint.pk, actor=staff, reason="Order?")
    complaint.refresh_from_db()
    assert complaint.response_due_at == at(16, 15)  # stopped: keeps its date, shows "paused"
    with time_machine.travel(at(6), tick=False):  # Friday 09:00: Tue, Wed, Thu were paused
        cs.message_post(complaint_id=complaint.pk, actor=Actor.complainant(), body="It is 4711.")
    complaint.refresh_from_db()
    assert complaint.response_due_at == at(19, 15)  # Thursday 19 March 17:00
    # the acknowledgement clock (met at intake) is untouched
    assert complaint.acknowledgement_due_at == at(4, 15)


def test_a_waiting_case_is_not_overdue_in_the_queue_meanwhile(code, handler):
    waiting, token = file()
    running, _ = file()
    staff = Actor.staff(handler)
    with time_machine.travel(at(3), tick=False):
        cs.complaint_request_information(complaint_id=waiting.pk, actor=staff, reason="Order?")
    # Wednesday 18 March: both stored dates (16 March) have passed; only the running one is late
    assert overdue_refs(handler, at(18)) == {running.reference}

    client = Client()
    client.force_login(handler)
    with time_machine.travel(at(18), tick=False):
        queue = client.get("/staff/").content.decode()
        detail = client.get(f"/staff/complaints/{waiting.reference}/").content.decode()
        track = Client().get(f"/track/{token}/").content.decode()
    row = _row(queue, waiting.reference)
    assert "paused" in row and "overdue" not in row
    assert "overdue" in _row(queue, running.reference).split(f">{running.reference}</a>")[1]
    assert "Clock paused" in detail
    assert "paused while we wait for your answer" in track

    with time_machine.travel(at(20), tick=False):  # Friday 20 March: the answer arrives
        cs.message_post(complaint_id=waiting.pk, actor=Actor.complainant(), body="4711")
    waiting.refresh_from_db()
    # paused Tuesday 3 to Friday 20 March 09:00: 13 business days later than 16 March
    assert waiting.response_due_at == dt.datetime(2026, 4, 2, 14, 0, tzinfo=UTC)  # EEST 17:00
    assert overdue_refs(handler, at(20)) == {running.reference}


def test_a_clock_that_keeps_running_while_waiting_stays_overdue(manager, handler):
    with time_machine.travel(T0 - dt.timedelta(days=30), tick=False):
        make_code(manager, promises=[ACK_2_BD, {**RESPOND_10_BD, "pauses_while_waiting": False}])
    complaint, _ = file()
    with time_machine.travel(at(3), tick=False):
        cs.complaint_request_information(
            complaint_id=complaint.pk, actor=Actor.staff(handler), reason="Order?"
        )
    assert overdue_refs(handler, at(18)) == {complaint.reference}


def test_refresh_writes_the_complaint_only_when_a_due_date_moved(code, django_assert_num_queries):
    complaint, _ = file()
    services.active_promises()
    complaint = Complaint.objects.get(pk=complaint.pk)
    with django_assert_num_queries(2):  # config token, checks: nothing changed, nothing written
        services.promise_checks_refresh(complaint=complaint, now=at(3))
    complaint.response_due_at = at(10)  # out of step: one UPDATE of that column puts it back
    with django_assert_num_queries(3):
        services.promise_checks_refresh(complaint=complaint, now=at(3))
    complaint.refresh_from_db()
    assert complaint.response_due_at == at(16, 15)


def test_the_api_says_which_clocks_are_paused(code, handler):
    from tests.api_client import ApiClient

    complaint, _ = file()
    api = ApiClient(handler)
    assert api.get(f"/complaints/{complaint.reference}").json()["paused_clocks"] == []
    with time_machine.travel(at(3), tick=False):
        cs.complaint_request_information(
            complaint_id=complaint.pk, actor=Actor.staff(handler), reason="Order?"
        )
        body = api.get(f"/complaints/{complaint.reference}").json()
    # The acknowledgement was met at intake; the response clock stands still.
    assert body["state"] == "waiting_on_complainant" and body["paused_clocks"] == ["response"]
    with time_machine.travel(at(6), tick=False):
        cs.message_post(complaint_id=complaint.pk, actor=Actor.complainant(), body="It is 4711.")
    assert api.get(f"/complaints/{complaint.reference}").json()["paused_clocks"] == []


def _row(html: str, reference: str) -> str:
    """The queue's table row of the case ``reference`` (its link's text names it)."""
    return next(row for row in html.split("</tr>") if f">{reference}</a>" in row)
