"""One definition of overdue (``Complaint.objects.overdue`` / ``Complaint.is_overdue_at``): the
queue's red row, its "overdue only" filter and the API's ``overdue`` field agree on every kind of
case, and a stopped clock is never overdue."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from plaint.complaints.models import Complaint
from plaint.complaints.selectors import QueueFilters, complaint_list
from plaint.complaints.services import CaseClocks, complaint_clocks_set
from plaint.core.models import AuditEvent
from tests.api_client import ApiClient
from tests.factories import make_complaint

pytestmark = pytest.mark.django_db

NOW = timezone.now()
PAST = NOW - dt.timedelta(days=2)
FUTURE = NOW + dt.timedelta(days=2)

# name: (state, acknowledged, acknowledgement due, response due, acknowledgement paused,
#        response paused, overdue)
CASES = {
    "acknowledgement late": ("received", False, PAST, FUTURE, False, False, True),
    "acknowledgement late, clock stopped": ("received", False, PAST, FUTURE, True, False, False),
    "acknowledged late, response on time": (
        "acknowledged",
        True,
        PAST,
        FUTURE,
        False,
        False,
        False,
    ),
    "response late": ("investigating", True, PAST, PAST, False, False, True),
    "response late, clock stopped": (
        "waiting_on_complainant",
        True,
        PAST,
        PAST,
        False,
        True,
        False,
    ),
    "both late, acknowledgement stopped only": ("received", False, PAST, PAST, True, False, True),
    "closed, both late": ("closed", True, PAST, PAST, False, False, False),
    "out of scope, both late": ("out_of_scope", True, PAST, PAST, False, False, False),
    "not due yet": ("received", False, FUTURE, FUTURE, False, False, False),
}


@pytest.fixture
def seeded() -> dict[str, Complaint]:
    """One complaint per case, its state and clocks written straight to the row."""
    made = {}
    for name, (state, acked, ack_due, resp_due, ack_paused, resp_paused, _) in CASES.items():
        complaint, _token = make_complaint(subject=name)
        Complaint.objects.filter(pk=complaint.pk).update(
            state=state,
            acknowledged_at=PAST if acked else None,
            acknowledgement_due_at=ack_due,
            response_due_at=resp_due,
            acknowledgement_paused=ack_paused,
            response_paused=resp_paused,
        )
        complaint.refresh_from_db()
        made[name] = complaint
    return made


def expected_overdue(seeded: dict[str, Complaint]) -> set[int]:
    return {seeded[name].pk for name, case in CASES.items() if case[-1]}


def test_the_queryset_and_the_property_agree_with_the_rule(seeded):
    by_queryset = set(Complaint.objects.overdue(NOW).values_list("pk", flat=True))
    by_row = {c.pk for c in Complaint.objects.all() if c.is_overdue_at(NOW)}
    assert by_queryset == by_row == expected_overdue(seeded)


def test_the_property_is_the_rule_at_the_current_time(seeded):
    late = seeded["response late"]
    assert late.is_overdue is True
    assert seeded["response late, clock stopped"].is_overdue is False
    assert seeded["not due yet"].is_overdue is False


def test_the_overdue_only_filter_and_the_red_row_agree(seeded, handler, client):
    page = complaint_list(actor=handler, filters=QueueFilters(overdue=True), limit=200)
    filtered = {c.pk for c in page.items}
    everything = complaint_list(actor=handler, filters=QueueFilters(), limit=200).items
    red = {c.pk for c in everything if c.is_overdue_at(timezone.now())}
    assert filtered == red == expected_overdue(seeded)
    assert page.total == len(filtered)


def test_the_queue_page_marks_red_exactly_the_rows_the_filter_finds(seeded, handler, client):
    client.force_login(handler)
    everything = client.get("/staff/").content.decode()
    red_rows = {
        ref
        for row in re.findall(r"<tr[^>]*>.*?</tr>", everything, flags=re.S)
        if 'class="overdue"' in row.split(">", 1)[0]
        for ref in re.findall(r">(C-\d{4}-\d+)<", row)
    }
    filtered = client.get("/staff/", {"overdue": "on"}).content.decode()
    filtered_refs = set(re.findall(r">(C-\d{4}-\d+)<", filtered))
    expected = {c.reference for c in seeded.values() if c.pk in expected_overdue(seeded)}
    assert red_rows == filtered_refs == expected


def test_the_api_overdue_field_and_filter_use_the_same_rule(seeded, handler):
    api = ApiClient(handler)
    listed = api.get("/complaints", {"limit": 200}).json()["items"]
    flagged = {item["id"] for item in listed if item["overdue"]}
    filtered = {
        item["id"] for item in api.get("/complaints?overdue=true&limit=200").json()["items"]
    }
    assert flagged == filtered == expected_overdue(seeded)
    stopped = seeded["response late, clock stopped"]
    detail = api.get(f"/complaints/{stopped.reference}").json()
    assert detail["overdue"] is False and detail["paused_clocks"] == ["response"]


# --- the clocks the promises app stores (contract C1) -------------------------------------------


def test_clocks_set_writes_only_what_changed_and_records_nothing(seeded, django_assert_num_queries):
    late = seeded["response late"]
    stopped = seeded["response late, clock stopped"]
    versions = {late.pk: late.version, stopped.pk: stopped.version}
    events = AuditEvent.objects.count()
    new_due = FUTURE + dt.timedelta(days=1)
    clocks = {
        late.pk: CaseClocks(late.acknowledgement_due_at, new_due, False, False),  # changed
        stopped.pk: CaseClocks(
            stopped.acknowledgement_due_at, stopped.response_due_at, False, True
        ),
    }
    with django_assert_num_queries(2):  # one read, one bulk write
        assert complaint_clocks_set(clocks=clocks) == 1
    late.refresh_from_db()
    assert late.response_due_at == new_due and not late.is_overdue_at(NOW)
    assert {c.pk: c.version for c in Complaint.objects.filter(pk__in=versions)} == versions
    assert AuditEvent.objects.count() == events  # derived values: no audit event
    with django_assert_num_queries(1):  # one case: one conditional UPDATE
        assert complaint_clocks_set(clocks={late.pk: clocks[late.pk]}) == 0


def test_clocks_set_keeps_a_due_date_given_as_none(seeded):
    late = seeded["response late"]
    assert complaint_clocks_set(clocks={late.pk: CaseClocks(None, None, False, True)}) == 1
    late.refresh_from_db()
    assert late.response_due_at == PAST and late.response_paused
    assert not late.is_overdue_at(NOW)
    assert complaint_clocks_set(clocks={}) == 0
