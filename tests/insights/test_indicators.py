"""Indirect indicators from the complaints and imported volumes, checked by hand on a small
fixed set of complaints (each figure is worked out in the comments)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
import time_machine

from plaint.complaints.models import Complaint
from plaint.core.errors import NotAllowed, ValidationFailed
from plaint.insights import selectors
from plaint.insights.models import PeriodVolume, VolumeImport
from plaint.insights.services import volumes_import
from tests.factories import make_complaint

pytestmark = pytest.mark.django_db


def file(at: dt.datetime, **fields):
    if not fields.get("email"):
        fields["preferred_channel"] = "phone"
    with time_machine.travel(at, tick=False):
        complaint, _token = make_complaint(**fields)
    return complaint


def close(complaint, at: dt.datetime):
    # The lifecycle is tested in the complaints app; here only the closing time matters.
    Complaint.objects.filter(pk=complaint.pk).update(state="closed", closed_at=at)


@pytest.fixture
def complaints(db):
    t = lambda m, d: dt.datetime(2026, m, d, 12, tzinfo=dt.UTC)  # noqa: E731
    # 2025-03: an earlier complaint by anna (more than 12 months before 2026-04, less before 02).
    file(t(3, 1).replace(year=2025), email="anna@example.org", phone="")
    a = file(t(1, 5), email="Anna@Example.org", phone="")  # repeat: anna within 12 months
    b = file(t(1, 20), email="ben@example.org", phone="", about_process=True)
    c = file(t(2, 3), email="", phone="+372 5555 1234")
    d = file(t(2, 18), email="cleo@example.org", phone="5555 1234")  # repeat by phone (c)
    e = file(t(2, 25), email="dan@example.org", phone="", about_process=True)
    f = file(t(3, 2), email="ben@example.org", phone="")  # repeat: ben in January
    close(a, t(1, 9))  # 4 days
    close(b, t(2, 19))  # 30 days
    close(c, t(2, 13))  # 10 days
    close(d, t(2, 20))  # 2 days
    close(e, t(3, 27))  # 30 days
    return [a, b, c, d, e, f]


def test_indicators_per_month(complaints, handler, manager):
    volumes_import(
        actor=manager,
        content=b"month,orders,customers\n2026-01,2000,1500\n2026-02,4000,\n2026-03,,1000\n",
    )
    result = selectors.indicators(actor=handler, start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 1))
    jan, feb, mar = result["months"]
    assert [jan["complaints"], feb["complaints"], mar["complaints"]] == [2, 3, 1]
    # 2 complaints / 2000 orders * 1000 = 1.0; 2 / 1500 customers * 1000 = 1.333…
    assert jan["per_1000_orders"] == pytest.approx(1.0)
    assert jan["per_1000_customers"] == pytest.approx(2000 / 1500)
    assert feb["per_1000_orders"] == pytest.approx(0.75)
    assert feb["per_1000_customers"] is None
    assert mar["per_1000_orders"] is None
    from statsmodels.stats.rates import confint_poisson

    lo, hi = confint_poisson(2, 2000, method="exact-c")
    assert jan["per_1000_orders_interval"] == pytest.approx([1000 * lo, 1000 * hi])
    assert mar["per_1000_orders_interval"] is None
    # Repeats: January anna (1 of 2); February cleo's phone matches c (1 of 3); March ben (1 of 1).
    assert jan["repeat_rate"] == pytest.approx(0.5)
    assert feb["repeat_rate"] == pytest.approx(1 / 3)
    assert mar["repeat_rate"] == pytest.approx(1.0)
    from statsmodels.stats.proportion import proportion_confint

    assert feb["repeat_interval"] == pytest.approx(list(proportion_confint(1, 3, method="wilson")))
    # About the process: b in January, e in February.
    assert jan["about_process_share"] == pytest.approx(0.5)
    assert feb["about_process_share"] == pytest.approx(1 / 3)
    # Time to resolve by month of closing: Jan [4]; Feb [30, 10, 2]; Mar [30].
    assert jan["resolve_p50_days"] == pytest.approx(4)
    assert feb["resolve_p50_days"] == pytest.approx(10)
    assert feb["resolve_p90_days"] == pytest.approx(np.percentile([30, 10, 2], 90))
    s = result["summary"]
    assert s["complaints"] == 6
    assert s["repeat_rate"] == pytest.approx(3 / 6)
    assert s["about_process_share"] == pytest.approx(2 / 6)
    # Rates use only the months that have the volume: orders in Jan+Feb (5 complaints / 6000).
    assert s["per_1000_orders"] == pytest.approx(5 / 6000 * 1000)
    assert s["per_1000_customers"] == pytest.approx(3 / 2500 * 1000)
    assert s["resolve_p50_days"] == pytest.approx(np.percentile([4, 30, 10, 2, 30], 50))
    assert s["resolve_p90_days"] == pytest.approx(np.percentile([4, 30, 10, 2, 30], 90))


def test_twelve_month_window(complaints, handler):
    # anna's 2025-03-01 complaint is 310 days before 2026-01-05: a repeat. A complaint 13 months
    # later is not.
    file(dt.datetime(2027, 2, 10, tzinfo=dt.UTC), email="anna@example.org", phone="")
    result = selectors.indicators(actor=handler, start=dt.date(2027, 2, 1), end=dt.date(2027, 2, 1))
    assert result["months"][0]["repeat_rate"] == 0.0


def test_volume_import_reports_bad_rows_with_line_numbers(manager):
    content = (
        b"month;orders;customers\n"
        b"2026-01;1 200;900\n"
        b"2026-13;100;10\n"
        b"2026-02;-5;10\n"
        b"2026-03;;\n"
        b"2026-04;12.5;x\n"
        b"2026-01;50;50\n"
        b"2026-05;300;200;extra\n"
        b"2026-06;400;\n"
    )
    record = volumes_import(actor=manager, content=content, filename="volumes.csv")
    assert (record.rows_total, record.rows_imported) == (8, 2)
    lines = {e["line"]: e["errors"] for e in record.errors}
    assert set(lines) == {3, 4, 5, 6, 7, 8}
    assert "2026-13" in lines[3][0]
    assert any("orders" in m for m in lines[4])
    assert len(lines[6]) == 2  # both cells wrong, both reported
    assert "line 2" in lines[7][0]
    assert {v.month: (v.orders, v.customers) for v in PeriodVolume.objects.all()} == {
        dt.date(2026, 1, 1): (1200, 900),
        dt.date(2026, 6, 1): (400, None),
    }
    # A later import replaces a month.
    volumes_import(actor=manager, content=b"month,orders\n2026-01,1300\n")
    assert PeriodVolume.objects.get(month=dt.date(2026, 1, 1)).orders == 1300
    assert VolumeImport.objects.count() == 2


@pytest.mark.parametrize(
    "content",
    [b"orders,customers\n1,2\n", b"\xff\xfe\x00bad", b"month\n2026-01\n"],
)
def test_volume_import_refuses_unusable_files(manager, content):
    with pytest.raises(ValidationFailed):
        volumes_import(actor=manager, content=content)
    assert not VolumeImport.objects.exists()


def test_only_managers_import_volumes(handler, auditor):
    for actor in (handler, auditor):
        with pytest.raises(NotAllowed):
            volumes_import(actor=actor, content=b"month,orders\n2026-01,1\n")
    assert not PeriodVolume.objects.exists()


def test_indicators_query_count_is_constant(complaints, handler, django_assert_max_num_queries):
    # (on PostgreSQL the window query runs in a savepoint with SET LOCAL work_mem: 3 more)
    with django_assert_max_num_queries(8):
        selectors.indicators(actor=handler, start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 1))


# ------------------------------------------------------------------------- the monthly rollup

APRIL = dt.datetime(2026, 4, 15, 12, tzinfo=dt.UTC)


@pytest.fixture
def more(complaints):
    t = lambda m, d: dt.datetime(2026, m, d, 9, tzinfo=dt.UTC)  # noqa: E731
    # the open month: a repeat of dan (February, before the boundary) and of itself
    g = file(t(4, 2), email="DAN@example.org ", phone="")
    h = file(t(4, 3), email="eve@example.org", phone="0037255551234")  # phone of c and d
    i = file(t(4, 5), email="eve@example.org", phone="")  # eve again within the month
    close(g, t(4, 4))
    close(complaints[5], t(4, 10))  # received in March, closed in the open month
    return [g, h, i]


def test_rollup_months_equal_the_live_computation(more, handler):
    from plaint.insights.models import IndicatorContact, IndicatorMonth, IndicatorRollup
    from plaint.insights.services import indicator_months_rebuild

    done = indicator_months_rebuild(now=APRIL)
    assert done["watermark"] == APRIL
    assert done["months"] == 14  # 2025-03 .. 2026-04
    assert IndicatorRollup.objects.get().boundary == dt.date(2026, 4, 1)
    march = IndicatorMonth.objects.get(month=dt.date(2026, 3, 1))
    assert (march.received, march.repeats, march.closed) == (1, 1, 1)
    april = IndicatorMonth.objects.get(month=dt.date(2026, 4, 1))  # up to the 15th
    assert (april.received, april.repeats, april.closed) == (3, 3, 2)
    # after the watermark: a repeat of eve and a closing, both only in the live part
    late = file(APRIL + dt.timedelta(days=2), email="eve@example.org", phone="")
    close(late, APRIL + dt.timedelta(days=3))
    close(more[1], APRIL + dt.timedelta(days=4))
    for start, end in [
        (dt.date(2025, 1, 1), dt.date(2026, 4, 1)),  # before the first complaint to the open month
        (dt.date(2026, 1, 1), dt.date(2026, 3, 1)),  # rollup only
        (dt.date(2026, 2, 1), dt.date(2026, 6, 1)),  # the open month and after
        (dt.date(2026, 4, 1), dt.date(2026, 4, 1)),  # the open month: rollup + live
    ]:
        with time_machine.travel(APRIL, tick=False):
            rolled = selectors.indicators(actor=handler, start=start, end=end)
            live = selectors.indicators(actor=handler, start=start, end=end, use_rollup=False)
        assert rolled["rollup"] is not None and live["rollup"] is None
        assert _close(rolled, live)
    with time_machine.travel(APRIL + dt.timedelta(days=5), tick=False):
        april = selectors.indicators(
            actor=handler, start=dt.date(2026, 4, 1), end=dt.date(2026, 4, 1)
        )
    row = april["months"][0]
    # g repeats dan (Feb), h repeats c/d's phone (Feb), i repeats h (same month), and late
    # repeats eve: 4 of 4; closed: g, f before the watermark, late and h after it
    assert (row["complaints"], row["repeat_rate"], row["closed"]) == (4, 1.0, 4)
    from django.db import connection

    if connection.vendor == "postgresql":  # PostgreSQL keeps the contact keys
        assert IndicatorContact.objects.filter(key="e:dan@example.org").exists()
        assert IndicatorContact.objects.filter(key="p:55551234").exists()


def _close(a: dict, b: dict) -> bool:
    assert (a["start"], a["end"], len(a["months"])) == (b["start"], b["end"], len(b["months"]))
    for ra, rb in zip(a["months"] + [a["summary"]], b["months"] + [b["summary"]], strict=True):
        assert set(ra) == set(rb)
        for key in ra:
            assert ra[key] == pytest.approx(rb[key]), key
    return True


def test_rollup_is_rebuilt_when_due(more):
    from plaint.insights.models import IndicatorRollup
    from plaint.insights.services import indicator_months_refresh

    assert indicator_months_refresh(now=APRIL) is not None
    assert indicator_months_refresh(now=APRIL + dt.timedelta(minutes=30)) is None
    assert indicator_months_refresh(now=APRIL + dt.timedelta(minutes=61)) is not None
    may = dt.datetime(2026, 5, 1, 0, 1, tzinfo=dt.UTC)
    assert indicator_months_refresh(now=may)["months"] == 15
    assert IndicatorRollup.objects.get().boundary == dt.date(2026, 5, 1)
    assert IndicatorRollup.objects.get().refreshed_at == may


def test_new_complaints_of_the_open_month_show_at_once(more, handler):
    from plaint.insights.services import indicator_months_rebuild

    indicator_months_rebuild(now=APRIL)
    with time_machine.travel(APRIL, tick=False):
        before = selectors.indicators(actor=handler, start=dt.date(2026, 4, 1), end=APRIL.date())
        file(APRIL, email="zoe@example.org", phone="")
        after = selectors.indicators(actor=handler, start=dt.date(2026, 4, 1), end=APRIL.date())
    assert after["summary"]["complaints"] == before["summary"]["complaints"] + 1


def test_housekeeping_and_the_command_build_the_rollup(more):
    from django.core.management import call_command

    from plaint.core.worker import housekeeping
    from plaint.insights.models import IndicatorMonth, IndicatorRollup

    with time_machine.travel(APRIL, tick=False):
        housekeeping()
    assert IndicatorRollup.objects.get().boundary == dt.date(2026, 4, 1)
    IndicatorMonth.objects.all().delete()
    with time_machine.travel(APRIL, tick=False):
        call_command("insights", "rebuild", stdout=__import__("io").StringIO())
    assert IndicatorMonth.objects.count() == 14


def test_indicators_with_a_rollup_query_count_is_constant(
    more, handler, django_assert_max_num_queries
):
    from plaint.insights.services import indicator_months_rebuild

    indicator_months_rebuild(now=APRIL)
    with time_machine.travel(APRIL, tick=False), django_assert_max_num_queries(9):
        selectors.indicators(actor=handler, start=dt.date(2025, 5, 1), end=dt.date(2026, 4, 1))
