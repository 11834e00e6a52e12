"""Demo data for ``plaint demo``: 18 months of imported business volumes (orders and customers
served), so the complaint rates per 1,000 have their denominators; imported through the service
as a CSV, like a manager would. Then the survey aggregates are rebuilt from whatever responses
the surveys demo left, so the dashboard agrees with the raw answers (the surveys demo, a layer
below, cannot call this app; ``plaint demo`` runs this seeder after it)."""

from __future__ import annotations

import datetime as dt
import math
import random

from plaint.accounts.demo import demo_configurer
from plaint.insights.selectors import add_months, month_of
from plaint.insights.services import aggregates_rebuild, volumes_import

DEMO_SEED = 10004
MONTHS = 18


def volumes_csv(*, now: dt.datetime, seed: int = DEMO_SEED) -> str:
    """A plausible mid-sized retailer: ~38,000 orders a month growing ~1% a month, a December
    peak and a summer dip, ~62% as many distinct customers as orders, a little noise."""
    rng = random.Random(seed)
    this_month = month_of(now)
    lines = ["month,orders,customers"]
    for back in range(MONTHS, 0, -1):  # the 18 complete months before this one
        month = add_months(this_month, -back)
        trend = 38_000 * (1.01 ** (MONTHS - back))
        season = (
            1
            + 0.22 * math.exp(-(((month.month - 12) % 12) ** 2) / 2)
            - 0.08 * (month.month in (7, 8))
        )
        orders = round(trend * season * rng.uniform(0.96, 1.04))
        customers = round(orders * rng.uniform(0.58, 0.66))
        lines.append(f"{month:%Y-%m},{orders},{customers}")
    return "\n".join(lines) + "\n"


def seed_demo(*, now: dt.datetime) -> str:
    """Rebuild every survey's aggregates from the raw responses (the surveys demo writes its
    history in bulk), and import the volumes as the demo's configurer; returns a one-line summary."""
    manager = demo_configurer()
    totals = aggregates_rebuild()
    rebuilt = (
        f"aggregates rebuilt ({totals['answer_counts']} answer-count rows, "
        f"{totals['pair_counts']} pairwise rows)"
    )
    if manager is None:
        return f"insights: no manager to import volumes as; skipped; {rebuilt}"
    record = volumes_import(
        actor=manager, content=volumes_csv(now=now).encode(), filename="demo-volumes.csv"
    )
    return f"insights: {record.rows_imported} months of volumes imported; {rebuilt}"
