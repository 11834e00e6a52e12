"""The scorecard against a hand computation: cases, met, breached, pending, claims and the Wilson
interval per month; the public 12-month figure."""

from __future__ import annotations

import datetime as dt
import math

import pytest
import time_machine

from plaint.complaints import services as cs
from plaint.core.actors import Actor
from plaint.promises import selectors, services
from plaint.promises.charts import scorecard_svg
from tests.factories import make_complaint
from tests.promises.factories import ACK_2_BD, make_code

UTC = dt.UTC


def wilson_by_hand(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


@pytest.fixture
def history(manager, handler):
    """January: 3 acknowledged in time, 1 late. February: 2 in time, 2 late, 1 still open.
    One January complaint that was acknowledged in time names the promise as broken."""
    staff = Actor.staff(handler)
    with time_machine.travel(dt.datetime(2025, 12, 1, tzinfo=UTC), tick=False):
        code = make_code(manager, promises=[ACK_2_BD])
    plan = [
        (dt.datetime(2026, 1, 12, 7, tzinfo=UTC), 1),  # acknowledged the next day: met
        (dt.datetime(2026, 1, 12, 8, tzinfo=UTC), 1),
        (dt.datetime(2026, 1, 13, 7, tzinfo=UTC), 1),
        (dt.datetime(2026, 1, 19, 7, tzinfo=UTC), 4),  # four days later: breached
        (dt.datetime(2026, 2, 9, 7, tzinfo=UTC), 1),
        (dt.datetime(2026, 2, 9, 8, tzinfo=UTC), 1),
        (dt.datetime(2026, 2, 10, 7, tzinfo=UTC), 5),
        (dt.datetime(2026, 2, 16, 7, tzinfo=UTC), 6),
        (dt.datetime(2026, 2, 27, 7, tzinfo=UTC), None),  # still open on 2 March 09:00
    ]
    complaints = []
    for received, days in plan:
        with time_machine.travel(received, tick=False):
            complaint, _ = make_complaint(channel="phone", actor=staff)
        if days is not None:
            with time_machine.travel(received + dt.timedelta(days=days), tick=False):
                cs.complaint_acknowledge(complaint_id=complaint.pk, actor=staff)
        complaints.append(complaint)
    promise = code.promises.get()
    services.broken_promise_claim_create(
        actor=staff, complaint_id=complaints[0].pk, promise_id=promise.pk, note="Rude reply"
    )
    return code


def test_scorecard_matches_the_hand_computation(history, auditor):
    with time_machine.travel(dt.datetime(2026, 3, 2, 7, tzinfo=UTC), tick=False):
        rows = selectors.scorecard(actor=auditor, months=3)
    by_month = {r.month.strftime("%Y-%m"): r for r in rows}
    assert set(by_month) == {"2026-01", "2026-02"}
    jan, feb = by_month["2026-01"], by_month["2026-02"]
    assert (jan.cases, jan.met, jan.breached, jan.pending, jan.claims, jan.broken) == (
        4,
        3,
        1,
        0,
        1,
        2,
    )
    assert (feb.cases, feb.met, feb.breached, feb.pending, feb.claims, feb.broken) == (
        5,
        2,
        2,
        1,
        0,
        2,
    )
    assert jan.rate == pytest.approx(0.75) and feb.rate == pytest.approx(0.5)
    assert (jan.low, jan.high) == pytest.approx(wilson_by_hand(3, 4), abs=1e-9)
    assert (feb.low, feb.high) == pytest.approx(wilson_by_hand(2, 4), abs=1e-9)
    assert jan.target == pytest.approx(0.95)
    # January: 3 of 4 cannot rule the target out (upper bound 0.954); February: 2 of 4 can
    assert not jan.below_target and feb.below_target


def test_scorecard_chart_is_an_escaped_svg(history, auditor):
    with time_machine.travel(dt.datetime(2026, 3, 2, 7, tzinfo=UTC), tick=False):
        rows = selectors.scorecard(actor=auditor, months=3)
    svg = scorecard_svg(rows, title="<script>alert(1)</script> & co")
    assert svg.startswith('<div class="chart-pair"><svg') and svg.endswith("</svg></div>")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    # two months in each of the wide and the narrow rendering
    assert svg.count('class="rate"') == 2 * 2 and 'class="target"' in svg


def test_public_performance_counts_decided_cases_of_the_last_12_months(history):
    with time_machine.travel(dt.datetime(2026, 3, 2, 7, tzinfo=UTC), tick=False):
        figures = selectors.public_performance(code=history)
    assert (figures["acknowledge"].met, figures["acknowledge"].cases) == (5, 8)
    with time_machine.travel(dt.datetime(2027, 2, 1, tzinfo=UTC), tick=False):
        later = selectors.public_performance(code=history)
    assert later["acknowledge"].cases == 4  # January 2026 has left the window
