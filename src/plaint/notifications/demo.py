"""Demo data for ``plaint demo``: each demo team looks after the categories the complaints demo
routes to it, so its members hear of new cases; the new-case pass starts after the seeded cases
(they are history, not news)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max

from plaint.accounts.demo import demo_configurer
from plaint.accounts.models import Team
from plaint.complaints.demo.setup import CATEGORIES
from plaint.complaints.models import Category, Complaint
from plaint.core.actors import Actor
from plaint.notifications.models import NewCaseWatermark
from plaint.notifications.services import team_categories_set


def seed_demo(*, now: dt.datetime) -> str:
    """Set the teams' categories as the configurer; returns a one-line summary."""
    configurer = demo_configurer()
    if configurer is None:
        return "notifications: no manager or admin to configure them; skipped"
    teams = dict(Team.objects.values_list("name", "pk"))
    categories = dict(Category.objects.values_list("code", "pk"))
    pairs = [
        (teams[team], categories[code])
        for code, _name, team in CATEGORIES
        if team in teams and code in categories
    ]
    team_categories_set(actor=Actor.staff(configurer), pairs=pairs)
    top = Complaint.objects.aggregate(top=Max("pk"))["top"] or 0
    NewCaseWatermark.objects.update_or_create(
        pk=NewCaseWatermark.objects.values_list("pk", flat=True).first(),
        defaults={"last_complaint_id": top, "missing": {}},
    )
    return f"notifications: {len(pairs)} categories looked after by {len(set(t for t, _ in pairs))} teams"
