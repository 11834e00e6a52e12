"""Demo data for ``plaint demo``: objectives over the last three complete months and two
corrective actions opened four months ago and checked since, every figure read from the demo's
own complaints, volumes and survey answers by the indicators (nothing typed in); and a held
management review of the last quarter (``demo_review``).

Both corrective actions aim at a quarter fewer complaints in a leading category than in the month
before they were opened (the baseline). Among the six largest categories and the months an action
could have been opened in and checked since, the first takes the one that fell most and met that
target in the month after the actions, the second one that did not (another category); so the
demo shows both outcomes with figures the indicators read from its own complaints. When the data
has no candidate of one kind, the largest fall and the largest rise are taken, and the summary
line says what the checks found."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count

from plaint.accounts.demo import demo_configurer
from plaint.accounts.models import User
from plaint.complaints.models import Complaint
from plaint.core.actors import Actor
from plaint.improvement import demo_review, indicators, services
from plaint.improvement.demo_audit import seed_audit
from plaint.improvement.demo_policy import seed_policy_demo
from plaint.improvement.demo_returns import seed_return_codes
from plaint.improvement.models import CorrectiveAction
from plaint.improvement.services.corrective import baseline_period, check_period
from plaint.insights.selectors.filters import add_months, month_of

TITLES = ("Fewer complaints in a leading category", "Complaints in another leading category")
REDUCTION = 0.75  # the target: a quarter fewer complaints than in the baseline month
WINDOW = 1  # months read before and after (the demo's complaints span a year)
OPENED_MONTHS_AGO = 10  # the earliest month tried (its baseline month still in the demo's year)
DONE_AFTER = dt.timedelta(days=8)  # the action is done eight days after opening


def _handler() -> User | None:
    return User.objects.filter(role="handler", is_active=True).order_by("pk").first()


Candidate = tuple[float, float, int, dt.date]  # baseline count, check count, category, month


def _opened_in(month: dt.date) -> dt.datetime:
    return dt.datetime.combine(month + dt.timedelta(days=9), dt.time(9), tzinfo=dt.UTC)


def _candidates(now: dt.datetime) -> list[Candidate]:
    """For the six largest categories and each month a corrective action could have been opened
    in and checked since (opened in month m, the actions done the same month: baseline m - 1,
    check m + 1, due m + 2, not after this month), the counts the indicator reads; largest fall
    first."""
    top = Complaint.objects.values("category").annotate(n=Count("id")).order_by("-n")[:6]
    categories = [row["category"] for row in top if row["category"] is not None]
    rows = []
    for back in range(OPENED_MONTHS_AGO, 1, -1):
        month = add_months(month_of(now), -back)
        before = baseline_period(_opened_in(month), WINDOW)
        after = check_period(_opened_in(month) + DONE_AFTER, WINDOW)[:2]
        for category in categories:
            spec = {"kind": "received", "category": category}
            base = indicators.indicator_value(spec=spec, start=before[0], end=before[1]).value
            then = indicators.indicator_value(spec=spec, start=after[0], end=after[1]).value
            if base:
                rows.append((base, then or 0.0, category, month))
    return sorted(rows, key=lambda r: r[1] / r[0])


def _pick(rows: list[Candidate]) -> list[Candidate]:
    """One candidate that met the target (a quarter fewer complaints) and one that did not, when
    the data has both; else the largest fall and the largest rise."""
    if not rows:
        return []
    met = [r for r in rows if r[1] <= REDUCTION * r[0]]
    missed = [r for r in rows if r[1] > REDUCTION * r[0]]
    first = met[0] if met else rows[0]
    second = next((r for r in reversed(missed) if r[2] != first[2]), rows[-1])
    return [first] if first == second else [first, second]


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
    _find_cause(m, ca, whys, cause, at=opened + 2 * day)
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
        now=opened + DONE_AFTER,
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


def _cause_tree(whys: list[str]) -> list[dict]:
    """The whys as one branch of the cause tree (the last marked as the root cause) beside a
    second branch that was looked at too."""
    nodes = [
        {"id": i + 1, "parent": i or None, "text": why, "root": i == len(whys) - 1}
        for i, why in enumerate(whys)
    ]
    extra = len(whys) + 1
    return [
        *nodes,
        {"id": extra, "parent": None, "text": "Customers misread the page", "root": False},
        {"id": extra + 1, "parent": extra, "text": "The price and the delivery time share a line", "root": False},
    ]  # fmt: skip


def _find_cause(
    m: Actor, ca: CorrectiveAction, whys: list[str], cause: str, at: dt.datetime
) -> None:
    services.corrective_action_cause_tree_set(actor=m, ca_id=ca.pk, nodes=_cause_tree(whys), now=at)
    services.corrective_action_cause_record(
        actor=m, ca_id=ca.pk, whys=whys, root_cause=cause, now=at
    )


def seed_demo(*, now: dt.datetime) -> str:
    policy = seed_policy_demo(now=now)
    manager, owner = demo_configurer(), _handler()
    if manager is None or owner is None or not Complaint.objects.exists():
        return f"improvement: no manager, handler or complaints; skipped; {policy}"
    objectives = _objectives(manager, now)
    outcomes = []
    for (baseline, _then, category, month), title in zip(
        _pick(_candidates(now)), TITLES, strict=False
    ):
        ca = _walk(
            manager,
            owner,
            _opened_in(month),
            title=title,
            problem="The Pareto of categories puts this category near the top.",
            indicator={"kind": "received", "category": category},
            comparison="le",
            target=round(REDUCTION * baseline, 1),
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
    codes = seed_return_codes(manager)
    review = demo_review.seed_review(manager=manager, now=now)
    audited = seed_audit(manager=manager, now=now)
    return (
        f"improvement: {objectives} objectives, corrective actions {said}, "
        f"{codes} codes for the regulatory returns, management review {review.reference} held; "
        f"{policy}; {audited}"
    )
