"""The repeat-complainant indicator has one definition (``plaint.insights.sql``): the live figures
and the monthly rollup (with its contact keys) give the same figure on seeded data, and both equal
the rule worked out here in plain Python."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
import time_machine

from plaint.complaints.models import Complaint
from plaint.insights import selectors
from plaint.insights.models import IndicatorMonth
from plaint.insights.services import indicator_months_rebuild
from tests.factories import make_complaint

pytestmark = pytest.mark.django_db

WATERMARK = dt.datetime(2026, 4, 15, 12, tzinfo=dt.UTC)
FIRST = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
START, END = dt.date(2025, 9, 1), dt.date(2026, 4, 1)


def _contact(rng: np.random.Generator, person: int) -> dict[str, str]:
    """One of 60 people, written in one of several ways (case, spaces, country prefix)."""
    email = rng.choice([f"P{person}@Example.org", f"p{person}@example.org", ""])
    local = f"5555 {1000 + person}"
    phone = rng.choice([f"+372 {local}", local, f"00372{local.replace(' ', '')}", "", "12 34"])
    if not email and not phone:
        phone = local
    return {"email": str(email), "phone": str(phone)}


@pytest.fixture
def seeded(db):
    rng = np.random.default_rng(20261205)
    span = (WATERMARK - FIRST).total_seconds()
    before = sorted(FIRST + dt.timedelta(seconds=float(x)) for x in rng.uniform(0, span, 110))
    after = [WATERMARK + dt.timedelta(hours=float(h)) for h in sorted(rng.uniform(1, 100, 12))]
    for at in before + after:
        fields = _contact(rng, int(rng.integers(0, 60)))
        if not fields["email"]:
            fields["preferred_channel"] = "phone"
        with time_machine.travel(at, tick=False):
            make_complaint(**fields)


def _by_rule() -> dict[dt.date, tuple[int, int]]:
    """Per month (identified, repeats), by the rule written out: keys are the trimmed lower-case
    e-mail and the last eight digits of a phone of at least seven digits; a repeat has a key seen
    on an earlier complaint at most 365 days before."""
    rows = sorted(
        Complaint.objects.values_list("received_at", "complainant__email", "complainant__phone")
    )
    seen: dict[str, list[dt.datetime]] = {}
    out: dict[dt.date, list[int]] = {}
    for at, email, phone in rows:
        digits = "".join(ch for ch in phone if ch.isdigit())
        keys = [f"e:{email.strip().lower()}"] if email.strip() else []
        keys += [f"p:{digits[-8:]}"] if len(digits) >= 7 else []
        repeat = any(at - t <= dt.timedelta(days=365) for k in keys for t in seen.get(k, []))
        month = at.astimezone(dt.UTC).date().replace(day=1)
        counts = out.setdefault(month, [0, 0])
        counts[0] += bool(keys)
        counts[1] += repeat
        for k in keys:
            seen.setdefault(k, []).append(at)
    return {m: (n_id, n_rep) for m, (n_id, n_rep) in out.items()}


def _same(rates: list[float | None], expected: list[float | None]) -> bool:
    assert len(rates) == len(expected)
    for rate, want in zip(rates, expected, strict=True):
        assert (rate is None) == (want is None)
        assert rate is None or rate == pytest.approx(want)
    return True


def test_live_and_rollup_give_the_rule_s_repeat_rate(seeded, handler):
    expected = _by_rule()
    assert sum(n_rep for _n, n_rep in expected.values()) > 10  # the data has repeats to find
    with time_machine.travel(WATERMARK + dt.timedelta(days=6), tick=False):
        live = selectors.indicators(actor=handler, start=START, end=END, use_rollup=False)
        indicator_months_rebuild(now=WATERMARK)
        rolled = selectors.indicators(actor=handler, start=START, end=END)
    assert rolled["rollup"] is not None and live["rollup"] is None
    by_rule = [
        expected[m][1] / expected[m][0] if expected.get(m, (0, 0))[0] else None
        for m in selectors.months_between(START, END)
    ]
    assert _same([row["repeat_rate"] for row in live["months"]], by_rule)
    assert _same([row["repeat_rate"] for row in rolled["months"]], by_rule)
    assert rolled["summary"]["repeat_rate"] == pytest.approx(live["summary"]["repeat_rate"])
    assert rolled["summary"]["repeat_interval"] == pytest.approx(live["summary"]["repeat_interval"])
    stored = {r.month: (r.identified, r.repeats) for r in IndicatorMonth.objects.all()}
    for month in selectors.months_between(
        START, dt.date(2026, 3, 1)
    ):  # wholly before the watermark
        assert stored[month] == expected.get(month, (0, 0))
