"""The provider register: kept by managers, checked at the edge, every change audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from plaint.core.actors import Actor
from plaint.core.audit import audit_verify
from plaint.core.errors import NotAllowed, NotFound, ValidationFailed
from plaint.core.models import AuditEvent
from plaint.disputes import services
from plaint.disputes.models import ProviderMethod
from tests.disputes.helpers import add_rule, make_provider

pytestmark = pytest.mark.django_db


def test_a_manager_registers_a_provider_with_methods_and_fees(manager):
    provider = make_provider(manager)
    services.provider_methods_set(
        actor=Actor.staff(manager),
        provider_id=provider.pk,
        methods=[
            {"method": "facilitative", "fee_payer": "none"},
            {
                "method": "determinative",
                "binding_on_organisation": True,
                "fee": "50",
                "currency": "eur",
                "fee_payer": "organisation",
            },
        ],
    )
    methods = {m.method: m for m in ProviderMethod.objects.filter(provider=provider)}
    assert methods["determinative"].fee == Decimal("50.00")
    assert methods["determinative"].currency == "EUR"
    assert methods["determinative"].binding_on_organisation is True
    assert methods["determinative"].binding_on_complainant is False
    events = AuditEvent.objects.filter(case_type="dispute_provider", case_id=provider.pk)
    assert [e.action for e in events] == ["created", "methods_set"]
    assert audit_verify().breaks == []


@pytest.mark.parametrize("role", ["handler", "auditor"])
def test_only_managers_and_admins_keep_the_register(personas, role):
    with pytest.raises(NotAllowed):
        make_provider(personas[role])


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "  "}, "name"),
        ({"kind": "court"}, "kind"),
        ({"jurisdictions": ["XX"]}, "jurisdictions"),
        ({"jurisdictions": "EE"}, "jurisdictions"),
        ({"languages": ["Estonian"]}, "languages"),
        ({"refer_within": 0}, "refer_within"),
        ({"refer_within": 30, "refer_within_unit": "fortnights"}, "refer_within"),
        ({"website": "javascript:alert(1)"}, "website"),
        ({"favourite_colour": "red"}, "favourite_colour"),
    ],
)
def test_bad_provider_fields_are_named(manager, fields, field):
    with pytest.raises(ValidationFailed) as caught:
        make_provider(manager, **fields)
    assert field in caught.value.fields


def test_two_providers_cannot_share_a_name(manager):
    make_provider(manager, name="Ombudsman")
    with pytest.raises(ValidationFailed) as caught:
        make_provider(manager, name="ombudsman", kind="ombudsman")
    assert "name" in caught.value.fields


@pytest.mark.parametrize(
    "method",
    [
        {"method": "advisory", "fee": "10"},  # a fee needs a payer other than "none" and a currency
        {"method": "advisory", "fee": "10", "fee_payer": "complainant"},  # no currency
        {"method": "advisory", "fee": "10", "fee_payer": "complainant", "currency": "EURO"},
        {"method": "advisory", "fee": "-1", "fee_payer": "complainant", "currency": "EUR"},
        {"method": "advisory", "fee": "1.005", "fee_payer": "complainant", "currency": "EUR"},
        {"method": "litigation"},
    ],
)
def test_fees_are_amounts_with_a_currency_and_a_payer(manager, method):
    provider = make_provider(manager)
    with pytest.raises(ValidationFailed):
        services.provider_methods_set(
            actor=Actor.staff(manager), provider_id=provider.pk, methods=[method]
        )
    assert not ProviderMethod.objects.exists()


def test_a_method_is_offered_at_most_once(manager):
    provider = make_provider(manager)
    with pytest.raises(ValidationFailed):
        services.provider_methods_set(
            actor=Actor.staff(manager),
            provider_id=provider.pk,
            methods=[{"method": "advisory"}, {"method": "advisory"}],
        )


def test_a_value_band_needs_its_currency_and_its_order(manager):
    provider = make_provider(manager)
    with pytest.raises(ValidationFailed) as caught:
        add_rule(manager, provider, min_value="50")
    assert "currency" in caught.value.fields
    with pytest.raises(ValidationFailed) as caught:
        add_rule(manager, provider, min_value="500", max_value="50", currency_code="EUR")
    assert "max_value" in caught.value.fields


def test_the_yearly_review_sets_the_next_one_and_a_suspension_stops_the_offer(manager):
    provider = make_provider(manager)
    review = services.provider_review_record(
        actor=Actor.staff(manager),
        provider_id=provider.pk,
        reviewed_on=dt.date(2024, 2, 29),
        conclusion="keep",
        findings="Decisions on time in 41 of 43 cases; independence statement renewed.",
    )
    assert review.next_review_due == dt.date(2025, 2, 28)
    services.provider_review_record(
        actor=Actor.staff(manager),
        provider_id=provider.pk,
        reviewed_on=dt.date(2025, 3, 1),
        conclusion="suspend",
        findings="Three decisions more than 60 days late.",
    )
    provider.refresh_from_db()
    assert provider.active is False


def test_a_review_cannot_be_dated_in_the_future(manager):
    provider = make_provider(manager)
    with pytest.raises(ValidationFailed) as caught:
        services.provider_review_record(
            actor=Actor.staff(manager),
            provider_id=provider.pk,
            reviewed_on=dt.date.today() + dt.timedelta(days=2),
            conclusion="keep",
            findings="Fine.",
        )
    assert "reviewed_on" in caught.value.fields


def test_an_unknown_provider_is_not_found(manager):
    with pytest.raises(NotFound):
        services.provider_update(actor=Actor.staff(manager), provider_id=999, name="X")
