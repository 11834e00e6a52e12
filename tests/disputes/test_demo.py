"""The demo's providers: three, with methods and rules, one reviewed and one overdue for review;
seeding twice adds nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from plaint.disputes import demo
from plaint.disputes.models import Provider, ProviderReview
from plaint.disputes.selectors import provider_list, review_due

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_providers_once(manager):
    now = timezone.now()
    assert demo.seed_demo(now=now).startswith("disputes: 3")
    assert demo.seed_demo(now=now) == "disputes: providers already there"
    providers = provider_list(actor=manager)
    assert len(providers) == 3 == Provider.objects.count()
    assert all(p.methods.all() and p.rules.all() for p in providers)
    assert ProviderReview.objects.count() == 2
    overdue = [p.name for p in providers if (d := review_due(p)) and d < now.date()]
    assert overdue == ["Nordic Mediation Service"]
    assert all("illustrative" in p.description for p in providers)
    committee = next(p for p in providers if p.name == "Consumer Disputes Committee")
    assert review_due(committee) > now.date() - dt.timedelta(days=1)  # reviewed 200 days ago


def test_the_demo_walks_disputes_into_every_state(manager, handler):
    from plaint.disputes.models import Dispute
    from tests.disputes.cases import decided_complaint

    for n in range(8):  # the first stays as it is: the demo keeps every complaint state
        decided_complaint(handler, subject=f"Case {n}")
    summary = demo.seed_demo(now=timezone.now())
    assert summary.endswith("7 disputes in their states, 0 with the demo neutral")
    states = sorted(Dispute.objects.values_list("state", flat=True))
    assert states == sorted(
        ["notice", "position", "exchange", "recommended", "implementation", "closed", "withdrawn"]
    )
    assert all(d.consent.text_shown for d in Dispute.objects.all())


def test_the_demo_neutral_is_on_two_disputes_and_declared_on_one(manager, handler):
    from plaint.disputes.models import Dispute, NeutralDeclaration
    from tests.disputes.cases import decided_complaint
    from tests.factories import UserFactory

    neutral = UserFactory(username="neutral", role="neutral")
    for n in range(8):
        decided_complaint(handler, subject=f"Case {n}")
    assert demo.seed_demo(now=timezone.now()).endswith("2 with the demo neutral")
    theirs = Dispute.objects.filter(neutral_user=neutral)
    assert sorted(theirs.values_list("state", flat=True)) == ["exchange", "position"]
    declared = NeutralDeclaration.objects.get(neutral=neutral)
    assert declared.dispute.state == "exchange" and not declared.conflict
    # the refund being carried out is late: the overdue alert and the headline show it
    from plaint.disputes.models import Obligation
    from plaint.disputes.selectors_overdue import overdue_unalerted

    late = overdue_unalerted(today=timezone.localdate())
    assert [o.dispute.state for o in late] == ["implementation"]
    assert Obligation.objects.filter(done_at=None).count() == 2  # the other: the recommendation
