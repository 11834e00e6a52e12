"""The at-risk time is the first second at which the clock has used its at-risk share, with and
without pauses, for every unit (checked against ``core.calendars.clock``)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from plaint.core.calendars import Calendar, clock, deadline
from plaint.promises.services import ActivePromise, at_risk_at

TALLINN = Calendar("Europe/Tallinn", "EE")
UNITS = ["business_days", "business_hours", "calendar_days", "hours", "weeks"]
BASE = dt.datetime(2026, 3, 20, 0, 0, tzinfo=dt.UTC)


def promise(amount: int, unit: str, fraction: float) -> ActivePromise:
    return ActivePromise(
        id=1, code_id=1, code_slug="c", key="k", clock="received_to_decision", amount=amount,
        unit=unit, calendar=TALLINN, pauses_while_waiting=True, honours_regulatory_pauses=True,
        at_risk_fraction=fraction, measured_only=False, category_ids=frozenset(),
        channels=frozenset(), products=frozenset(), segments=frozenset(), effective_from=None,
        effective_to=None,
    )  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(
    unit=st.sampled_from(UNITS),
    amount=st.integers(1, 30),
    fraction=st.sampled_from([0.5, 0.8, 0.9]),
    start_minutes=st.integers(0, 60 * 24 * 14),
    pause=st.one_of(
        st.none(), st.tuples(st.integers(0, 60 * 24 * 20), st.integers(1, 60 * 24 * 5))
    ),
)
def test_at_risk_is_the_first_second_past_the_share(unit, amount, fraction, start_minutes, pause):
    start = BASE + dt.timedelta(minutes=start_minutes)
    pauses = []
    if pause:
        begin = start + dt.timedelta(minutes=pause[0])
        pauses = [(begin, begin + dt.timedelta(minutes=pause[1]))]
    p = promise(amount, unit, fraction)
    due = deadline(TALLINN, start, amount, unit, pauses)
    at = at_risk_at(p, start, due, pauses)
    assert start < at <= due

    def used(moment):
        return clock(TALLINN, start, amount, unit, now=moment, pauses=pauses).fraction_used

    assert used(at) >= fraction
    assert used(at - dt.timedelta(seconds=1)) < fraction
