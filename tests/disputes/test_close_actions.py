"""What closing a dispute leads to: the complainant is invited to the dispute-closed survey once
(whichever way the dispute ended, and however the complaint page's older outcome step is used as
well), and a manager can open a corrective action that keeps the dispute as its source."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from plaint.complaints import services as complaint_services
from plaint.core.actors import Actor
from plaint.disputes import services
from plaint.disputes.models import Dispute, Obligation
from plaint.improvement import services as improvement_services
from plaint.surveys.models import Invitation
from tests.disputes.cases import decided_complaint, obligation, provider_with_all_methods, refer
from tests.factories import CategoryFactory, office_today
from tests.surveys.factories import make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(manager):
    return provider_with_all_methods(manager, name="Consumer Disputes Committee")


@pytest.fixture
def dispute_survey(manager):
    return make_survey(manager, key="disputes", kind="dispute_closed", delay_hours=0)


def to_exchange(handler, provider, **complaint):
    dispute = refer(handler, decided_complaint(handler, **complaint), provider)
    staff = Actor.staff(handler)
    services.dispute_position_send(actor=staff, dispute_id=dispute.pk, position="Our position.")
    services.dispute_file_complete(actor=staff, dispute_id=dispute.pk)
    return dispute


def closed(handler, provider, **complaint) -> Dispute:
    """Upheld with one refund, carried out, closed with the lessons."""
    dispute = to_exchange(handler, provider, **complaint)
    staff = Actor.staff(handler)
    services.dispute_outcome_record(
        actor=staff, dispute_id=dispute.pk, outcome="upheld", reasons="Charged twice.",
        obligations=[obligation(handler)],
    )  # fmt: skip
    assert not Invitation.objects.exists()  # owed, not over: no survey yet
    services.obligation_done(
        actor=staff, obligation_id=Obligation.objects.get(dispute=dispute).pk, evidence="Paid"
    )
    return services.dispute_close(
        actor=staff, dispute_id=dispute.pk, lessons="Check the terminal's double charges daily."
    )


def test_closing_a_dispute_invites_the_complainant_once(handler, provider, dispute_survey):
    dispute = closed(handler, provider, language="sv")
    invitation = Invitation.objects.get()
    assert (invitation.trigger, invitation.case_ref, invitation.language) == (
        "dispute_closed",
        dispute.complaint.reference,
        "sv",
    )
    # the complaint page's older step records the same outcome: still one invitation
    complaint_services.complaint_record_dispute_outcome(
        complaint_id=dispute.complaint_id, actor=Actor.staff(handler),
        provider="Consumer Disputes Committee", outcome="resolved_in_favour_of_complainant",
        closed_on=office_today(), binding=True,
    )  # fmt: skip
    assert Invitation.objects.count() == 1 and Dispute.objects.count() == 1


def test_an_outcome_that_ends_the_dispute_and_a_withdrawal_invite_too(
    handler, provider, dispute_survey
):
    staff = Actor.staff(handler)
    decided = to_exchange(handler, provider, email="first@example.org")
    services.dispute_outcome_record(
        actor=staff, dispute_id=decided.pk, outcome="not_upheld", reasons="Charged once only."
    )
    withdrawn = refer(handler, decided_complaint(handler, email="second@example.org"), provider)
    services.dispute_exit(
        actor=staff, dispute_id=withdrawn.pk, step="withdraw", reason="Settled between us."
    )
    assert sorted(Invitation.objects.values_list("email", flat=True)) == [
        "first@example.org",
        "second@example.org",
    ]


def test_without_an_active_dispute_survey_closing_invites_nobody(handler, provider):
    closed(handler, provider)
    assert not Invitation.objects.exists()


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_manager_opens_a_corrective_action_from_a_closed_dispute(handler, manager, provider):
    open_one = to_exchange(handler, provider, subject="Open one")
    page = signed_in(manager).get(f"/staff/disputes/{open_one.pk}/").content.decode()
    assert "open-dispute-corrective" not in page  # while the dispute runs: not yet
    dispute = closed(handler, provider, subject="Charged twice")
    url = f"/staff/disputes/{dispute.pk}/"
    assert "open-dispute-corrective" not in signed_in(handler).get(url).content.decode()
    page = signed_in(manager).get(url)
    link = page.context["panels"][0].context["url"]
    query = parse_qs(urlsplit(link).query)
    assert query["source"] == ["dispute"] and query["source_ref"] == [dispute.reference]
    assert query["complaints"] == [dispute.complaint.reference]
    form = signed_in(manager).get(link)
    assert form.status_code == 200
    assert form.context["form"]["source_ref"].value() == dispute.reference
    ca = improvement_services.corrective_action_open(
        actor=Actor.staff(manager), title="Double charges", problem="The terminal charges twice.",
        source="dispute", source_ref=dispute.reference, owner_id=manager.pk,
        indicator={"kind": "received", "category": CategoryFactory(code="billing").pk},
        comparison="le", target=1, now=timezone.now() - dt.timedelta(minutes=1),
    )  # fmt: skip
    again = signed_in(handler).get(url).content.decode()  # everyone reads what was opened
    assert f"/staff/improvement/corrective-actions/{ca.pk}/" in again
    assert ca.reference in again
