"""The analysis page's monthly rollup: its figures against the same figures computed from the
complaints (counts equal, durations within the stated bound) over a seeded set and several
filters; the live part after the watermark; the incremental refresh; the command and the worker."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
import time_machine
from django.core.management import call_command

from plaint.accounts.services import team_create
from plaint.complaints import services as cs
from plaint.complaints.models import Complaint
from plaint.core.actors import Actor
from plaint.core.duties import run_duty
from plaint.improvement import rollup, services, tables
from plaint.improvement.models import AnalysisCase, AnalysisMonth, AnalysisRollup
from plaint.improvement.process import process_figures
from plaint.improvement.selectors import AnalysisFilters, complaint_analysis
from tests.factories import CategoryFactory, advance
from tests.improvement.helpers import at, file_complaint

pytestmark = pytest.mark.django_db

NOW = at(2026, 4, 20, 12)
ACK_HOURS = [1, 5, 30, 71, 80, 131, 300, 700, 1000]
CLOSE_DAYS = [2, 5, 9, 17, 33, 60, 0.5]


def test_hours_below_72_have_their_own_bin_and_the_rest_stay_within_one_percent():
    exact = np.arange(rollup.EXACT_HOURS)
    assert list(rollup.BIN_HOURS[rollup.hour_bins(exact)]) == list(exact)
    hours = np.arange(rollup.EXACT_HOURS, 200_000)
    read = rollup.BIN_HOURS[rollup.hour_bins(hours)]
    assert np.all(np.abs(read - hours) <= rollup.RELATIVE_ERROR * hours)
    assert pytest.approx(0.01) == rollup.RELATIVE_ERROR
    assert rollup.BINS < 2**16  # the stored bin numbers are uint16


def test_a_histogram_survives_its_sparse_form_and_rows_add_up():
    a = rollup.histogram([(3, 2), (3, 1), (500, 4)])
    b = rollup.histogram([(0, 1), (-2, 1)])  # a negative duration counts as 0 hours
    assert a[3] == 3 and a.sum() == 7 and b[0] == 2
    assert np.array_equal(rollup.decode_sum([rollup.encode(a), rollup.encode(b)]), a + b)
    assert rollup.decode_sum([]).sum() == 0


def _seed(handler, manager, count: int):
    """``count`` complaints over January to March 2026 across two categories, products,
    channels, a team, a segment and two root causes, acknowledged and closed after durations from
    an hour to two months; one decision not accepted. Returns the team."""
    for code in ("delivery", "billing"):
        CategoryFactory(code=code, name=code.title())
    staff = Actor.staff(manager)
    cs.root_cause_create(actor=staff, name="Supplier", code="supplier")
    cs.root_cause_create(actor=staff, name="Training", code="training")
    team = team_create(name="North")
    for i in range(count):
        fields = {
            "category": ["delivery", "billing", ""][i % 3],
            "product": ["Parcel", "Invoice", "", "Shop"][i % 4],
            "segment": ["", "business"][i % 2],
        }
        when = at(2026, 1 + i % 3, 1 + (i * 7) % 27, i % 24)
        ack = dt.timedelta(hours=ACK_HOURS[i % len(ACK_HOURS)] + (i % 5) / 10)
        if i % 6 == 5:  # investigated: a root cause, still open
            case = file_complaint(when, handler, **fields)
            with time_machine.travel(when + ack, tick=False):
                advance(case, "investigating", by=handler)
                cs.complaint_record_findings(
                    complaint_id=case.pk,
                    actor=Actor.staff(handler),
                    findings="Found it.",
                    cause=["supplier", "training"][(i // 6) % 2],
                )
            continue
        case = file_complaint(when, handler, **fields)
        if i % 4 == 0:
            with time_machine.travel(when, tick=False):
                cs.complaint_assign(
                    complaint_id=case.pk, actor=staff, assignee_id=None, team_id=team.pk
                )
        with time_machine.travel(when + ack, tick=False):
            cs.complaint_acknowledge(complaint_id=case.pk, actor=staff)
        if i % 4 != 3:
            with time_machine.travel(when + dt.timedelta(days=CLOSE_DAYS[i % 7]), tick=False):
                cs.complaint_withdraw(complaint_id=case.pk, actor=staff)
    declined = file_complaint(at(2026, 2, 3), handler, channel="phone", category="billing")
    with time_machine.travel(at(2026, 2, 10), tick=False):
        advance(declined, "decision_communicated", by=handler)
        cs.complaint_decline_decision(
            complaint_id=declined.pk, actor=Actor.complainant(), reason="Not enough."
        )
    return team


@pytest.fixture
def seeded(db, handler, manager):
    return _seed(handler, manager, 36)


@pytest.fixture
def few(db, handler, manager):
    return _seed(handler, manager, 6)


def _filter_sets(team) -> list[AnalysisFilters]:
    q1 = {"start": dt.date(2026, 1, 1), "end": dt.date(2026, 3, 1)}
    delivery = CategoryFactory._meta.model.objects.get(code="delivery").pk
    return [
        AnalysisFilters(**q1),
        AnalysisFilters(**q1, category=delivery),
        AnalysisFilters(**q1, product="Parcel"),
        AnalysisFilters(**q1, channel="phone"),
        AnalysisFilters(**q1, team=team.pk),
        AnalysisFilters(**q1, segment="business"),
        AnalysisFilters(start=dt.date(2026, 2, 1), end=dt.date(2026, 2, 1), product="Invoice"),
        # two or three at once: the rollup's rows per complaint
        AnalysisFilters(**q1, category=delivery, segment="business"),
        AnalysisFilters(**q1, team=team.pk, product="Parcel", channel="phone"),
    ]


def _page_tables(filters: AnalysisFilters) -> dict:
    """What the page shows of the counts: its tables' rows, and the process figures."""
    result = complaint_analysis(filters)
    shown = {"control": tables.control_table(result).rows}
    for dimension in ("category", "cause", "product", "channel"):
        shown[dimension] = tables.pareto_table(result, dimension).rows
    process = process_figures(filters, now=NOW)
    shown["promises"] = tables.promises_table(process).rows
    shown["backlog"] = process.backlog
    shown["load"] = (process.teams, process.handlers)
    return {"counts": shown, "durations": process.acknowledge + process.resolve}


