"""Imported history reads like native cases: a case imported with dated acknowledgement, decision
and closing is judged by the promises and counted by the scorecard and the indicators exactly as
a case handled in Plaint on those same dates."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine

from plaint.complaints import services as cs
from plaint.complaints.models import Complaint
from plaint.core.actors import Actor
from plaint.insights.selectors import indicators
from plaint.insights.services import indicator_months_rebuild
from plaint.promises import selectors
from plaint.promises.models import PromiseCheck
from tests.factories import advance, make_complaint
from tests.promises.factories import ACK_2_BD, RESPOND_10_BD, make_code

UTC = dt.UTC
NOW = dt.datetime(2026, 4, 1, 9, tzinfo=UTC)
# (received, acknowledged, decided and closed): one acknowledged in time, one late
PLAN = [
    (dt.datetime(2026, 1, 12, 7, tzinfo=UTC), dt.datetime(2026, 1, 13, 7, tzinfo=UTC),
     dt.datetime(2026, 1, 20, 7, tzinfo=UTC)),
    (dt.datetime(2026, 2, 9, 7, tzinfo=UTC), dt.datetime(2026, 2, 16, 7, tzinfo=UTC),
     dt.datetime(2026, 3, 10, 7, tzinfo=UTC)),
]  # fmt: skip


def _native(staff, manager) -> list[Complaint]:
    cases = []
    for received, acknowledged, closed in PLAN:
        with time_machine.travel(received, tick=False):
            complaint, _token = make_complaint(channel="phone", actor=staff)
        with time_machine.travel(acknowledged, tick=False):
            cs.complaint_acknowledge(complaint_id=complaint.pk, actor=staff)
        with time_machine.travel(closed, tick=False):
            cases.append(advance(complaint, "closed", by=manager))
    return cases


def _imported(staff) -> list[Complaint]:
    lines = ["Complaint ID,Date received,Issue,Submitted via,Date sent to company,"
             "Date responded,Date closed,Outcome"]  # fmt: skip
    for i, (received, acknowledged, closed) in enumerate(PLAN):
        lines.append(
            f"X-{i},{received.isoformat()},Late parcel,Phone,{acknowledged.isoformat()},"
            f"{closed.isoformat()},{closed.isoformat()},accepted"
        )
    with time_machine.travel(NOW, tick=False):
        report = cs.complaints_import(
            actor=staff, handle=io.BytesIO("\n".join(lines).encode()), source="old"
        )
    assert report.created == 2, report.errors
    return list(Complaint.objects.filter(external_source="old").order_by("received_at"))


def _checks(complaint: Complaint) -> list[tuple]:
    return sorted(
        PromiseCheck.objects.filter(complaint=complaint).values_list(
            "promise__key", "status", "started_at", "due_at", "met_at", "breached_at"
        )
    )


@pytest.fixture
def both(manager, handler):
    with time_machine.travel(dt.datetime(2025, 12, 1, tzinfo=UTC), tick=False):
        make_code(manager, promises=[ACK_2_BD, RESPOND_10_BD])
    staff = Actor.staff(manager)
    native = _native(Actor.staff(handler), manager)
    with time_machine.travel(dt.datetime(2026, 3, 31, tzinfo=UTC), tick=False):
        indicator_months_rebuild()  # a rollup from before the import
    return native, _imported(staff)


def test_imported_cases_are_judged_like_native_ones(both):
    native, imported = both
    for mine, theirs in zip(native, imported, strict=True):
        assert (theirs.received_at, theirs.acknowledged_at, theirs.closed_at) == (
            mine.received_at, mine.acknowledged_at, mine.closed_at,
        )  # fmt: skip
        assert (theirs.acknowledgement_due_at, theirs.response_due_at) == (
            mine.acknowledgement_due_at, mine.response_due_at,
        )  # fmt: skip
        assert _checks(theirs) == _checks(mine)
        assert {status for _key, status, *_rest in _checks(theirs)} <= {"met", "breached"}
    assert [s for _k, s, *_r in _checks(imported[1])] == ["breached", "breached"]


def test_the_scorecard_counts_an_imported_case_as_a_native_one(both, auditor):
    with time_machine.travel(NOW, tick=False):
        rows = selectors.scorecard(actor=auditor, months=4)
    by = {(r.promise_key, f"{r.month:%Y-%m}"): (r.cases, r.met, r.breached) for r in rows}
    assert by[("acknowledge", "2026-01")] == (2, 2, 0)
    assert by[("acknowledge", "2026-02")] == (2, 0, 2)


def test_the_indicators_count_imported_history_despite_an_older_rollup(both, auditor):
    with time_machine.travel(NOW, tick=False):
        figures = indicators(actor=auditor, start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 1))
    months = {m["month"]: m for m in figures["months"]}
    assert months["2026-01"]["complaints"] == 2
    assert months["2026-02"]["complaints"] == 2
    assert months["2026-01"]["closed"] == 2 and months["2026-03"]["closed"] == 2
    # the same time to resolve for both: the median is that time
    assert months["2026-01"]["resolve_p50_days"] == pytest.approx(8.0)
