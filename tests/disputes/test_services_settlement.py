"""Settlement authority: above the approval amount an offer waits for another manager's approval,
and who approved it is on record."""

from __future__ import annotations

import pytest

from plaint.core.actors import Actor
from plaint.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from plaint.core.models import AuditEvent
from plaint.disputes import services
from tests.disputes.cases import decided_complaint, provider_with_all_methods, refer
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dispute(manager, handler):
    services.dispute_settings_set(
        actor=Actor.staff(manager), approval_above="300", currency_code="EUR"
    )
    return refer(handler, decided_complaint(handler), provider_with_all_methods(manager))


def offer(user, dispute, value, code="EUR"):
    return services.settlement_offer_propose(
        actor=Actor.staff(user), dispute_id=dispute.pk, offer_amount=value, offer_currency=code,
        terms="Refund of the second payment and a 20 euro voucher.",
    )  # fmt: skip


def test_an_offer_within_the_authority_is_made_at_once(handler, dispute):
    made = offer(handler, dispute, "300.00")
    assert not made.needs_approval and made.made_at is not None and made.approved_by is None


def test_a_larger_offer_waits_for_another_managers_approval(manager, handler, dispute):
    waiting = offer(handler, dispute, "300.01")
    assert waiting.needs_approval and waiting.made_at is None
    with pytest.raises(NotAllowed):
        services.settlement_offer_approve(actor=Actor.staff(handler), offer_id=waiting.pk)
    approved = services.settlement_offer_approve(actor=Actor.staff(manager), offer_id=waiting.pk)
    assert (approved.approved_by, approved.made_at) == (manager, approved.approved_at)
    with pytest.raises(InvalidTransition):
        services.settlement_offer_approve(actor=Actor.staff(manager), offer_id=waiting.pk)
    events = AuditEvent.objects.filter(case_type="dispute", case_id=dispute.pk)
    assert [e.action for e in events][-2:] == ["offer_proposed", "offer_approved"]


def test_a_manager_does_not_approve_their_own_offer(manager, dispute):
    own = offer(manager, dispute, "1000")
    with pytest.raises(NotAllowed):
        services.settlement_offer_approve(actor=Actor.staff(manager), offer_id=own.pk)
    colleague = UserFactory(username="second-manager", role="manager")
    assert services.settlement_offer_approve(actor=Actor.staff(colleague), offer_id=own.pk).made_at


def test_an_offer_in_another_currency_always_needs_approval(handler, dispute):
    assert offer(handler, dispute, "10", "SEK").needs_approval


@pytest.mark.parametrize(
    ("value", "code"), [("-5", "EUR"), ("abc", "EUR"), ("10", "EURO"), ("", "EUR")]
)
def test_amounts_and_currencies_are_checked(handler, dispute, value, code):
    with pytest.raises(ValidationFailed):
        offer(handler, dispute, value, code)
