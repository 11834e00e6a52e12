"""Which providers a complaint may go to: category, product, value band, country and the time
since the organisation's final response, each with its reason when it fails."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from plaint.core.actors import Actor
from plaint.disputes import services
from plaint.disputes.selectors import eligible_providers
from tests.disputes.helpers import add_rule, make_provider
from tests.factories import CategoryFactory, advance, make_complaint, office_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(handler):
    """A complaint about billing with the organisation's final response given."""
    billing = CategoryFactory(code="billing")
    complaint, _token = make_complaint(product="Electricity", category="billing")
    complaint = advance(complaint, "decision_communicated", by=handler)
    assert complaint.category_id == billing.pk
    return complaint


def answer(complaint, name, **kw):
    return next(a for a in eligible_providers(complaint, **kw) if a.provider.name == name)


def test_a_provider_without_rules_takes_nothing(manager, decided):
    make_provider(manager, name="Bare")
    bare = answer(decided, "Bare")
    assert not bare.eligible and bare.reasons == ["it has no eligibility rules"]


def test_category_product_and_value_band_each_decide(manager, decided):
    energy = make_provider(manager, name="Energy Ombudsman", kind="ombudsman")
    add_rule(
        manager,
        energy,
        category_ids=[decided.category_id],
        products=["Electricity", "Gas"],
        min_value="0",
        max_value="5000",
        currency_code="EUR",
    )
    assert answer(decided, "Energy Ombudsman", value=Decimal("120"), value_currency="EUR").eligible
    too_big = answer(decided, "Energy Ombudsman", value=Decimal("9000"), value_currency="EUR")
    assert too_big.reasons == ["the disputed amount is outside the provider's limits"]
    unknown = answer(decided, "Energy Ombudsman")
    assert unknown.reasons == ["the disputed amount is not known"]
    dollars = answer(decided, "Energy Ombudsman", value=Decimal("10"), value_currency="USD")
    assert dollars.reasons == ["the disputed amount is not in EUR"]
    other = make_provider(manager, name="Telecoms ADR")
    add_rule(manager, other, products=["Mobile"])
    assert answer(decided, "Telecoms ADR").reasons == ["its product is not one this provider takes"]


def test_the_country_is_the_complainants_or_else_the_organisations(manager, decided):
    nordic = make_provider(manager, name="Nordic Board", jurisdictions=["SE", "FI"])
    add_rule(manager, nordic)
    assert not answer(decided, "Nordic Board").eligible  # the organisation is in Estonia
    assert answer(decided, "Nordic Board", jurisdiction="se").eligible


def test_eligible_providers_come_first_with_the_last_day_to_refer(manager, decided):
    late = make_provider(manager, name="A-late", refer_within=10, refer_within_unit="weeks")
    add_rule(manager, late, max_days_since_final_response=30)
    first = make_provider(manager, name="B-open")
    add_rule(manager, first)
    answers = eligible_providers(decided)
    assert [a.eligible for a in answers] == [True, True]
    final = office_day(decided.decision_at)
    assert answers[0].refer_by == final + dt.timedelta(weeks=10)
    day_40 = final + dt.timedelta(days=40)
    by_name = {a.provider.name: a for a in eligible_providers(decided, on=day_40)}
    assert by_name["A-late"].reasons == ["too long has passed since the final response"]
    after = final + dt.timedelta(days=400)
    assert by_name["B-open"].eligible
    assert eligible_providers(decided, on=after)[1].reasons == [
        "the time limit to refer has passed"
    ]


def test_business_days_to_refer_count_on_the_office_calendar(manager, decided):
    provider = make_provider(manager, refer_within=5, refer_within_unit="business_days")
    add_rule(manager, provider)
    [only] = eligible_providers(decided)
    final = office_day(decided.decision_at)
    weekdays = sum(
        1
        for n in range(1, (only.refer_by - final).days + 1)
        if (final + dt.timedelta(days=n)).weekday() < 5
    )
    assert weekdays >= 5 and (only.refer_by - final).days >= 7  # a weekend lies in between


def test_a_suspended_provider_is_not_offered(manager, decided):
    provider = make_provider(manager)
    add_rule(manager, provider)
    services.provider_update(actor=Actor.staff(manager), provider_id=provider.pk, active=False)
    assert eligible_providers(decided) == []


def test_an_open_complaint_cannot_go_where_the_final_response_is_required(manager, handler):
    complaint, _token = make_complaint()
    provider = make_provider(manager)
    add_rule(manager, provider, max_days_since_final_response=365)
    [only] = eligible_providers(complaint)
    assert only.reasons == ["the organisation has not given its final response yet"]
