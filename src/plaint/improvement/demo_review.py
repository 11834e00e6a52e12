"""Demo data for ``plaint demo``: one management review of the last complete quarter, its pack
built from the demo's own figures, held yesterday with its decisions and two actions, one done
and one open (its owner is reminded and alerted by the sweep like any other)."""

from __future__ import annotations

import datetime as dt

from plaint.accounts.models import Role, User
from plaint.core.actors import Actor
from plaint.improvement import services
from plaint.improvement.models import ManagementReview
from plaint.insights.selectors.filters import add_months, month_of

DECISIONS = (
    "1. The complaint rate is within its control limits; keep the monthly analysis.\n"
    "2. The leading category's corrective action worked; close it and watch the next quarter.\n"
    "3. Acknowledgement within the promise stays below its objective: add a second reader "
    "of the intake on Mondays."
)


def seed_review(*, manager: User, now: dt.datetime) -> ManagementReview:
    """The review of the three complete months before this one."""
    actor = Actor.staff(manager)
    end = add_months(month_of(now), -1)
    start = add_months(end, -2)
    review = services.review_create(
        actor=actor,
        title=f"Quarterly review {start:%Y-%m} to {end:%Y-%m}",
        period_start=start,
        period_end=end,
        now=now - dt.timedelta(days=3),
    )
    services.review_changes_record(
        actor=actor,
        review_id=review.pk,
        regulation="The consumer-protection authority's new guidance on complaint deadlines.",
        products="A new express-delivery product since the second month of the quarter.",
        organisation="The customer-care team moved to one shared intake rota.",
    )
    services.review_pack_build(actor=actor, review_id=review.pk, now=now - dt.timedelta(days=2))
    services.review_hold(
        actor=actor,
        review_id=review.pk,
        meeting_on=(now - dt.timedelta(days=1)).date(),
        attendees="Head of customer care; quality manager; operations lead",
        decisions=DECISIONS,
    )
    other = (
        User.objects.filter(role__in=[Role.MANAGER, Role.ADMIN], is_active=True)
        .exclude(pk=manager.pk)
        .order_by("pk")
        .first()
        or manager
    )
    done = services.review_action_add(
        actor=actor,
        review_id=review.pk,
        description="Close the leading category's corrective action with its check.",
        owner_id=manager.pk,
        due_on=now.date(),
    )
    services.review_action_done(actor=actor, action_id=done.pk, evidence="Closed as effective.")
    services.review_action_add(
        actor=actor,
        review_id=review.pk,
        description="Set up the Monday intake rota with a second reader.",
        owner_id=other.pk,
        due_on=(now + dt.timedelta(days=21)).date(),
    )
    return review