def _assert_within_bound(exact: list, rolled: list) -> None:
    for a, b in zip(exact, rolled, strict=True):
        assert a.n == b.n
        for x, y in ((a.value, b.value), (a.low, b.low), (a.high, b.high)):
            assert (x is None) == (y is None)
            if x is not None:
                assert abs(x - y) <= rollup.RELATIVE_ERROR * x + 1e-9, (a, b)


def test_the_rollup_gives_the_figures_of_the_complaints_across_filters(seeded):
    filter_sets = _filter_sets(seeded)
    exact = [_page_tables(f) for f in filter_sets]  # no rollup yet: from the complaints
    assert exact[0]["counts"]["control"][0][1] == 12 and exact[0]["durations"][0].n == 37
    assert [row[:2] for row in exact[0]["counts"]["cause"]][1:] == [
        ["Supplier", 3],
        ["Training", 3],
    ]

    services.analysis_rollup_rebuild(now=NOW)
    assert AnalysisRollup.objects.get().refreshed_at == NOW
    assert complaint_analysis(filter_sets[0]).refreshed_at == NOW
    assert complaint_analysis(filter_sets[-1]).refreshed_at == NOW  # three filters: rolled up
    assert AnalysisCase.objects.count() == Complaint.objects.count()  # one row per complaint
    for f, want in zip(filter_sets, exact, strict=True):
        got = _page_tables(f)
        assert got["counts"] == want["counts"], f
        _assert_within_bound(want["durations"], got["durations"])
    # durations over 72 hours are binned: not every figure is the exact one
    everything = _page_tables(filter_sets[0])["durations"]
    assert [q.value for q in everything] != [q.value for q in exact[0]["durations"]]


def test_a_new_complaint_shows_at_once_and_a_change_after_the_refresh(few, handler):
    services.analysis_rollup_rebuild(now=at(2026, 3, 31, 12))
    q1 = _filter_sets(few)[0]
    before = complaint_analysis(q1).received
    late = file_complaint(at(2026, 3, 31, 14), handler, ack_after=dt.timedelta(hours=2))
    assert complaint_analysis(q1).received == [before[0], before[1], before[2] + 1]  # live

    # a January complaint closed after the watermark: seen after the refresh, as computed
    january = AnalysisMonth.objects.filter(month=dt.date(2026, 1, 1)).count()
    assert january
    first = (
        late._meta.model.objects.filter(received_at__month=1, closed_at__isnull=True)
        .order_by("pk")
        .first()
    )
    with time_machine.travel(at(2026, 4, 1, 9), tick=False):
        cs.complaint_withdraw(complaint_id=first.pk, actor=Actor.staff(handler))
    stale = process_figures(q1, now=NOW).resolve[0].n
    result = services.analysis_rollup_refresh(now=at(2026, 4, 1, 11))
    assert result is not None and not result["full"]
    assert result["months"] == 3  # January (the change), March and April (the watermark's way)
    assert process_figures(q1, now=NOW).resolve[0].n == stale + 1
    rolled = _page_tables(q1)
    services.analysis_rollup_discard()
    assert _page_tables(q1)["counts"] == rolled["counts"]


def test_the_refresh_waits_a_minute_and_rebuilds_daily(few):
    services.analysis_rollup_rebuild(now=NOW)
    assert services.analysis_rollup_refresh(now=NOW + dt.timedelta(seconds=30)) is None
    assert services.analysis_rollup_refresh(now=NOW + dt.timedelta(minutes=5))["full"] is False
    assert services.analysis_rollup_refresh(now=NOW + dt.timedelta(days=1))["full"] is True


def test_the_worker_builds_the_rollup_and_the_command_rebuilds_it(few, capsys):
    assert run_duty("improvement.analysis_rollup") == "ok"  # as the worker does
    assert AnalysisRollup.objects.exists() and AnalysisMonth.objects.exists()
    call_command("analysis", "rebuild")
    out = capsys.readouterr().out
    assert "analysis rollup:" in out and "2026-01" in out


def test_the_figures_read_in_a_few_statements(few, django_assert_max_num_queries):
    services.analysis_rollup_rebuild(now=NOW)
    f = _filter_sets(few)[0]
    # the watermark, the slice's rows, category and cause names, the live rows, volumes
    with django_assert_max_num_queries(6):
        complaint_analysis(f)
    with django_assert_max_num_queries(9):
        process_figures(f, now=NOW)
    # two filters at once: the rows per complaint, grouped the same way (one statement each)
    two = _filter_sets(few)[-2]
    with django_assert_max_num_queries(6):
        complaint_analysis(two)
    with django_assert_max_num_queries(9):
        process_figures(two, now=NOW)


def test_the_page_says_how_fresh_its_figures_are(client, manager, few):
    client.force_login(manager)
    body = client.get("/staff/analysis/", {"start": "2026-01", "end": "2026-03"}).content
    assert b"Computed from the complaints themselves." in body
    services.analysis_rollup_rebuild(now=NOW)
    body = client.get("/staff/analysis/", {"start": "2026-01", "end": "2026-03"}).content
    assert b"20 April 2026, 12:00" in body and b"counted live" in body
