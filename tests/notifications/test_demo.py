"""The demo: teams look after the categories the complaints demo routes to them, and the seeded
cases are history — the worker's first pass tells nobody of them."""

from __future__ import annotations

import pytest
from django.utils import timezone

from plaint.complaints.demo import seed_demo as complaints_seed
from plaint.core.worker import housekeeping
from plaint.notifications.demo import seed_demo
from plaint.notifications.models import Notification, TeamCategory

pytestmark = pytest.mark.django_db


def test_demo_teams_look_after_their_categories_and_old_cases_are_not_news():
    complaints_seed(complaints=30, seed=7)
    summary = seed_demo(now=timezone.now())
    assert summary.startswith("notifications: 8 categories looked after by 3 teams")
    assert (
        TeamCategory.objects.filter(
            team__name="Billing", category__code__in=["billing", "refunds"]
        ).count()
        == 2
    )
    housekeeping()
    assert not Notification.objects.filter(kind="new_case").exists()
