"""Dispute cases: referral with informed consent, provider notices that merge or wait, every
state of every method, the exits, deadlines from the provider's limits, and the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from plaint.complaints.models import Complaint
from plaint.core.actors import Actor
from plaint.core.audit import audit_verify
from plaint.core.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from plaint.core.models import AuditEvent
from plaint.disputes import services
from plaint.disputes.models import Dispute, HeldNotice
from tests.disputes.cases import (
    CONSENT,
    decided_complaint,
    obligation,
    provider_with_all_methods,
    refer,
)
from tests.disputes.helpers import add_rule, make_provider

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(manager):
    return provider_with_all_methods(manager)


@pytest.fixture
def complaint(handler):
    return decided_complaint(handler)


def actions(dispute):
    return [e.action for e in AuditEvent.objects.filter(case_type="dispute", case_id=dispute.pk)]


def test_a_referral_records_the_consent_as_given_now_and_refers_the_complaint(
    handler, provider, complaint
):
    moment = timezone.now().replace(microsecond=0)
    with time_machine.travel(moment, tick=False):
        dispute = refer(handler, complaint, provider, claimed_amount="129", claim_currency="eur")
    consent = dispute.consent
    assert (consent.channel, consent.language, consent.recorded_by) == ("phone", "et", handler)
    assert consent.given_at == consent.recorded_at == moment  # never a time someone typed
    assert consent.text_shown == CONSENT.text_shown
    assert (dispute.state, dispute.opened_via, dispute.currency) == ("notice", "referral", "EUR")
    assert Complaint.objects.get(pk=complaint.pk).state == "referred_external"
    assert actions(dispute) == ["referred"]


def test_a_referral_goes_only_to_an_eligible_provider_by_an_offered_method(
    manager, handler, complaint
):
    nordic = make_provider(manager, name="Nordic", jurisdictions=["SE"])
    services.provider_methods_set(
        actor=Actor.staff(manager), provider_id=nordic.pk, methods=[{"method": "advisory"}]
    )
    add_rule(manager, nordic)
    with pytest.raises(ValidationFailed) as caught:
        refer(handler, complaint, nordic, method="advisory")
    assert "outside its jurisdiction" in caught.value.fields["provider_id"][0]
    home = provider_with_all_methods(manager, name="Home")
    services.provider_methods_set(
        actor=Actor.staff(manager), provider_id=home.pk, methods=[{"method": "advisory"}]
    )
    with pytest.raises(ValidationFailed) as caught:
        refer(handler, complaint, home, method="determinative")
    assert "method" in caught.value.fields
    refer(handler, complaint, home, method="advisory")
    with pytest.raises(Conflict):
        refer(handler, complaint, home, method="advisory")


@pytest.mark.parametrize(
    ("consent", "field"),
    [
        (services.ConsentInput("pigeon", "I agree.", "et"), "channel"),
        (services.ConsentInput("phone", "I agree.", "xx"), "language"),
        (services.ConsentInput("phone", "   ", "et"), "text_shown"),
    ],
)
def test_consent_must_say_how_what_and_in_which_language(
    handler, provider, complaint, consent, field
):
    with pytest.raises(ValidationFailed) as caught:
        refer(handler, complaint, provider, consent=consent)
    assert field in caught.value.fields
    assert not Dispute.objects.exists()


def test_a_complaint_still_being_handled_cannot_be_referred(handler, provider):
    from tests.factories import make_complaint

    complaint, _token = make_complaint()
    provider.rules.update(max_days_since_final_response=365)
    with pytest.raises(ValidationFailed):
        refer(handler, complaint, provider)


def notice(handler, provider, reference, complaint_reference, method="determinative"):
    return services.dispute_notice_receive(
        actor=Actor.staff(handler),
        provider_id=provider.pk,
        provider_reference=reference,
        complaint_reference=complaint_reference,
        method=method,
    )


def test_a_second_notice_with_the_same_reference_merges_never_doubles(handler, provider, complaint):
    first = notice(handler, provider, "TVK-2026-0141", complaint.reference)
    again = notice(handler, provider, "TVK-2026-0141", complaint.reference)
    assert (first.merged, again.merged) == (False, True)
    assert again.dispute.pk == first.dispute.pk and Dispute.objects.count() == 1
    assert first.dispute.opened_via == "notice" and first.dispute.position_due is not None


def test_a_notice_joins_the_referral_it_answers(handler, provider, complaint):
    referred = refer(handler, complaint, provider)
    result = notice(handler, provider, "TVK-7", complaint.reference)
    assert result.merged and result.dispute.pk == referred.pk
    referred.refresh_from_db()
    assert referred.provider_reference == "TVK-7"
    assert actions(referred) == ["referred", "notice_joined"]


def test_a_notice_for_an_unknown_complaint_is_held_then_matched(handler, provider, complaint):
    held = notice(handler, provider, "OMB-55", "our ref 2026/41")
    assert held.dispute is None and held.held is not None
    assert notice(handler, provider, "OMB-55", "our ref 2026/41").held.pk == held.held.pk
    assert HeldNotice.objects.count() == 1
    dispute = services.held_notice_match(
        actor=Actor.staff(handler),
        notice_id=held.held.pk,
        complaint_id=complaint.pk,
        method="advisory",
    )
    assert dispute.provider_reference == "OMB-55" and dispute.method == "advisory"
    assert HeldNotice.objects.get().matched_to == dispute
    with pytest.raises(NotFound):
        services.held_notice_match(
            actor=Actor.staff(handler),
            notice_id=held.held.pk,
            complaint_id=complaint.pk,
            method="advisory",
        )


def walk_to_exchange(handler, dispute):
    actor = Actor.staff(handler)
    services.dispute_position_send(
        actor=actor, dispute_id=dispute.pk, position="We refunded the fee."
    )
    return services.dispute_file_complete(actor=actor, dispute_id=dispute.pk)


# (method, outcome, obligations?, recommendation answer) -> the states the dispute passes through
PATHS = [
    ("facilitative", "settled", True, None, ["implementation", "closed"]),
    ("facilitative", "no_agreement", False, None, ["closed"]),
    ("advisory", "recommendation", True, True, ["recommended", "implementation", "closed"]),
    ("advisory", "recommendation", False, True, ["recommended", "closed"]),
    ("advisory", "recommendation", True, False, ["recommended", "closed"]),
    ("advisory", "no_agreement", False, None, ["closed"]),
    ("determinative", "upheld", True, None, ["implementation", "closed"]),
    ("determinative", "partly_upheld", True, None, ["implementation", "closed"]),
    ("determinative", "partly_upheld", False, None, ["closed"]),
    ("determinative", "not_upheld", False, None, ["closed"]),
]


@pytest.mark.parametrize(("method", "outcome", "owes", "accepted", "states"), PATHS)
def test_every_method_reaches_its_end(
    handler, provider, complaint, method, outcome, owes, accepted, states
):
    actor = Actor.staff(handler)
    dispute = refer(handler, complaint, provider, method=method)
    seen = [dispute.state, walk_to_exchange(handler, dispute).state]
    assert seen == ["notice", "exchange"]
    dispute = services.dispute_outcome_record(
        actor=actor,
        dispute_id=dispute.pk,
        outcome=outcome,
        reasons="The trader charged twice and refunded only once.",
        neutral="Kadri Tamm",
        obligations=[obligation(handler)] if owes else [],
    )
    passed = [dispute.state]
    if accepted is not None:
        dispute = services.dispute_recommendation_answer(
            actor=actor, dispute_id=dispute.pk, accepted=accepted
        )
        passed.append(dispute.state)
    if dispute.state == "implementation":
        with pytest.raises(InvalidTransition):
            services.dispute_close(actor=actor, dispute_id=dispute.pk, lessons="-")
        for item in dispute.obligations.all():
            services.obligation_done(
                actor=actor, obligation_id=item.pk, evidence="Bank transfer 2026-12-03"
            )
        dispute = services.dispute_close(
            actor=actor, dispute_id=dispute.pk, lessons="Check double charges daily."
        )
        passed.append(dispute.state)
    assert passed == states
    assert dispute.closed_at is not None
    assert audit_verify().breaks == []


@pytest.mark.parametrize("at", ["notice", "position", "exchange", "recommended", "implementation"])
def test_a_dispute_may_be_withdrawn_at_every_open_stage(handler, provider, complaint, at):
    dispute = _at(handler, provider, complaint, at)
    done = services.dispute_exit(
        actor=Actor.staff(handler),
        dispute_id=dispute.pk,
        step="withdraw",
        reason="Settled privately.",
    )
    assert done.state == "withdrawn" and done.closed_at


@pytest.mark.parametrize(
    ("at", "allowed"),
    [
        ("notice", True),
        ("position", True),
        ("exchange", True),
        ("recommended", False),
        ("implementation", False),
    ],
)
def test_out_of_scope_only_before_the_outcome(handler, provider, complaint, at, allowed):
    dispute = _at(handler, provider, complaint, at)
    exit_ = lambda: services.dispute_exit(  # noqa: E731
        actor=Actor.staff(handler),
        dispute_id=dispute.pk,
        step="out_of_scope",
        reason="Value above the limit.",
    )
    if allowed:
        assert exit_().state == "out_of_scope"
    else:
        with pytest.raises(InvalidTransition):
            exit_()


def _at(handler, provider, complaint, state):
    actor = Actor.staff(handler)
    method = "advisory" if state == "recommended" else "determinative"
    dispute = refer(handler, complaint, provider, method=method)
    if state == "notice":
        return dispute
    services.dispute_position_send(actor=actor, dispute_id=dispute.pk, position="Our position.")
    if state == "position":
        return Dispute.objects.get(pk=dispute.pk)
    services.dispute_file_complete(actor=actor, dispute_id=dispute.pk)
    if state == "exchange":
        return Dispute.objects.get(pk=dispute.pk)
    outcome = "recommendation" if state == "recommended" else "upheld"
    return services.dispute_outcome_record(
        actor=actor,
        dispute_id=dispute.pk,
        outcome=outcome,
        reasons="Reasons.",
        obligations=[obligation(handler)],
    )


def test_a_closed_dispute_takes_no_more_steps(handler, provider, complaint):
    dispute = _at(handler, provider, complaint, "notice")
    services.dispute_exit(
        actor=Actor.staff(handler), dispute_id=dispute.pk, step="withdraw", reason="Gone."
    )
    with pytest.raises(InvalidTransition):
        services.dispute_position_send(
            actor=Actor.staff(handler), dispute_id=dispute.pk, position="Late."
        )


@pytest.mark.parametrize(
    ("method", "outcome", "items", "field"),
    [
        ("facilitative", "upheld", [], "outcome"),  # a mediator does not decide
        ("determinative", "settled", [], "outcome"),
        ("determinative", "not_upheld", ["refund"], "obligations"),
        ("determinative", "upheld", ["refund-without-amount"], "obligations.0"),
        ("determinative", "upheld", ["past"], "obligations.0"),
    ],
)
def test_outcomes_are_checked_against_the_method(
    handler, provider, complaint, method, outcome, items, field
):
    dispute = refer(handler, complaint, provider, method=method)
    walk_to_exchange(handler, dispute)
    made = {
        "refund": obligation(handler),
        "refund-without-amount": obligation(handler, amount=None, currency=""),
        "past": obligation(handler, days=-1),
    }
    with pytest.raises(ValidationFailed) as caught:
        services.dispute_outcome_record(
            actor=Actor.staff(handler), dispute_id=dispute.pk, outcome=outcome, reasons="R.",
            obligations=[made[i] for i in items],
        )  # fmt: skip
    assert field in caught.value.fields


def test_deadlines_come_from_the_providers_limits_on_the_office_calendar(
    manager, handler, complaint
):
    provider = provider_with_all_methods(
        manager, name="Timed", answer_within=20, answer_within_unit="business_days",
        decide_within=90, decide_within_unit="calendar_days",
    )  # fmt: skip
    monday = dt.datetime(2026, 11, 2, 10, tzinfo=dt.UTC)
    with time_machine.travel(monday, tick=False):
        dispute = refer(handler, complaint, provider)
    local = timezone.localtime(dispute.position_due, dt.timezone(dt.timedelta(hours=2)))
    assert local.date() == dt.date(2026, 11, 30)  # 20 Estonian business days, no holiday between
    with time_machine.travel(monday + dt.timedelta(days=3), tick=False):
        walk_to_exchange(handler, dispute)
    dispute.refresh_from_db()
    assert (dispute.outcome_due - dispute.file_complete_at).days == 90


def test_a_handler_who_may_not_read_the_complaint_cannot_see_its_dispute(
    manager, handler, other_handler, provider
):
    from tests.factories import CategoryFactory

    secret = CategoryFactory(code="legal", restricted=True)
    secret.readers.set([handler])
    complaint = decided_complaint(handler, category="legal")
    dispute = refer(handler, complaint, provider)
    with pytest.raises(NotFound):
        services.dispute_position_send(
            actor=Actor.staff(other_handler), dispute_id=dispute.pk, position="X"
        )


def test_lessons_are_recorded_on_a_dispute_that_ended_without_the_close_step(
    handler, provider, complaint
):
    actor = Actor.staff(handler)
    dispute = refer(handler, complaint, provider, method="determinative")
    with pytest.raises(InvalidTransition):
        services.dispute_lessons_record(actor=actor, dispute_id=dispute.pk, lessons="Too early.")
    walk_to_exchange(handler, dispute)
    services.dispute_outcome_record(
        actor=actor, dispute_id=dispute.pk, outcome="not_upheld", reasons="No fault."
    )
    done = services.dispute_lessons_record(
        actor=actor, dispute_id=dispute.pk, lessons="Explain fees earlier."
    )
    assert done.lessons == "Explain fees earlier." and actions(done)[-1] == "lessons_recorded"
