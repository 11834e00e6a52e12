"""Customer segments: a complaint records the segment it came from (optional, a short code, in the
public form, the API and staff intake), and promises restricted to segments apply to those cases."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from plaint.complaints.models import Complaint
from plaint.core.errors import ValidationFailed
from plaint.promises.models import PromiseCheck
from tests.api_client import ApiClient, assert_problem
from tests.factories import make_complaint
from tests.promises.factories import ACK_2_BD, RESPOND_10_BD, make_code

UTC = dt.UTC
T0 = dt.datetime(2026, 3, 2, 7, 0, tzinfo=UTC)  # Monday 2 March 2026, 09:00 Tallinn
BUSINESS_5_BD = {
    **RESPOND_10_BD,
    "key": "respond-business",
    "texts": {"en": "Business customers: a decision within 5 business days."},
    "limit_amount": 5,
    "segments": ["Business"],
}


@pytest.fixture
def code(manager):
    with time_machine.travel(T0 - dt.timedelta(days=30), tick=False):
        return make_code(manager, promises=[ACK_2_BD, RESPOND_10_BD, BUSINESS_5_BD])


def keys(complaint) -> set[str]:
    return set(
        PromiseCheck.objects.filter(complaint=complaint).values_list("promise__key", flat=True)
    )


def test_a_segment_promise_replaces_the_general_one_for_that_segment(code):
    with time_machine.travel(T0, tick=False):
        business, _ = make_complaint(segment=" business ")
        private, _ = make_complaint()
    assert business.segment == "business" and private.segment == ""
    assert keys(business) == {"acknowledge", "respond-business"}
    assert keys(private) == {"acknowledge", "respond"}
    # 5 business days from Monday 2 March: Monday 9 March 17:00 Tallinn
    assert business.response_due_at == dt.datetime(2026, 3, 9, 15, 0, tzinfo=UTC)
    assert private.response_due_at == dt.datetime(2026, 3, 16, 15, 0, tzinfo=UTC)


def test_a_segment_is_a_short_code(db):
    with pytest.raises(ValidationFailed) as refused:
        make_complaint(segment="small business!")
    assert "segment" in refused.value.fields
    with pytest.raises(ValidationFailed):
        make_complaint(segment="x" * 33)


def test_public_form_staff_intake_and_api_take_a_segment(code, handler):
    with time_machine.travel(T0, tick=False):
        response = Client().post(
            "/complain/",
            {
                "name": "Mari Maasikas", "email": "mari@example.org", "language": "et",
                "preferred_channel": "email", "description": "The invoice is wrong.",
                "consent": "on", "segment": "business",
            },
        )  # fmt: skip
        assert response.status_code == 200, response.content
        staff = Client()
        staff.force_login(handler)
        response = staff.post(
            "/staff/complaints/new/",
            {
                "name": "Jaan Tamm", "phone": "+372 5555 1234", "language": "et",
                "preferred_channel": "phone", "description": "Called about the invoice.",
                "channel": "phone", "segment": "business", "consent": "on",
            },
        )  # fmt: skip
        assert response.status_code == 302, response.content
        api = ApiClient(handler)
        created = api.post(
            "/complaints",
            {"name": "Anna", "email": "anna@example.org", "description": "Wrong invoice.",
             "consent": True, "segment": "business"},
        )  # fmt: skip
        assert created.status_code == 201, created.content
        bad = {"name": "A", "email": "a@example.org", "description": "x", "consent": True}
        refused = api.post("/complaints", {**bad, "segment": "no spaces allowed"})
        assert_problem(refused, 422, "validation_failed")
    filed = Complaint.objects.filter(segment="business")
    assert filed.count() == 3
    assert all(keys(c) == {"acknowledge", "respond-business"} for c in filed)
    reference = created.json()["reference"]
    assert api.get(f"/complaints/{reference}").json()["segment"] == "business"
