"""The demo's policy and training: version 1 in force in all five languages, a version 2 draft,
and training records among which one is expired, one due soon and one course never taken."""

from __future__ import annotations

import pytest
from django.utils import timezone

from plaint.accounts.demo import demo_staff_create
from plaint.improvement.demo_policy import seed_policy_demo
from plaint.improvement.models import PolicyState, PolicyVersion
from plaint.improvement.selectors_training import Status, competence_due

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_the_policy_and_training_records():
    demo_staff_create()
    now = timezone.now()
    summary = seed_policy_demo(now=now)
    v1, v2 = PolicyVersion.objects.order_by("version")
    assert v1.state == PolicyState.PUBLISHED and v1.languages == ["en", "et", "uk", "sv", "fa"]
    assert all(len(d) == 5 for d in v1.responsibilities.values())
    assert v2.state == PolicyState.DRAFT and "one business day" in v2.body["en"]
    assert "2 business days" in v1.body["en"]
    due = competence_due(timezone.localdate(now))
    found = {(row.person.username, row.status) for row in due.attention}
    assert ("handler2", Status.EXPIRED) in found
    assert ("handler", Status.DUE) in found
    assert ("handler3", Status.NEVER) in found
    assert "11 training records" in summary
    assert seed_policy_demo(now=now) == "policy: skipped"  # seeded once
