"""Demo data for ``plaint demo``: objectives over the last three complete months and two
corrective actions opened four months ago and checked since, every figure read from the demo's
own complaints, volumes and survey answers by the indicators (nothing typed in).

Of the largest categories, the first corrective action takes the one whose complaints fell the
most from the month before opening to the month after the actions, the second the one that rose
the most; both with the criterion "no more complaints than the baseline month". Whether each
check says effective is what the data says; the summary line reports it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count

from plaint.accounts.demo import demo_configurer
from plaint.accounts.models import User
from plaint.complaints.models import Complaint
from plaint.core.actors import Actor
from plaint.improvement import indicators, services
from plaint.improvement.models import CorrectiveAction
from plaint.improvement.services.corrective import baseline_period, check_period
from plaint.insights.selectors.filters import add_months, month_of

TITLES = ("Fewer complaints in a leading category", "Complaints in a rising category")
WINDOW = 1  # months read before and after: the demo's complaints span six months
OPENED_MONTHS_AGO = 4


def _handler() -> User | None:
    return User.objects.filter(role="handler", is_active=True).order_by("pk").first()


def _category_changes(opened: dt.datetime, done: dt.datetime) -> list[tuple[float, int, float]]:
    """(change, category, baseline count) of the largest categories from the baseline month to
    the check month, read by the indicator itself; largest fall first."""
    before = baseline_period(opened, WINDOW)
    after = check_period(done, WINDOW)[:2]
    changes = []
    top = Complaint.objects.values("category").annotate(n=Count("id")).order_by("-n")[:6]
    for row in top:
        if row["category"] is None:
            continue
        spec = {"kind": "received", "category": row["category"]}
        base = indicators.indicator_value(spec=spec, start=before[0], end=before[1]).value or 0
        then = indicators.indicator_value(spec=spec, start=after[0], end=after[1]).value or 0
        changes.append((then - base, row["category"], base))
    return sorted(changes)


def _walk(
    manager: User,
    owner: User,
    opened: dt.datetime,
    *,
    title: str,
    problem: str,
    indicator: dict,
    comparison: str,
    target: float,
    whys: list[str],
    cause: str,
    action: str,
) -> CorrectiveAction:
    m = Actor.staff(manager)
    ca = services.corrective_action_open(
        actor=m,
        title=title,
        problem=problem,
        source="cluster",
        source_ref="Analysis page, Pareto of categories",
        owner_id=manager.pk,
        indicator=indicator,
        comparison=comparison,
        target=target,
        window_months=WINDOW,
        now=opened,
    )
    day = dt.timedelta(days=1)
    services.corrective_action_containment_record(
        actor=m,
        ca_id=ca.pk,
        containment="Checked every open case of the kind by hand.",
        now=opened + day,
    )
    services.corrective_action_cause_record(
        actor=m, ca_id=ca.pk, whys=whys, root_cause=cause, now=opened + 2 * day
    )
    planned = services.planned_action_add(
        actor=m,
        ca_id=ca.pk,
        description=action,
        owner_id=owner.pk,
        due_on=(opened + 10 * day).date(),
        now=opened + 2 * day,
    )
    services.corrective_action_actions_start(actor=m, ca_id=ca.pk, now=opened + 2 * day)
    services.planned_action_done(
        actor=Actor.staff(owner),
        action_id=planned.pk,
        evidence="Done; see the team notes.",
        now=opened + 8 * day,
    )
    ca.refresh_from_db()
    assert ca.check_due_on is not None
    due = dt.datetime.combine(ca.check_due_on, dt.time(6), tzinfo=dt.UTC)
    return services.corrective_action_check_run(
        actor=Actor.system("corrective-action sweep"), ca_id=ca.pk, now=due
    )


def _objectives(manager: User, now: dt.datetime) -> int:
    end = add_months(month_of(now), -1)
    start = add_months(end, -2)
    made: list[tuple[str, dict[str, Any], str, float]] = [
        (
            "95 % acknowledged within one business day",
            {"kind": "ack_within_business_days", "days": 1},
            "ge",
            95,
        ),
        ("80 % closed within 20 days", {"kind": "closed_within_days", "days": 20}, "ge", 80),
        ("At most 1.5 complaints per 1,000 orders", {"kind": "per_1000_orders"}, "le", 1.5),
        (
            "CSAT with handling at least 80 %",
            {
                "kind": "survey",
                "survey": "complaint-handling",
                "question": "overall",
                "measure": "csat",
            },
            "ge",
            80,
        ),
    ]
    for name, spec, comparison, target in made:
        services.objective_create(
            actor=Actor.staff(manager),
            name=name,
            owner_id=manager.pk,
            indicator=spec,
            comparison=comparison,
            target=target,
            period_start=start,
            period_end=end,
            now=now,
        )
    return len(made)


def seed_demo(*, now: dt.datetime) -> str:
    manager, owner = demo_configurer(), _handler()
    if manager is None or owner is None or not Complaint.objects.exists():
        return "improvement: no manager, handler or complaints; skipped"
    objectives = _objectives(manager, now)
    opened = dt.datetime.combine(
        add_months(month_of(now), -OPENED_MONTHS_AGO) + dt.timedelta(days=9),
        dt.time(9),
        tzinfo=dt.UTC,
    )
    done = opened + dt.timedelta(days=8)
    changes = _category_changes(opened, done)
    # the category that fell most and the one that rose most (if the data has two)
    chosen = [changes[0], changes[-1]] if len(changes) > 1 else changes
    outcomes = []
    for (_change, category, baseline), title in zip(chosen, TITLES, strict=False):
        ca = _walk(
            manager,
            owner,
            opened,
            title=title,
            problem="The Pareto of categories puts this category near the top.",
            indicator={"kind": "received", "category": category},
            comparison="le",
            target=baseline,
            whys=[
                "Customers did not get what the page promised",
                "The page text was out of date",
                "Nobody owned the page text",
            ],
            cause="No owner for the product page texts.",
            action="Name an owner for the product page texts and review them monthly.",
        )
        outcomes.append(ca)
    said = ", ".join(
        f"{c.reference} {'effective' if c.effective else 'not effective'}" for c in outcomes
    )
    return f"improvement: {objectives} objectives, corrective actions {said}"
