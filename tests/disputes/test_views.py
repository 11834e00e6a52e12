"""The provider register's pages: managers keep it, everyone on staff reads it, errors stay beside
their fields, and the eligibility check answers for a complaint the reader may see."""

from __future__ import annotations

import pytest
from django.test import Client

from plaint.disputes.models import EligibilityRule, Provider, ProviderReview
from tests.disputes.helpers import add_rule, make_provider
from tests.factories import advance, make_complaint

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


NEW = {
    "name": "Energy Ombudsman",
    "kind": "ombudsman",
    "jurisdictions": "EE LV",
    "languages": "et en",
    "refer_within": "6",
    "refer_within_unit": "weeks",
    "answer_within_unit": "business_days",
    "decide_within_unit": "calendar_days",
    "active": "on",
}


def test_a_manager_adds_a_provider_then_its_methods_rule_and_review(manager):
    client = signed_in(manager)
    r = client.post("/staff/disputes/providers/", NEW)
    provider = Provider.objects.get()
    assert r.status_code == 302 and provider.jurisdictions == ["EE", "LV"]
    url = f"/staff/disputes/providers/{provider.pk}/"
    methods = {"form": "methods", "advisory_offered": "on", "advisory_payer": "none"}
    for m in ("facilitative", "determinative"):
        methods[f"{m}_payer"] = "none"
    assert client.post(url, methods).status_code == 302
    assert (
        client.post(url, {"form": "rule", "max_days_since_final_response": "365"}).status_code
        == 302
    )
    review = {
        "form": "review",
        "reviewed_on": "2026-02-01",
        "conclusion": "keep",
        "findings": "Fine.",
    }
    assert client.post(url, review).status_code == 302
    page = client.get(url).content.decode()
    assert "Advisory (recommendation)" in page
    assert "Within 365 days of the final response." in page
    assert "1 Feb 2027" in page  # the next review, as English writes a short date
    assert ProviderReview.objects.count() == 1 and EligibilityRule.objects.count() == 1


def test_an_overdue_review_is_marked(manager):
    import datetime as dt

    make_provider(manager, evidence_review_due=dt.date.today() - dt.timedelta(days=1))
    page = signed_in(manager).get("/staff/disputes/providers/").content.decode()
    assert "overdue" in page


def test_a_bad_value_is_shown_beside_its_field(manager):
    client = signed_in(manager)
    r = client.post("/staff/disputes/providers/", {**NEW, "jurisdictions": "Estonia"})
    assert r.status_code == 422
    assert "is not a country code" in r.content.decode()
    provider = make_provider(manager)
    url = f"/staff/disputes/providers/{provider.pk}/"
    rule = {"form": "rule", "min_value": "5", "max_value": "1", "currency": "EUR"}
    r = client.post(url, rule)
    assert r.status_code == 422 and "The upper limit is below the lower one." in r.content.decode()


@pytest.mark.parametrize("role", ["handler", "auditor"])
def test_other_staff_read_the_register_but_change_nothing(personas, manager, role):
    provider = make_provider(manager)
    client = signed_in(personas[role])
    assert provider.name in client.get("/staff/disputes/providers/").content.decode()
    page = client.get(f"/staff/disputes/providers/{provider.pk}/").content.decode()
    assert "Add a rule" not in page
    assert (
        client.post(f"/staff/disputes/providers/{provider.pk}/", {"form": "rule"}).status_code
        == 403
    )


def test_the_eligibility_check_names_providers_and_reasons(manager, handler):
    open_to_all = make_provider(manager, name="Open board")
    add_rule(manager, open_to_all)
    make_provider(manager, name="No rules")
    complaint, _token = make_complaint()
    complaint = advance(complaint, "decision_communicated", by=handler)
    r = signed_in(handler).get("/staff/disputes/eligibility/", {"complaint": complaint.reference})
    page = r.content.decode()
    assert r.status_code == 200
    assert page.index("Open board") < page.index("No rules")
    assert "it has no eligibility rules" in page
    missing = signed_in(handler).get("/staff/disputes/eligibility/", {"complaint": "C-1999-1"})
    assert missing.status_code == 422 and "No such complaint." in missing.content.decode()
