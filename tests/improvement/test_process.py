"""The process figures of the analysis page: durations with their intervals, promises kept,
decisions not accepted, backlog by age and load — against counts made by hand."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from plaint.complaints import services as s
from plaint.core.actors import Actor
from plaint.improvement.process import process_figures
from plaint.improvement.selectors import AnalysisFilters
from tests.factories import advance, make_complaint

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 2, 2, 9, tzinfo=dt.UTC)
FEB = AnalysisFilters(start=dt.date(2026, 2, 1), end=dt.date(2026, 2, 1))


def _at(moment):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def history(handler, other_handler):
    """Three complaints received on 2 February, acknowledged after 1, 2 and 4 days; the first
    closed after 10 days, the second's decision not accepted, the third still open."""
    with _at(T0):  # logged by staff from a phone call: acknowledged by a step, not at once
        cases = [make_complaint(channel="phone", actor=Actor.staff(handler))[0] for _ in range(3)]
    for case, days in zip(cases, (1, 2, 4), strict=True):
        with _at(T0 + dt.timedelta(days=days)):
            advance(case, "acknowledged", by=handler)
    with _at(T0 + dt.timedelta(days=10)):
        advance(cases[0], "closed", by=handler)
    with _at(T0 + dt.timedelta(days=11)):
        advance(cases[1], "decision_communicated", by=handler)
        s.complaint_decline_decision(
            complaint_id=cases[1].pk, actor=Actor.complainant(), reason="Not enough."
        )
    with _at(T0 + dt.timedelta(days=12)):
        s.complaint_assign(
            complaint_id=cases[2].pk, actor=Actor.staff(handler), assignee_id=other_handler.pk
        )
    return cases


def test_durations_are_exact_percentiles_with_their_intervals(history):
    with _at(T0 + dt.timedelta(days=20)):
        p = process_figures(FEB)

    p50, p90 = p.acknowledge
    assert p50.n == 3 and p50.value == pytest.approx(2.0)
    # nearest rank: the 3rd of 3; its interval cannot be closed with three observations
    assert p90.value == pytest.approx(4.0) and p90.high is None
    assert p.resolve[0].n == 1 and p.resolve[0].value == pytest.approx(10.0)


def test_a_decision_not_accepted_counts_as_reopened(history):
    with _at(T0 + dt.timedelta(days=20)):
        p = process_figures(FEB)
    # decided: the closed one and the declined one
    assert (p.reopened.successes, p.reopened.n) == (1, 2)
    assert p.reopened.low is not None and p.reopened.low < 0.5 < p.reopened.high


def test_backlog_and_load_count_what_is_open_now(history, other_handler):
    with _at(T0 + dt.timedelta(days=20)):
        p = process_figures(FEB)
    assert sum(n for _band, n in p.backlog) == 2  # two open, both received 20 days ago
    assert dict(p.backlog)["15-30"] == 2
    assert dict(p.handlers)[other_handler.username] == 1
    assert sum(n for _name, n in p.handlers) == 2


def test_filters_apply_to_every_figure(history):
    with _at(T0 + dt.timedelta(days=20)):
        p = process_figures(AnalysisFilters(start=FEB.start, end=FEB.end, channel="letter"))
    assert p.acknowledge[0].n == 0 and p.reopened.n == 0
    assert sum(n for _band, n in p.backlog) == 0
    with _at(T0 + dt.timedelta(days=20)):
        p = process_figures(AnalysisFilters(start=FEB.start, end=FEB.end, channel="phone"))
    assert p.acknowledge[0].n == 3 and sum(n for _band, n in p.backlog) == 2
